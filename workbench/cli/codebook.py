"""`workbench codebook`: show, import, export, add, delete, undelete and merge a codebook."""

from __future__ import annotations

from pathlib import Path

import click

from ..model import WorkbenchError
from .base import OneLineErrors, cli, coder_option, emit_json, json_option, open_project


@cli.group(cls=OneLineErrors)
def codebook() -> None:
    """Show, import, export or edit a project's codebook (deletions can be undone)."""


def _tree_rows(codes, counts, depth=0):
    for code in codes:
        yield depth, code, counts.get(code.id, 0)
        yield from _tree_rows(code.children, counts, depth + 1)


def _code_json(code, counts) -> dict:
    return {
        "name": code.name, "name_zh": code.name_zh, "color": code.color,
        "definition": code.definition, "include": code.include, "exclude": code.exclude,
        "examples": code.examples, "keywords_en": code.keywords_en, "keywords_zh": code.keywords_zh,
        "codings": counts.get(code.id, 0),
        "children": [_code_json(child, counts) for child in code.children],
    }


@codebook.command("show")
@click.argument("project", type=click.Path(dir_okay=False))
@json_option
def codebook_show(project: str, as_json: bool) -> None:
    """Print the code tree with how often each code is applied."""
    from collections import Counter

    with open_project(project) as opened:
        tree = opened.code_tree()
        counts = Counter(c.code_id for c in opened.codings())
    if as_json:
        emit_json({"codes": [_code_json(code, counts) for code in tree]})
        return
    if not tree:
        click.echo(f"{project}: no codes yet (add some with `workbench codebook import`)")
    for depth, code, count in _tree_rows(tree, counts):
        label = code.name + (f" / {code.name_zh}" if code.name_zh else "")
        click.echo(f"{'  ' * depth}{label}  ({count})")


@codebook.command("import")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("file", type=click.Path())
@coder_option
def codebook_import(project: str, file: str, coder: str) -> None:
    """Merge a codebook YAML file into PROJECT: new codes are added, known ones updated."""
    from ..codebook import load_yaml
    from ..codebook.ops import install

    loaded = load_yaml(file)
    with open_project(project) as opened:
        added, updated = install(opened, loaded, coder)
    click.echo(f"{file}: {added} codes added, {updated} updated")


@codebook.command("export")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(), help="File to write: .yaml .md .csv .docx .qdc")
def codebook_export(project: str, output: str) -> None:
    """Write PROJECT's codebook to a file; the format follows the suffix (.qdc: REFI-QDA)."""
    from ..codebook.export import export
    from ..codebook.ops import as_codebook

    with open_project(project) as opened:
        if Path(output).suffix.lower() == ".qdc":
            from ..exchange import export_by_suffix

            click.echo(export_by_suffix(opened, output))
            return
        export(as_codebook(opened), output)
    click.echo(f"{output}: written")


@codebook.command("delete")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("code")
@click.option("--reassign-to", metavar="CODE", help="Move the codings of CODE and its sub-codes to this code.")
@click.option("--remove-codings", is_flag=True,
              help="Remove the codings of CODE and its sub-codes (undelete brings them back).")
@coder_option
def codebook_delete(project: str, code: str, reassign_to: str | None, remove_codings: bool, coder: str) -> None:
    """Delete CODE and its sub-codes from PROJECT, after an automatic backup.

    A code that has codings is deleted only when you say what becomes of them. Undo it with
    `workbench codebook undelete PROJECT`.
    """
    from ..codebook.ops import delete_code, descendants, resolve

    if reassign_to and remove_codings:
        raise WorkbenchError("codebook delete: give --reassign-to or --remove-codings, not both")
    with open_project(project) as opened:
        code_id = resolve(opened, code)
        target = resolve(opened, reassign_to) if reassign_to else None
        count = len(opened.codings(code_ids=descendants(opened, code_id)))
        if count and target is None and not remove_codings:
            raise WorkbenchError(
                f"code {code!r} has {count} coding{'s' if count != 1 else ''} (with its sub-codes); say what "
                "becomes of them with --reassign-to CODE or --remove-codings"
            )
        snapshot = delete_code(opened, code_id, reassign_to=target, remove_codings=remove_codings, coder=coder)
    below = len(snapshot["codes"]) - 1
    fate = ("" if not count else f", {count} codings moved to {reassign_to!r}" if target
            else f", {count} codings removed")
    click.echo(f"{project}: deleted {code!r}{f' and {below} sub-codes' if below else ''}{fate}; "
               f"undo with `workbench codebook undelete {project}`")


@codebook.command("undelete")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("code", required=False)
@coder_option
def codebook_undelete(project: str, code: str | None, coder: str) -> None:
    """Bring back the last deleted code (or the last deletion of CODE) with its sub-codes and codings."""
    from ..codebook.ops import undo_delete

    with open_project(project) as opened:
        detail = undo_delete(opened, code, coder)
    snapshot = detail["snapshot"]
    below = len(snapshot["codes"]) - 1
    click.echo(f"{project}: {detail['name']!r} is back{f' with {below} sub-codes' if below else ''}, "
               f"{len(snapshot['codings'])} codings")


@codebook.command("add")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("path")
@click.option("--zh", "name_zh", default="", metavar="NAME", help="The code's Chinese name.")
@coder_option
def codebook_add(project: str, path: str, name_zh: str, coder: str) -> None:
    """Add the code PATH ("Trust/Distrust"), with any missing codes above it."""
    from ..codebook.ops import add_path

    with open_project(project) as opened:
        _, created = add_path(opened, path, name_zh, coder)
    if created:
        click.echo(f"{project}: added {', '.join(created)}")
    else:
        click.echo(f"{project}: {path} is already there; nothing to do")


@codebook.command("merge")
@click.argument("a", type=click.Path(dir_okay=False))
@click.argument("b", type=click.Path(dir_okay=False))
@click.option("--base", "base", type=click.Path(dir_okay=False), metavar="O",
              help="The common ancestor of A and B (a three-way merge); without it, a two-way merge.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The merged codebook to write (.yaml .md .csv .docx).")
@click.option("--prefer", type=click.Choice(["A", "B"]), help="Settle every conflict with this side's version.")
@click.option("--no-fuzzy", is_flag=True, help="Match codes by guid, path and exact name only, not similar names.")
@json_option
def codebook_merge(a: str, b: str, base: str | None, output: str, prefer: str | None, no_fuzzy: bool,
                   as_json: bool) -> None:
    """Merge codebooks A and B (codebook files or projects) into a new file OUT.

    Codes are matched by guid, path, name in either language, then similar names (reported).
    Added, deleted, renamed, moved and duplicated codes are listed. A conflict (both changed
    one definition) stops the merge unless --prefer A or --prefer B settles it.
    """
    from ..codebook.export import export
    from ..codebook.merge import load, merge

    inputs = {Path(p).resolve() for p in (a, b, base) if p}
    if Path(output).resolve() in inputs:
        raise WorkbenchError(f"{output}: is one of the codebooks being merged; write the result to a new file")
    merged, report = merge(load(a), load(b), load(base) if base else None, prefer=prefer, fuzzy=not no_fuzzy)
    unresolved = report.unresolved
    if not unresolved:
        export(merged, output)
    if as_json:
        emit_json({"output": None if unresolved else output, "codes": len(merged), **report.as_json()})
    else:
        for line in report.lines():
            click.echo(line)
    if unresolved:
        raise WorkbenchError(f"{a} and {b}: {len(unresolved)} conflict{'s' if len(unresolved) != 1 else ''} "
                             f"({', '.join(sorted({c.path for c in unresolved}))}); settle them with --prefer A or "
                             f"--prefer B; {output} was not written")
    if not as_json:
        click.echo(f"{output}: {len(merged)} codes ({'three' if base else 'two'}-way merge)")
