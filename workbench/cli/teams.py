"""The verbs of teams: coders, agree, merge (and `import --codings`, in core); `codebook merge` is in codebook."""

from __future__ import annotations

import click

from ..model import WorkbenchError
from .base import cli, coder_option, emit_json, json_option, open_project


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@json_option
def coders(project: str, as_json: bool) -> None:
    """List PROJECT's coders with how many codings, documents, codes and memos each has."""
    with open_project(project) as opened:
        rows = opened.coder_counts()
    if as_json:
        emit_json({"coders": [{k: v for k, v in row.items() if k != "id"} for row in rows]})
        return
    if not rows:
        click.echo(f"{project}: no coders yet")
        return
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        click.echo(f"{row['name']:<{width}}  {row['codings']:>6} codings  {row['documents']:>4} documents  "
                   f"{row['codes']:>4} codes  {row['memos']:>4} memos")


def _number(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}%" if percent else f"{value:.3f}"


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False))
@click.option("--coders", "names", required=True, metavar="A,B[,C…]", help="The coders to compare, by name.")
@click.option("--code", metavar="CODE", help="Only this code and its sub-codes (a name, Chinese name or path).")
@click.option("--level", type=click.Choice(["char", "segment"]), default="char", show_default=True,
              help="char: every character (as NVivo); segment: sentences or turns.")
@click.option("--unit", type=click.Choice(["sentence", "turn"]), default="sentence", show_default=True,
              help="The segment at --level segment.")
@click.option("--min-share", type=float, default=0.0, show_default=True,
              help="Share of a segment a coder's codings must cover for it to count as coded (0: any overlap).")
@click.option("--show", type=int, default=20, show_default=True, help="How many disagreements to print (text output).")
@json_option
def agree(project: str, names: str, code: str | None, level: str, unit: str, min_share: float, show: int,
          as_json: bool) -> None:
    """Intercoder agreement of the named coders, per code and overall.

    Computed over the documents every named coder has coded: percent agreement, Cohen's kappa
    (Fleiss' for three or more coders) and Krippendorff's alpha (nominal; a document only some
    coders coded counts for alpha, with the others missing). Disagreements are listed with their
    passages.
    """
    from ..agreement import as_json as agreement_json
    from ..agreement import compute

    coder_names = [name.strip() for name in names.split(",") if name.strip()]
    with open_project(project) as opened:
        result = compute(opened, coder_names, code=code, level=level, unit=unit, min_share=min_share)
        documents = {row.id: row.name for row in opened.documents()}
        data = agreement_json(result, documents, lambda d: opened.slice(d.document, d.start, d.end),
                              limit=None if as_json else show)
    if as_json:
        emit_json(data)
        return
    level_text = ("characters" if level == "char"
                  else f"{unit}s" + (f" (≥ {min_share:.0%} covered)" if min_share else ""))
    click.echo(f"{', '.join(result.coders)} over {len(result.documents)} documents they all coded, by {level_text}")
    if not result.documents:
        click.echo("no document was coded by every one of them; nothing to compare", err=True)
    from ..textable import Column, render, terminal_width

    many = len(result.coders) > 2
    # The coded column counts what the level compares: characters, or sentences/turns at segment level.
    unit_name = "characters" if level == "char" else f"{unit}s"
    columns = [Column("code", flex=True), Column("agree", right=True),
               Column("Fleiss κ" if many else "kappa", right=True), Column("alpha", right=True),
               Column(f"{unit_name} coded ({' / '.join(result.coders)})")]
    rows = []
    for entry in data["codes"] + [dict(data["overall"], code="overall")]:
        if level == "char":
            coded = entry["chars"].values() if many else (entry["chars_a"], entry["chars_b"])
        else:
            coded = entry["units_coded"].values()
        rows.append([entry["code"], _number(entry["percent"], True), _number(entry["kappa"]), _number(entry["alpha"]),
                     " / ".join(f"{c:,}" for c in coded)])
    for line in render(columns, rows, terminal_width()):
        click.echo(line)
    if data["overall"]["mean_kappa"] is not None:
        click.echo(f"mean kappa over codes: {data['overall']['mean_kappa']:.3f}")
    if data["disagreements"]:
        first = f" (first {show})" if len(result.disagreements) > show else ""
        click.echo(f"\n{len(result.disagreements)} disagreements{first}:")
        for item in data["disagreements"]:
            passage = " ".join(item["text"].split())
            click.echo(click.style(f"{item['document']} {item['start']}–{item['end']}", bold=True)
                       + f"  {item['code']}: only {', '.join(item['applied_by'])}")
            click.echo(f"  {passage[:100]}{'…' if len(passage) > 100 else ''}")


def import_codings_tables(project: str, tables: tuple[str, ...], coder: str) -> None:
    """`import --codings`: each table whole or not at all, a summary line each."""
    from ..codings_table import import_codings

    if not tables:
        raise WorkbenchError("import --codings: name at least one table (.csv or .xlsx)")
    with open_project(project) as opened:
        for table in tables:
            click.echo(import_codings(opened, table, coder).summary())


@cli.command()
@click.argument("into", type=click.Path(dir_okay=False))
@click.argument("source", metavar="FROM", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Print what the merge would do, and change nothing.")
@click.option("--same-coder", "same_coder", multiple=True, metavar="THEIRS=OURS",
              help="FROM's coder THEIRS is INTO's coder OURS (one person, two guids); repeatable.")
@coder_option
@json_option
def merge(into: str, source: str, dry_run: bool, same_coder: tuple[str, ...], coder: str, as_json: bool) -> None:
    """Bring another coder's project FROM into INTO: documents, codes, codings, memos, cases.

    Documents are matched by guid or text (never duplicated), codes by guid, then full path (a
    same name elsewhere in the tree is reported, not matched); both coders' codings are kept. A
    coder is a person (guid): another "student" becomes "student (2)" unless --same-coder says
    they are one. What either side deleted stays deleted. INTO is backed up first, the merge is
    recorded, and running it again changes nothing.
    """
    from ..merge import merge_projects

    pairs = {}
    for item in same_coder:
        theirs, sep, ours = item.partition("=")
        if not sep or not theirs.strip() or not ours.strip():
            raise WorkbenchError(f"--same-coder {item!r}: write THEIRS=OURS, e.g. --same-coder student=student")
        pairs[theirs.strip()] = ours.strip()
    summary = merge_projects(into, source, coder, dry_run=dry_run, same_coders=pairs)
    if as_json:
        emit_json(summary.as_json())
        return
    for line in summary.lines():
        click.echo(line)
