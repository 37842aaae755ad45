"""Verbs for a project's documents: documents, show, document rename|delete|reimport."""

from __future__ import annotations

import dataclasses

import click

from .base import OneLineErrors, cli, coder_option, emit_json, json_option, open_project


@cli.command("documents")
@click.argument("project", type=click.Path(dir_okay=False))
@json_option
def documents_command(project: str, as_json: bool) -> None:
    """List PROJECT's documents: name, language, encoding, characters, turns, case, codings.

    A document whose import raised a doubt (a guessed encoding) is marked with `!` and the
    warning follows it.
    """
    from ..documents import list_documents

    with open_project(project) as opened:
        found = list_documents(opened)
    if as_json:
        emit_json({"count": len(found), "documents": [dataclasses.asdict(d) for d in found]})
        return
    if not found:
        click.echo(f"{project}: no documents yet (add some with `workbench import {project} FILE…`)")
        return
    from ..textable import Column, render, terminal_width

    columns = [Column("name", flex=True), Column("language"), Column("encoding"), Column("characters", right=True),
               Column("turns", right=True), Column("codings", right=True), Column("case", flex=True)]
    rows = [[d.name, d.lang, d.encoding + (" !" if d.warning else ""), f"{d.chars:,}", d.turns, d.codings,
             d.case or ""] for d in found]
    header, *lines = render(columns, rows, terminal_width())
    click.echo(header)
    for d, line in zip(found, lines, strict=True):
        click.echo(line)
        if d.warning:
            click.echo(f"  ! {d.warning}")
    click.echo(f"{len(found)} document{'s' if len(found) != 1 else ''}", err=True)


@cli.command("show")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("document")
@click.option("--from", "start", type=int, metavar="N", help="First character to show (0-based offset).")
@click.option("--to", "end", type=int, metavar="M", help="Show up to (not including) this offset.")
@click.option("--turn", type=int, metavar="K", help="Show only turn K (turns count from 1).")
@json_option
def show_command(project: str, document: str, start: int | None, end: int | None, turn: int | None,
                 as_json: bool) -> None:
    """Print DOCUMENT's text turn by turn with character offsets, turn numbers and speakers.

    The offsets are what `workbench code PROJECT DOCUMENT CODE START END` takes.
    """
    from ..documents import reference_id, show
    from ..model import WorkbenchError

    if turn is not None and (start is not None or end is not None):
        raise WorkbenchError("show: give --turn K or --from N --to M, not both")
    with open_project(project) as opened:
        info, turns = show(opened, reference_id(opened, document), start, end, turn)
    if as_json:
        emit_json({"document": info.name, "lang": info.lang, "chars": info.chars,
                   "turns": [dataclasses.asdict(t) for t in turns]})
        return
    # The heading goes to stderr so the text on stdout stays the document's own (for pipes).
    click.echo(f"{info.name}: language {info.lang}, {info.chars:,} characters, {info.turns} turns", err=True)
    for item in turns:
        head = f"[{item.start}–{item.end}] turn {item.number}" + (f"  {item.speaker}:" if item.speaker else "")
        if item.lang not in ("und", info.lang):  # a turn in another language than its document says so
            head += f"  ({item.lang})"
        click.echo(click.style(head, bold=True))
        click.echo("  " + item.text.replace("\n", "\n  "))


@cli.group("document", cls=OneLineErrors)
def document_group() -> None:
    """Rename, delete or re-import one document of a project."""


@document_group.command("rename")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("document")
@click.argument("new_name")
@coder_option
def document_rename(project: str, document: str, new_name: str, coder: str) -> None:
    """Give DOCUMENT the name NEW_NAME; its codings and memos stay with it."""
    from ..documents import reference_id, rename

    with open_project(project) as opened:
        renamed = rename(opened, reference_id(opened, document), new_name, coder)
    click.echo(f"{project}: {document!r} is now {renamed.name!r}")


@document_group.command("delete")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("document")
@click.option("--yes", is_flag=True, help="Do not ask, even when the document has codings.")
@coder_option
def document_delete(project: str, document: str, yes: bool, coder: str) -> None:
    """Delete DOCUMENT with its codings and memos, after an automatic backup.

    Says how many codings go with it; on a terminal it asks first when there are any.
    Undo with `workbench restore PROJECT NAME` (a name from `workbench backup PROJECT --list`).
    """
    import sys

    from ..documents import delete, find, reference_id

    with open_project(project) as opened:
        info = find(opened, reference_id(opened, document))
        if info.codings and not yes and sys.stdin.isatty():
            click.confirm(f"{info.name} has {info.codings} codings; delete it with them?", abort=True)
        gone = delete(opened, info.id, coder)
    memos = f", {gone.memos} memos" if gone.memos else ""
    click.echo(f"{project}: deleted {gone.name!r} with {gone.codings} coding{'s' if gone.codings != 1 else ''}"
               f"{memos}; a backup was made first (`workbench backup {project} --list`)")


@document_group.command("reimport")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("document")
@click.option("--encoding", metavar="NAME", required=True,
              help="The encoding to read the file in (latin-1, cp1252, …).")
@coder_option
def document_reimport(project: str, document: str, encoding: str, coder: str) -> None:
    """Read DOCUMENT's file again in another encoding (only while it has no codings)."""
    from ..documents import reference_id, reimport

    with open_project(project) as opened:
        done = reimport(opened, reference_id(opened, document), encoding, coder)
    click.echo(f"{project}: {done.name!r} re-read as {done.encoding} (was {done.old_encoding}): "
               f"{done.chars:,} characters, {done.turns} turns")
