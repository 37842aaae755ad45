"""The verbs of the foundation: init, import, code, query, search, backup, restore, demo, tui."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..model import WorkbenchError
from .base import cli, coder_option, emit_json, is_terminal, json_option, open_project


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
    files = tuple(str(f) for f in expand_folders(files))  # a folder stands for the transcripts in it
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
        # Names and paths become ids here, at the edge; the core takes ids.
        doc_id = coding.document_id(opened, document)
        if quote is not None:
            start, end = coding.find_quote(opened, doc_id, quote, nth)
        assert start is not None and end is not None  # given, or found by the quote (checked above)
        code_id = coding.code_id(opened, code)
        if remove:
            found = opened.find_coding(doc_id, code_id, start, end, coder)
            if found is None:
                raise WorkbenchError(f"{document}: no coding {code!r} {start}–{end} by {coder}")
            coding.remove_coding(opened, found, coder)
            click.echo(f"removed coding {found}")
            return
        coding_id = coding.apply_code(opened, doc_id, code_id, start, end, coder)
        text = opened.slice(doc_id, start, end)
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
    from ..text.contexts import flat

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
             "matches": [{"start": a, "end": b, "text": h.context[a - h.turn_start:b - h.turn_start], **window}
                         for (a, b), window in zip(h.matches, _windows(h, h.matches, width), strict=True)]}
            for h in hits]})
        return
    marked = sys.stdout.isatty()
    for hit in hits:
        click.echo(click.style(f"{hit.document}  turn {hit.turn}", bold=True)
                   + (f"  {hit.speaker}" if hit.speaker else "") + f"  [{hit.turn_start}–{hit.turn_end}]")
        groups = _close_matches(hit.matches, width)
        shown = groups[:5]
        for group, window in zip(shown, _windows(hit, [(g[0][0], g[-1][1]) for g in shown], width), strict=True):
            first = group[0][0]
            line = window["before"]
            cursor = first
            for a, b in group:
                line += hit.context[cursor - hit.turn_start:a - hit.turn_start]
                word = hit.context[a - hit.turn_start:b - hit.turn_start]
                line += click.style(word, reverse=True, bold=True) if marked else f"[{word}]"
                cursor = b
            line += window["after"]
            click.echo(f"  {first}: " + flat(line))
        extra = len(groups) - len(shown)
        if extra > 0:
            click.echo(f"  … {extra} more in this turn (workbench show {project} {hit.document!r} --turn {hit.turn})")
    click.echo(f"{sum(len(h.matches) for h in hits)} hits in {len(hits)} turns", err=True)


def _windows(hit, spans, width: int) -> list[dict]:
    """The context on each side of each span (document offsets) within its turn, with … where it was
    cut: the concordance's windows (`text/contexts.py`), so `search` and `kwic` show the same stretch."""
    from ..text.contexts import Contexts

    text, offset = hit.context, hit.turn_start
    local = [(a - offset, b - offset) for a, b in spans]
    return [{"before": ("…" if first > 0 else "") + text[first:a],
             "after": text[b:last] + ("…" if last < len(text) else "")}
            for (a, b), (first, last) in zip(local, Contexts(text).bounds(local, width), strict=True)]


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
    """Decide the coder here, as harlequin's cli does its options, then build the app: a --coder
    the person typed, or $WORKBENCH_CODER, is the coder; the default (the login name) is only
    offered when the workbench asks who is coding."""
    from ..tui.app import run

    context = click.get_current_context(silent=True)
    source = context.get_parameter_source("coder") if context is not None and "coder" in context.params else None
    chosen = source is None or source.name != "DEFAULT" or bool(os.environ.get("WORKBENCH_CODER"))
    run(path, coder if chosen and coder else None, suggested_coder=coder)
