"""Export verbs: `export` (excerpts, appendix, tables, charts), `pseudonyms` and `translate`."""

from __future__ import annotations

import click

from ..model import WorkbenchError
from .base import cli, coder_option, default_coder, emit_json, is_terminal, json_option, open_project


@cli.command("export")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="The file to write; its suffix picks the format: .md .docx .html .tex (excerpts), "
                   ".csv .xlsx (one row per excerpt, or a --table), .png (a chart), .qdpx (the project).")
@click.option("--code", "codes", multiple=True, metavar="CODE",
              help="Only this code (path, name or Chinese name); repeatable.")
@click.option("--subcodes/--no-subcodes", default=True, show_default=True, help="Include each code's sub-codes.")
@click.option("--query", metavar="EXPR", help='Excerpts where a boolean query holds, e.g. "Trust AND NOT Distrust".')
@click.option("--where", multiple=True, metavar="ATTR=VALUE",
              help="Only documents whose case has this attribute; repeatable.")
@click.option("--coder", "coders", multiple=True, metavar="NAME", help="Only codings by this coder; repeatable.")
@click.option("--document", "documents", multiple=True, metavar="NAME", help="Only this document; repeatable.")
@click.option("--group-by", type=click.Choice(["code", "case"]), default="code", show_default=True,
              help="Headings of the excerpts document.")
@click.option("--cite", metavar="FORMAT", default="",
              help="Citation line: fields (case,role,city,place) or a template ('({case}, {city}, ¶{turn})'). "
                   "Default: (P07, trader, Yiwu, ¶14), or [00:12:31] for timed transcripts.")
@click.option("--deidentify", is_flag=True,
              help="Replace the confirmed names, places and organisations (P07, [City A]) everywhere; "
                   "a record of replacements is written beside the file.")
@click.option("--appendix", is_flag=True, help="Write the codebook appendix (.md .docx .csv) with counts.")
@click.option("--table", metavar="KIND",
              help="frequencies | cooccurrence | by:ATTR; printed without -o, else .csv/.xlsx.")
@click.option("--chart", metavar="KIND", help="With -o FILE.png: frequencies (default) | cooccurrence | by:ATTR.")
def export_(project: str, output: str | None, codes: tuple[str, ...], subcodes: bool, query: str | None,
            where: tuple[str, ...], coders: tuple[str, ...], documents: tuple[str, ...], group_by: str, cite: str,
            deidentify: bool, appendix: bool, table: str | None, chart: str | None) -> None:
    """Export coded excerpts, the codebook appendix, tables or charts for a paper.

    The format follows the suffix of -o. Files are written whole or not at all. With
    --deidentify, only CONFIRMED terms are replaced (the participants' names, and what was
    confirmed with `workbench pseudonyms`); names detected in the excerpts are added as
    candidates and counted, never applied. A record FILE.deid-record.csv is written beside.
    """
    from ..coding import parse_where
    from ..export.run import Options, export
    from ..export.select import Selection
    if query and codes:
        raise WorkbenchError("export: give --code or --query, not both (a query names its codes)")
    options = Options(
        selection=Selection(codes=codes, subcodes=subcodes, query=query, where=parse_where(where),
                            coders=coders, documents=documents),
        group_by=group_by, cite=cite, deidentify=deidentify, appendix=appendix, table=table, chart=chart,
        coder=default_coder(),  # --coder filters here; the runner is $WORKBENCH_CODER
    )
    show = (lambda message: click.echo(f"{message}…", err=True)) if is_terminal() else None
    with open_project(project) as opened:
        result = export(opened, output, options, progress=show)
    if result.text:
        click.echo(result.text)
        if result.deidentified is not None:
            click.echo(result.deidentified.summary(), err=True)
        return
    click.echo(result.summary())


class _Several(click.Option):
    """An option that takes every value up to the next option: `--confirm "Chen Jun" 京东 --reject 太多`.

    click has no such option type; its parser's option object is wrapped (if a later click changes
    that internal, the option still works repeated: `--confirm A --confirm B`).
    """

    def add_to_parser(self, parser, ctx):
        result = super().add_to_parser(parser, ctx)
        for name in self.opts:
            option = getattr(parser, "_long_opt", {}).get(name) or getattr(parser, "_short_opt", {}).get(name)
            if option is None or not hasattr(option, "process"):
                continue
            single = option.process

            def process(value, state, single=single):
                single(value, state)
                while state.rargs and not state.rargs[0].startswith("--"):
                    single(state.rargs.pop(0), state)

            option.process = process
        return result


@cli.command("pseudonyms")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--detect", is_flag=True, help="Propose names, places and organisations found in every document "
                                             "(candidates; nothing is applied until confirmed).")
@click.option("--confirm", "to_confirm", cls=_Several, multiple=True, metavar="TERM...",
              help="Confirm candidates (or add terms) so exports replace them: every term up to the next option.")
@click.option("--reject", "to_reject", cls=_Several, multiple=True, metavar="TERM...",
              help="Reject candidates (ordinary words): never replaced nor proposed again; "
                   "every term up to the next option.")
@click.option("--kind", type=click.Choice(["person", "place", "organisation"]), default="person", show_default=True,
              help="The kind of a term --confirm adds that the table does not have yet.")
@click.option("--all", "show_all", is_flag=True,
              help="List every row (confirmed, candidate, rejected), not only candidates.")
@click.option("--export", "export_file", type=click.Path(dir_okay=False), help="Write the table as CSV for review.")
@click.option("--import", "import_file", type=click.Path(dir_okay=False),
              help="Read a reviewed CSV back: change replacement, kind, confirmed (yes/no); confirmed no with an "
                   "empty replacement rejects a candidate.")
@coder_option
@json_option
def pseudonyms(project: str, detect: bool, to_confirm: tuple[str, ...], to_reject: tuple[str, ...], kind: str,
               show_all: bool, export_file: str | None, import_file: str | None, coder: str,
               as_json: bool) -> None:
    """Review the pseudonym table used by `export --deidentify`: candidates with contexts and counts.

    Only confirmed terms are ever replaced (the participants table's names are confirmed). Decide
    candidates with --confirm/--reject (several terms: `--confirm "Chen Jun" 京东`), in the TUI (P),
    or in a spreadsheet with --export/--import.
    """
    from ..export import deidentify

    with open_project(project) as opened:
        if import_file:
            added, updated = deidentify.import_csv(opened, import_file, coder)
            click.echo(f"{import_file}: {added} added, {updated} changed")
        if detect:
            if is_terminal():
                click.echo("detecting names in every document…", err=True)
            found = deidentify.detect_in_project(opened, None, coder)
            click.echo(f"{project}: {len(found)} new candidate{'s' if len(found) != 1 else ''} "
                       "(not applied until confirmed)")
        else:
            deidentify.sync_participants(opened, coder)
        decided = False
        for option, decision in ((to_confirm, deidentify.CONFIRMED), (to_reject, deidentify.REJECTED)):
            chosen = list(option)
            if chosen:
                done = deidentify.decide(opened, chosen, decision, coder, kind)
                click.echo(f"{decision}: {', '.join(done)}")
                decided = True
        if export_file:
            count = deidentify.export_csv(opened, export_file)
            click.echo(f"{export_file}: {count} pseudonyms")
        statuses = (deidentify.CONFIRMED, deidentify.CANDIDATE, deidentify.REJECTED) if show_all else (
            deidentify.CANDIDATE,)
        listing = as_json or not (import_file or export_file or decided or detect)
        rows = deidentify.review(opened, statuses) if listing else []
        undecided = len(deidentify.candidates(opened.pseudonyms()))
    if as_json:
        emit_json([{"original": r.original, "replacement": r.replacement, "kind": r.kind, "status": r.status,
                    "confirmed": r.status == deidentify.CONFIRMED, "source": r.source, "count": r.count,
                    "contexts": list(r.contexts)} for r in rows])
        return
    if import_file or export_file or decided or detect:
        click.echo(f"{undecided} candidate{'s' if undecided != 1 else ''} undecided")
        return
    if not rows:
        what = "rows" if show_all else "undecided candidates"
        click.echo(f"{project}: no {what} "
                   f"(`workbench pseudonyms {project} --detect` proposes some; --all lists every row)")
    mark = {deidentify.CONFIRMED: "✓", deidentify.CANDIDATE: "?", deidentify.REJECTED: "✗"}
    for r in rows:
        click.echo(f"{mark[r.status]} {r.original} → {r.replacement or '(kept)'}  [{r.kind}, {r.source}, "
                   f"{r.count}×]")
        for context in r.contexts:
            click.echo(f"    {context}")


@cli.command("translate")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("coding_id", type=int)
@click.argument("text")
@click.option("--lang", default="en", show_default=True, help="The translation's language.")
@coder_option
def translate(project: str, coding_id: int, text: str, lang: str, coder: str) -> None:
    """Keep a translation of one coding's text, exported beside the original (empty TEXT removes it)."""
    from ..export.translations import set_translation

    with open_project(project) as opened:
        set_translation(opened, coding_id, text, lang, coder)
    click.echo(f"coding {coding_id}: translation {'removed' if not text.strip() else 'kept'}")
