"""The verbs of the foundation: init, import, codebook, code, query, search, backup, restore, demo, tui."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..model import WorkbenchError
from .base import OneLineErrors, cli, coder_option, emit_json, is_terminal, json_option, open_project


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--codebook", "codebook_file", type=click.Path(), help="A codebook YAML file to start with.")
@coder_option
def init(project: str, codebook_file: str | None, coder: str) -> None:
    """Create a new, empty project file PROJECT."""
    from ..codebook import load_yaml
    from ..codebook.ops import install
    from ..store import Project

    codebook = load_yaml(codebook_file) if codebook_file else None  # check before creating
    with Project.create(project) as opened:
        message = f"{project}: created"
        if codebook:
            added, _ = install(opened, codebook, coder)
            message += f" with {added} codes from {codebook_file}"
    click.echo(message)


@cli.command("import")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("files", nargs=-1, required=False)
@click.option("--participants", type=click.Path(), help="A CSV/XLSX table of participants (id, city, role, …).")
@click.option("--codings", is_flag=True,
              help="FILES are tables of codings (document, code, coder, start/end and/or quote), not transcripts.")
@click.option("--encoding", metavar="NAME",
              help="Read text files in this encoding (latin-1, cp1252, gb18030, …) instead of detecting it.")
@coder_option
def import_(project: str, files: tuple[str, ...], participants: str | None, codings: bool, encoding: str | None,
            coder: str) -> None:
    """Import transcripts (txt md docx pdf srt vtt csv xlsx, or folders of them) into PROJECT.

    REFI-QDA projects (.qdpx) and codebooks (.qdc) from NVivo, ATLAS.ti, MAXQDA or QualCoder
    import too: into a project with work, only what is new (by guid and content) is added.

    Each file is imported whole or not at all; an identical file already imported is skipped.
    When an encoding is a guess that may be wrong, a warning names it; `workbench documents`
    shows it again, and `--encoding NAME` (or `workbench document reimport`) fixes it.
    With --codings, each file is a table of codings, imported whole or not at all.
    """
    if codings:
        from .teams import import_codings_tables

        import_codings_tables(project, files, coder)
        return
    from ..importers import expand_folders
    from ..imports import import_files, link_participants

    if not files and not participants:
        raise WorkbenchError("import: name at least one file, or --participants")
    if participants:
        from ..participants import read_participants

        read_participants(participants)  # a broken table stops the import before any file goes in
    files = tuple(expand_folders(files))  # a folder stands for the transcripts in it
    refi = tuple(f for f in files if Path(f).suffix.lower() in (".qdpx", ".qdc"))
    files = tuple(f for f in files if f not in refi)
    failed = 0
    with open_project(project) as opened:
        for path in refi:  # REFI-QDA projects and codebooks from NVivo, ATLAS.ti, MAXQDA, QualCoder
            from ..exchange import import_file as import_refi

            try:
                summary = import_refi(opened, path, coder)
            except WorkbenchError as error:
                failed += 1
                click.echo(f"Error: {error}", err=True)
                continue
            click.echo(summary.message())
            for line in summary.report:
                click.echo(f"  {line}", err=True)
        outcomes = import_files(opened, files, coder, encoding=encoding)
        show_bar = is_terminal() and len(files) > 1
        with click.progressbar(outcomes, length=len(files), label="importing", file=sys.stderr,
                               hidden=not show_bar) as bar:
            for outcome in bar:
                if outcome.status == "failed":
                    failed += 1
                    click.echo(f"Error: {outcome.message}", err=True)
                elif not show_bar or outcome.status == "skipped":
                    click.echo(outcome.message)
                for warning in outcome.warnings:
                    click.echo(f"Warning: {warning}", err=True)
        if show_bar:
            click.echo(f"{len(files) - failed} of {len(files)} files imported or already there")
        if participants:
            click.echo(link_participants(opened, participants, coder))
    if failed:
        raise click.exceptions.Exit(1)


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


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("document")
@click.argument("code")
@click.argument("start", type=int, required=False)
@click.argument("end", type=int, required=False)
@click.option("--quote", metavar="TEXT", help="Code this quote instead of START END (spacing is ignored; "
              "a trailing … runs to the sentence's end).")
@click.option("--nth", type=click.IntRange(min=1), metavar="K", help="With --quote: the K-th occurrence (from 1).")
@coder_option
@click.option("--remove", is_flag=True, help="Remove this coding instead of adding it.")
def code(project: str, document: str, code: str, start: int | None, end: int | None, quote: str | None,
         nth: int | None, coder: str, remove: bool) -> None:
    """Code characters START to END of DOCUMENT with CODE (a name, Chinese name or path).

    Or name the text: `workbench code study.qda P02.txt 信任/不信任 --quote "我姓陈"`.
    Offsets are shown by `workbench show PROJECT DOCUMENT`.
    """
    from .. import coding

    if quote is None and (start is None or end is None):
        raise WorkbenchError("code: give START and END, or --quote TEXT")
    if quote is not None and start is not None:
        raise WorkbenchError("code: give START and END, or --quote TEXT, not both")
    if nth is not None and quote is None:
        raise WorkbenchError("code: --nth goes with --quote")
    with open_project(project) as opened:
        if quote is not None:
            start, end = coding.find_quote(opened, document, quote, nth)
        if remove:
            doc_id, code_id = coding.document_id(opened, document), coding.code_id(opened, code)
            found = opened.find_coding(doc_id, code_id, start, end, coder)
            if found is None:
                raise WorkbenchError(f"{document}: no coding {code!r} {start}–{end} by {coder}")
            coding.remove_coding(opened, found, coder)
            click.echo(f"removed coding {found}")
            return
        coding_id = coding.apply_code(opened, document, code, start, end, coder)
        text = opened.slice(opened.document_id(document) or coding.document_id(opened, document), start, end)
    click.echo(f"coding {coding_id}: {code} on {document} {start}–{end}: {text[:60]}{'…' if len(text) > 60 else ''}")


def _segment_json(segment) -> dict:
    data = {k: v for k, v in segment.__dict__.items() if v not in (None, ())}
    if segment.codings:  # which codings made the segment: code path, coder, coding id
        data["codings"] = [{"coding_id": cid, "code": path, "coder": coder} for cid, path, coder in segment.codings]
    return data


def _print_segments(segments, as_json: bool) -> None:
    if as_json:
        emit_json({"count": len(segments), "segments": [_segment_json(s) for s in segments]})
        return
    for segment in segments:
        who = ", ".join(x for x in (segment.case, segment.speaker) if x)
        applied = "; ".join(f"{path} by {coder} (#{cid})" for cid, path, coder in segment.codings)
        click.echo(click.style(f"{segment.document} {segment.start}–{segment.end}", bold=True)
                   + (f"  [{who}]" if who else "")
                   + (f"  {applied or segment.code}" if applied or segment.code else ""))
        click.echo("  " + segment.text.replace("\n", "\n  "))
    click.echo(f"{len(segments)} segments", err=not as_json and not sys.stdout.isatty())


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("expression")
@click.option("--where", multiple=True, metavar="ATTR=VALUE", help="Only documents whose case has this attribute.")
@click.option("--unit", type=click.Choice(["span", "turn"]), default="span", show_default=True,
              help="span: the text where the expression holds; turn: whole turns where it holds.")
@click.option("--coded-by", "coded_by", multiple=True, metavar="CODER",
              help="Only the codings of this coder (repeat for several).")
@json_option
def query(project: str, expression: str, where: tuple[str, ...], unit: str, coded_by: tuple[str, ...],
          as_json: bool) -> None:
    """Retrieve segments by codes: "Trust", "Trust AND NOT Distrust", "(Hukou OR Schooling) AND 信任"."""
    from .. import query as query_module
    from ..coding import parse_where

    with open_project(project) as opened:
        unknown = [name for name in coded_by if name not in opened.coders()]
        if unknown:
            from ..closest import hint

            raise WorkbenchError(f"{project}: no coder named {unknown[0]!r}{hint(unknown[0], opened.coders())} "
                                 f"(coders: {', '.join(opened.coders())})")
        segments = query_module.run(opened, expression, unit=unit, where=parse_where(where),
                                    coders=list(coded_by) or None)
    _print_segments(segments, as_json)


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("term", nargs=-1, required=True)
@click.option("--width", type=click.IntRange(10, 2000), default=60, show_default=True,
              help="Characters of context on each side of a hit.")
@click.option("--coded-by", "coded_by", multiple=True, metavar="CODER",
              help="Only hits inside text this coder coded (repeatable).")
@json_option
def search(project: str, term: tuple[str, ...], width: int, coded_by: tuple[str, ...], as_json: bool) -> None:
    """Find TERM in every turn; print each hit in its context with the turn number and speaker.

    \b
    Syntax (quote it for the shell: workbench search study.qda '"data quality" -survey'):
      trust committee     both words in the turn (trusted, trusts count too)
      "data quality"      the words next to each other; "美国经济" the words 美国 经济 in a row
      bias OR fairness    either word
      trust -distrust     not in turns with distrust (also: trust NOT distrust)
      trust*              words starting with trust
      (a OR b) c          parentheses group
    Chinese is found as words (jieba) and as plain text, so 居委 finds 居委会.
    """
    from ..search import search as run_search
    from ..search import within_codings_of

    with open_project(project) as opened:
        hits = run_search(opened, " ".join(term))
        if coded_by:
            unknown = sorted(set(coded_by) - set(opened.coders()))
            if unknown:
                from ..closest import hint

                raise WorkbenchError(f"{project}: no coder named {', '.join(unknown)}"
                                     f"{hint(unknown[0], opened.coders())} "
                                     f"(coders: {', '.join(opened.coders()) or 'none yet'})")
            hits = within_codings_of(opened, hits, coded_by)
    if as_json:
        emit_json({"count": sum(len(h.matches) for h in hits), "turns": len(hits), "hits": [
            {"document": h.document, "document_id": h.document_id, "turn": h.turn, "speaker": h.speaker,
             "turn_start": h.turn_start, "turn_end": h.turn_end,
             "matches": [{"start": a, "end": b, "text": h.context[a - h.turn_start:b - h.turn_start],
                          **_window(h, a, b, width)} for a, b in h.matches]}
            for h in hits]})
        return
    marked = sys.stdout.isatty()
    for hit in hits:
        click.echo(click.style(f"{hit.document}  turn {hit.turn}", bold=True)
                   + (f"  {hit.speaker}" if hit.speaker else "") + f"  [{hit.turn_start}–{hit.turn_end}]")
        for group in _close_matches(hit.matches, width)[:5]:
            first, last = group[0][0], group[-1][1]
            window = _window(hit, first, last, width)
            line = window["before"]
            cursor = first
            for a, b in group:
                line += hit.context[cursor - hit.turn_start:a - hit.turn_start]
                word = hit.context[a - hit.turn_start:b - hit.turn_start]
                line += click.style(word, reverse=True, bold=True) if marked else f"[{word}]"
                cursor = b
            line += window["after"]
            click.echo(f"  {first}: " + line.replace("\n", " "))
        extra = len(_close_matches(hit.matches, width)) - 5
        if extra > 0:
            click.echo(f"  … {extra} more in this turn (workbench show {project} {hit.document!r} --turn {hit.turn})")
    click.echo(f"{sum(len(h.matches) for h in hits)} hits in {len(hits)} turns", err=True)


def _window(hit, start: int, end: int, width: int) -> dict:
    """The context on each side of a hit, within its turn, with … where it was cut."""
    import unicodedata

    def cells(char: str) -> int:  # a Chinese character is as wide as two Latin ones
        return 2 if unicodedata.east_asian_width(char) in "WF" else 1

    a, b = start - hit.turn_start, end - hit.turn_start
    first, used = a, 0
    while first > 0 and used + cells(hit.context[first - 1]) <= width:
        first -= 1
        used += cells(hit.context[first])
    last, used = b, 0
    while last < len(hit.context) and used + cells(hit.context[last]) <= width:
        used += cells(hit.context[last])
        last += 1
    return {"before": ("…" if first > 0 else "") + hit.context[first:a],
            "after": hit.context[b:last] + ("…" if last < len(hit.context) else "")}


def _close_matches(matches, width: int) -> list[list[tuple[int, int]]]:
    """Matches near one another share a line of context."""
    groups: list[list[tuple[int, int]]] = []
    for start, end in matches:
        if groups and start - groups[-1][-1][1] <= width:
            groups[-1].append((start, end))
        else:
            groups.append([(start, end)])
    return groups


@cli.command("backup")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the backup to this file instead of PROJECT.backups/.")
@click.option("--list", "list_only", is_flag=True, help="List PROJECT's backups, oldest first, instead of making one.")
@json_option
def backup_command(project: str, output: str | None, list_only: bool, as_json: bool) -> None:
    """Make a consistent copy of PROJECT (safe while others work in it), or list its backups.

    Backups live in PROJECT.backups/ beside it. The automatic ones, made before every
    destructive change, are rotated; the ones made with this command are kept.
    """
    from ..backup import folder_of, list_backups, make_backup

    if list_only:
        found = list_backups(project)
        if as_json:
            emit_json({"folder": str(folder_of(project)), "backups": [
                {"path": str(b.path), "name": b.path.name, "at": b.at.isoformat(), "action": b.action,
                 "size": b.size, "automatic": b.automatic} for b in found]})
            return
        for item in found:
            when = item.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            click.echo(f"{item.path.name}  {when}  {item.action}  {item.size / 1048576:.1f} MB")
        click.echo(f"{len(found)} backups in {folder_of(project)}", err=True)
        return
    with open_project(project) as opened:
        made = make_backup(opened, output=output)
    if as_json:
        emit_json({"path": str(made)})
        return
    click.echo(str(made))


@cli.command("restore")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("backup_file", metavar="BACKUP")
@coder_option
def restore_command(project: str, backup_file: str, coder: str) -> None:
    """Put BACKUP's contents into PROJECT; BACKUP is a path or a name from `backup --list`.

    PROJECT as it is now is backed up first, so a restore can be undone the same way. Other
    programs with PROJECT open see the change at once. A missing PROJECT is made from BACKUP.
    """
    from ..backup import resolve, restore

    source = resolve(project, backup_file)
    before = restore(project, source, coder)
    note = f"; the state before is kept in {before}" if before else ""
    click.echo(f"{project}: restored from {source}{note}")


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option("--no-tui", is_flag=True, help="Only build the demo project; do not open it.")
@coder_option
def demo(folder: str | None, no_tui: bool, coder: str) -> None:
    """Build the demo project (bundled transcripts and codebook) and open it."""
    from ..demo import build_demo

    path = build_demo(Path(folder) if folder else None, say=lambda line: click.echo(line, err=True))
    click.echo(str(path))
    if not no_tui:
        _run_tui(path, coder)


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@coder_option
def tui(project: str, coder: str) -> None:
    """Open PROJECT in the terminal workbench."""
    open_project(project).close()  # a clear error before the screen takes over
    _run_tui(Path(project), coder)


def _run_tui(path: Path, coder: str) -> None:
    from ..tui.app import run

    run(path, coder)
