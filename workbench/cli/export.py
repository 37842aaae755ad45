"""Export verbs: `export` (excerpts, appendix, tables, charts), `pseudonyms` and `translate`."""

from __future__ import annotations

import click

from ..model import WorkbenchError
from .base import cli, default_coder, coder_option, emit_json, is_terminal, json_option, open_project


@cli.command("export")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="The file to write; its suffix picks the format: .md .docx .html .tex (excerpts), "
                   ".csv .xlsx (one row per excerpt, or a --table), .png (a chart), .qdpx (the project).")
@click.option("--code", "codes", multiple=True, metavar="CODE", help="Only this code (path, name or Chinese name); repeatable.")
@click.option("--subcodes/--no-subcodes", default=True, show_default=True, help="Include each code's sub-codes.")
@click.option("--query", metavar="EXPR", help='Excerpts where a boolean query holds, e.g. "Trust AND NOT Distrust".')
@click.option("--where", multiple=True, metavar="ATTR=VALUE", help="Only documents whose case has this attribute; repeatable.")
@click.option("--coder", "coders", multiple=True, metavar="NAME", help="Only codings by this coder; repeatable.")
@click.option("--document", "documents", multiple=True, metavar="NAME", help="Only this document; repeatable.")
@click.option("--group-by", type=click.Choice(["code", "case"]), default="code", show_default=True,
              help="Headings of the excerpts document.")
@click.option("--cite", metavar="FORMAT", default="",
              help="Citation line: fields (case,role,city,place) or a template ('({case}, {city}, ¶{turn})'). "
                   "Default: (P07, trader, Yiwu, ¶14), or [00:12:31] for timed transcripts.")
@click.option("--deidentify", is_flag=True,
              help="Replace names, places and organisations by the project's pseudonym table (P07, [City A]).")
@click.option("--appendix", is_flag=True, help="Write the codebook appendix (.md .docx .csv) with counts.")
@click.option("--table", metavar="KIND", help="frequencies | cooccurrence | by:ATTR; printed without -o, else .csv/.xlsx.")
@click.option("--chart", metavar="KIND", help="With -o FILE.png: frequencies (default) | cooccurrence | by:ATTR.")
def export_(project: str, output: str | None, codes: tuple[str, ...], subcodes: bool, query: str | None,
            where: tuple[str, ...], coders: tuple[str, ...], documents: tuple[str, ...], group_by: str, cite: str,
            deidentify: bool, appendix: bool, table: str | None, chart: str | None) -> None:
    """Export coded excerpts, the codebook appendix, tables or charts for a paper.

    The format follows the suffix of -o. Files are written whole or not at all. With
    --deidentify, detected names are added to the pseudonym table (unconfirmed) and every
    replacement is applied; review the table with `workbench pseudonyms`.
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


@cli.command("pseudonyms")
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--detect", is_flag=True, help="Add the participants' names and the names, places and organisations "
                                             "found in every document (unconfirmed).")
@click.option("--export", "export_file", type=click.Path(dir_okay=False), help="Write the table as CSV for review.")
@click.option("--import", "import_file", type=click.Path(dir_okay=False),
              help="Read a reviewed CSV back: change replacement, kind, confirmed (yes/no); an empty replacement "
                   "keeps the original.")
@coder_option
@json_option
def pseudonyms(project: str, detect: bool, export_file: str | None, import_file: str | None, coder: str,
               as_json: bool) -> None:
    """Show, detect, export or import the pseudonym table used by `export --deidentify`."""
    from ..export import deidentify

    with open_project(project) as opened:
        if import_file:
            added, updated = deidentify.import_csv(opened, import_file, coder)
            click.echo(f"{import_file}: {added} added, {updated} changed")
        if detect:
            if is_terminal():
                click.echo("detecting names in every document…", err=True)
            found = deidentify.detect_in_project(opened, None, coder)
            click.echo(f"{project}: {len(found)} new candidate{'s' if len(found) != 1 else ''} (unconfirmed)")
        if export_file:
            count = deidentify.export_csv(opened, export_file)
            click.echo(f"{export_file}: {count} pseudonyms")
        rows = opened.pseudonyms()
    if as_json:
        emit_json([{"original": p.original, "replacement": p.replacement, "kind": p.kind,
                    "confirmed": p.confirmed, "source": p.source, "guid": p.guid} for p in rows])
        return
    if import_file or detect or export_file:
        return
    if not rows:
        click.echo(f"{project}: no pseudonyms yet (`workbench pseudonyms {project} --detect` finds candidates)")
    for p in rows:
        mark = "✓" if p.confirmed else "?"
        click.echo(f"{mark} {p.original} → {p.replacement or '(kept)'}  [{p.kind}, {p.source}]")


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
