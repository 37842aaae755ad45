"""The verbs that show what the material is about: words, kwic, themes."""

from __future__ import annotations

import dataclasses

import click

from ..model import ThemeMember, WorkbenchError
from .base import cli, coder_option, emit_json, is_terminal, json_option, open_project

_project_arg = click.argument("project", type=click.Path(dir_okay=False))


def _indexing(label: str):
    """A progress callback for building the word index: a line on a terminal, silence when piped."""
    if not is_terminal():
        return None

    def report(done: int, total: int) -> None:
        click.echo(f"\r{label}: {done}/{total} documents", nl=done == total, err=True)

    return report


def _chart_note(chart) -> None:
    click.echo(f"chart: {chart.path}")
    if chart.font is None:
        click.echo("No Chinese (CJK) font found on this machine (install fonts-noto-cjk); Chinese labels are "
                   "shown as zh-N: " + ", ".join(f"{k} = {v}" for k, v in chart.legend.items()), err=True)


@cli.command()
@_project_arg
@click.option("--code", help="Count only the passages of this code (its sub-codes included).")
@click.option("--where", multiple=True, metavar="ATTR=VALUE", help="Only documents whose case matches (repeatable).")
@click.option("--lang", metavar="LANG", help="Only one language's words: zh, en, or any other found (fr, de...).")
@click.option("--top", default=30, show_default=True, type=click.IntRange(1), help="How many words to show.")
@click.option("--by", "by", metavar="ATTR", help="Compare groups (e.g. city): each group's characteristic words.")
@click.option("--png", type=click.Path(dir_okay=False), help="Also draw a bar chart into this PNG file.")
@json_option
def words(project: str, code: str | None, where: tuple[str, ...], lang: str | None, top: int, by: str | None,
          png: str | None, as_json: bool) -> None:
    """Word frequencies: jieba words for Chinese, lemmas for English, stop words and fillers left out.

    With --by ATTR, the words characteristic of each group of documents (log-likelihood G²
    against the other groups). The word index is built once per document, on first use.
    """
    from .. import words as core
    from ..coding import parse_where

    where_ = parse_where(where)
    with open_project(project) as opened:
        if by:
            table = core.keyness(opened, by, code=code, where=where_, lang=lang, top=top,
                                 progress=_indexing("indexing words"))
            if as_json:
                emit_json(core.keyness_json(table))
                return
            for group, rows in table.groups.items():
                if not table.totals[group]:
                    continue
                click.echo(f"{by} = {group}  ({table.totals[group]:,} words)")
                for k in rows:
                    click.echo(f"  {k.term}\t{k.n}\t{k.per_10k:.1f}/10k (others {k.per_10k_rest:.1f})\tG²={k.g2:.1f}")
            if png:
                best = [(f"{g}: {k.term}", k.g2) for g, rows in table.groups.items() for k in rows[:3]]
                _chart_note(_chart(png, best, f"Characteristic words by {by}", "log-likelihood G²"))
            return
        counted = core.frequencies(opened, code=code, where=where_, lang=lang, top=top,
                                   progress=_indexing("indexing words"))
    if as_json:
        emit_json(core.as_json(counted))
    else:
        click.echo(f"{counted.scope}: {counted.total:,} words in {counted.documents} documents")
        for row in counted.rows:
            click.echo(f"{row.term}\t{row.lang}\t{row.n}\t{row.per_10k:.1f}/10k")
        for note in counted.notes:
            click.echo(f"note: {note}", err=True)
    if png:
        _chart_note(_chart(png, [(r.term, r.n) for r in counted.rows], f"Word frequency ({counted.scope})", "count"))


@cli.command()
@_project_arg
@click.argument("action", type=click.Choice(["list", "add", "remove"]), default="list")
@click.argument("terms", nargs=-1)
@coder_option
@json_option
def stopwords(project: str, action: str, terms: tuple[str, ...], coder: str, as_json: bool) -> None:
    """The project's own stop words, left out of word counts and theme labels on top of the built-in lists.

    `add` and `remove` take words (English as typed; they are counted as lemmas: `add kids` adds `kid`).
    """
    from .. import words as core

    if action != "list" and not terms:
        raise WorkbenchError(f"stopwords {action}: give the words to {action}")
    with open_project(project) as opened:
        if action == "add":
            changed = core.add_stopwords(opened, terms, coder)
        elif action == "remove":
            changed = core.remove_stopwords(opened, terms, coder)
        else:
            changed = []
        listed = opened.stopwords()
    if as_json:
        emit_json({"stopwords": listed, **({action: changed} if action != "list" else {})})
        return
    if action == "add":
        click.echo(f"added {len(changed)}: {' '.join(changed)}" if changed else "nothing new to add")
    elif action == "remove":
        click.echo(f"removed {len(changed)}: {' '.join(changed)}" if changed else "none of these were stop words here")
    else:
        click.echo(" ".join(listed) if listed else f"{project}: no stop words of its own yet "
                   f"(add some with `workbench stopwords {project} add WORD...`)")


def _chart(png: str, pairs: list[tuple[str, float]], title: str, xlabel: str):
    from ..charts import bar_chart

    if not pairs:
        raise WorkbenchError(f"{png}: nothing to draw (no words in scope)")
    return bar_chart([p[0] for p in pairs], [p[1] for p in pairs], png, title=title, xlabel=xlabel)


@cli.command()
@_project_arg
@click.argument("term")
@click.option("--width", default=30, show_default=True, type=click.IntRange(1, 500),
              help="Columns of context on each side (a Chinese character takes two).")
@click.option("--subwords", is_flag=True, help="Chinese: also inside longer words (商会 in 商会会长); any substring.")
@click.option("--where", multiple=True, metavar="ATTR=VALUE", help="Only documents whose case matches (repeatable).")
@json_option
def kwic(project: str, term: str, width: int, subwords: bool, where: tuple[str, ...], as_json: bool) -> None:
    """Keyword in context: every occurrence of TERM, aligned, with the words around it.

    Chinese matches whole jieba words; English matches lemmas (trust finds trusted, trusting).
    """
    from .. import kwic as core
    from ..coding import documents_matching, parse_where

    where_ = parse_where(where)
    with open_project(project) as opened:
        allowed = documents_matching(opened, where_) if where_ else None
        lines = core.kwic(opened, term, width=width, subwords=subwords, documents=allowed)
    if as_json:
        emit_json({"term": term, "width": width, "subwords": subwords, "lines": core.as_json(lines)})
        return
    if not lines:
        click.echo(f"{term}: not found" + ("" if subwords else " as a word (try --subwords)"))
        return
    name_width = min(24, max(len(line.document) for line in lines))
    for line in lines:
        name = line.document if len(line.document) <= name_width else line.document[:name_width - 1] + "…"
        click.echo(f"{name:<{name_width}} {line.start:>7}  {core.aligned(line, width)}")
    click.echo(f"{len(lines)} occurrence{'s' if len(lines) != 1 else ''}", err=True)


class ThemesVerbs(click.Group):
    """`themes run|list|show|promote|evaluate`, and today's forms kept: `themes PROJECT [options]` runs,
    `--runs` lists, `--run N` shows, `--promote ID` promotes (issue 22)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = _legacy(args)
        return super().parse_args(ctx, args)


def _legacy(args: list[str]) -> list[str]:
    """The sub-verb an old-style call means, with its options moved to their new places."""
    project, rest = args[0], list(args[1:])

    def take(flag: str, value: bool = True) -> str | bool | None:
        for i, arg in enumerate(rest):
            if arg == flag:
                del rest[i]
                return rest.pop(i) if value and i < len(rest) else (True if not value else None)
            if value and arg.startswith(flag + "="):
                del rest[i]
                return arg.split("=", 1)[1]
        return None

    if take("--runs", value=False):
        return ["list", project, *rest]
    theme = take("--promote")
    if theme is not None:
        return ["promote", project, str(theme), *rest]
    run_id = take("--run")
    if run_id is not None:
        return ["show", project, str(run_id), *rest]
    return ["run", project, *rest]


@cli.group(cls=ThemesVerbs, invoke_without_command=False)
def themes() -> None:
    """Candidate themes: segments clustered by what they say, each labelled by its words, with excerpts.

    \b
      themes run PROJECT        cluster (k chosen by stable coverage; --k to set it)
      themes list PROJECT       the recorded runs
      themes show PROJECT [N]   a run again (the latest by default)
      themes promote PROJECT T  theme T's passages become suggestions for a code (nothing is coded)
      themes evaluate PROJECT   TF-IDF and the encoder compared on this project (auto takes the winner)

    The old forms still work: `themes PROJECT`, `--runs`, `--run N`, `--promote T`.
    """


_unit_option = click.option("--unit", type=click.Choice(["sentence", "turn"]), default="sentence",
                            show_default=True, help="What is clustered.")
_scope_option = click.option("--scope", default="uncoded", show_default=True, metavar="uncoded|all|CODE",
                             help="Uncoded text, all text, or the passages of a code.")
_seed_option = click.option("--seed", default=0, show_default=True, type=int,
                            help="Random seed; the same seed gives the same themes.")
_interviewers_option = click.option("--interviewers", is_flag=True,
                                    help="Also cluster the interviewers' turns (by default only participants').")
_png_option = click.option("--png", type=click.Path(dir_okay=False),
                           help="Also draw the themes' sizes into this PNG file.")


@themes.command("run")
@_project_arg
@_unit_option
@_scope_option
@click.option("--k", type=int, help="Number of themes (default: chosen by stable coverage between 3 and 12; "
                                    "with TF-IDF, per language).")
@_seed_option
@click.option("--method", type=click.Choice(["auto", "tfidf", "encoder"]), default="auto", show_default=True,
              help="auto: the method that wins `themes evaluate` on this project (compared once, remembered). "
                   "encoder: the multilingual sentence encoder (Chinese and English passages on one subject share "
                   "a theme). tfidf: each language's words, reduced with SVD, clustered per language.")
@_interviewers_option
@_png_option
@coder_option
@json_option
def themes_run(project: str, unit: str, scope: str, k: int | None, seed: int, method: str, interviewers: bool,
               png: str | None, coder: str, as_json: bool) -> None:
    """Cluster segments into candidate themes, and record the run with its parameters."""
    from .. import themes as core

    show = is_terminal() and not as_json

    def progress(stage: str, share: float) -> None:
        if show:
            click.echo(f"\r{stage:<24} {share:4.0%}", nl=share >= 1, err=True)

    with open_project(project) as opened:
        if k is not None and k < 2:
            raise WorkbenchError(f"--k {k}: at least 2 themes")
        run_id = core.run(opened, unit=unit, scope=scope, k=k, seed=seed, method=method, coder=coder,
                          progress=progress, interviewers=interviewers)
        _show(opened, run_id, png, as_json)


@themes.command("list")
@_project_arg
@json_option
def themes_list(project: str, as_json: bool) -> None:
    """The recorded runs, newest first."""
    with open_project(project) as opened:
        runs = opened.theme_runs()
    if as_json:
        emit_json({"runs": runs})
        return
    for r in runs:
        click.echo(f"run {r.id}  {r.created_at}  {r.unit} · {r.scope} · k={r.k} · "
                   f"seed {r.seed} · {r.method}  {r.themes} themes  ({r.coder or '?'})")
    if not runs:
        click.echo(f"{project}: no theme runs yet (run `workbench themes run {project}`)")


@themes.command("show")
@_project_arg
@click.argument("run_id", type=int, required=False)
@_png_option
@json_option
def themes_show(project: str, run_id: int | None, png: str | None, as_json: bool) -> None:
    """A recorded run again: its themes, words and excerpts (the latest run by default)."""
    with open_project(project) as opened:
        if run_id is None:
            runs = opened.theme_runs()
            if not runs:
                raise WorkbenchError(f"{project}: no theme runs yet (run `workbench themes run {project}`)")
            run_id = runs[0].id
        _show(opened, run_id, png, as_json)


@themes.command("promote")
@_project_arg
@click.argument("theme_id", type=int)
@click.option("--code", help="An existing code to suggest.")
@click.option("--new-code", help="Make a new code with this name (empty: the theme's label).")
@click.option("--parent", help="With --new-code: the code to put it under.")
@click.option("--zh", "name_zh", default="", help="With --new-code: its Chinese name (none unless given).")
@click.option("--min-score", default=0.0, show_default=True, type=float,
              help="Only passages at least this close to the theme's centre (0–1).")
@coder_option
@json_option
def themes_promote(project: str, theme_id: int, code: str | None, new_code: str | None, parent: str | None,
                   name_zh: str, min_score: float, coder: str, as_json: bool) -> None:
    """Make a theme's passages suggestions for a code, to accept or reject one by one; nothing is coded."""
    from .. import themes as core
    from ..codebook.ops import paths_by_id

    with open_project(project) as opened:
        target, stored = core.promote(opened, theme_id, code=code, new_code=new_code, parent=parent,
                                      name_zh=name_zh, min_score=min_score, coder=coder)
        path = paths_by_id(opened).get(target, str(target))
    if as_json:
        emit_json({"theme": theme_id, "code": path, "code_id": target, "suggestions": stored})
    else:
        click.echo(f"theme {theme_id} → {path}: {stored} suggestions (method theme) to accept or reject; "
                   "nothing was coded")


@themes.command("evaluate")
@_project_arg
@_unit_option
@_scope_option
@_seed_option
@_interviewers_option
@json_option
def themes_evaluate(project: str, unit: str, scope: str, seed: int, interviewers: bool, as_json: bool) -> None:
    """Compare TF-IDF and the encoder on this project: themes, stability, distinctness; `auto` takes the winner.

    stability: share of passages in themes found again in resamples (Jaccard >= 0.75), large enough and
    distinctly labelled; distinctness: 1 - the mean largest word overlap between two themes; bilingual:
    share of passages in themes that hold Chinese and English.
    """
    from .. import themes as core

    with open_project(project) as opened:
        result = core.evaluate(opened, unit=unit, scope=scope, seed=seed, interviewers=interviewers)
    if as_json:
        emit_json({"segments": result.segments, "winner": result.winner, "reason": result.reason,
                   "methods": [{**row.__dict__, "score": row.score} for row in result.rows]})
        return
    click.echo(f"{result.segments} {unit}s ({scope}{', interviewers included' if interviewers else ''}), seed {seed}")
    click.echo(f"{'method':<8} {'themes':>6} {'stability':>9} {'distinct':>8} {'bilingual':>9} {'score':>6} "
               f"{'seconds':>7}")
    for row in result.rows:
        click.echo(f"{row.method:<8} {row.k:>6} {row.stability:>9.2f} {row.distinctness:>8.2f} "
                   f"{row.bilingual:>9.2f} {row.score:>6.2f} {row.seconds:>7.1f}")
    click.echo(f"auto → {result.winner} ({result.reason})")
    if "encoder" not in {row.method for row in result.rows}:
        click.echo("The multilingual encoder is not installed: TF-IDF themes stay within one language "
                   "(Chinese and English passages on one subject are separate themes).", err=True)


def _show(opened, run_id: int, png: str | None, as_json: bool) -> None:
    info = opened.theme_run(run_id)
    found = opened.themes_of_run(run_id)
    members = {t.id: opened.theme_members(t.id) for t in found}
    if as_json:
        emit_json({"run": info, "themes": [
            {**dataclasses.asdict(t),
             "excerpts": [_member_json(m) for m in members[t.id] if m.representative is not None]}
            for t in found]})
    else:
        p = info.parameters
        how = {"requested": "", "stable coverage": " by stable coverage"}.get(
            p.get("k_choice"), " by silhouette" if p.get("k_requested") is None else "")
        click.echo(f"run {run_id}: {p['segments']} {info.unit}s ({info.scope}), k={info.k}{how}, "
                   f"seed {info.seed}, {info.model}")
        if info.method == "tfidf" and len(p.get("groups") or {}) > 1:
            click.echo("TF-IDF: themes within each language (" + ", ".join(p["groups"]) + "); the multilingual "
                       "encoder joins languages on one subject", err=True)
        for t in found:
            langs = ", ".join(f"{lang} {n}" for lang, n in t.languages.items())
            click.echo(f"\ntheme {t.id}: {t.label}  ({t.size} {info.unit}s; {langs}; "
                       f"{len(t.documents)} documents, {len(t.cases)} cases)")
            click.echo("  words: " + ", ".join(t.terms[:8]))
            for m in members[t.id]:
                if m.representative is None:
                    break
                text = " ".join(m.text.split())
                click.echo(f"  · {text[:100]}{'…' if len(text) > 100 else ''}  [{m.document}:{m.start}]")
    if png:
        chart = _chart(png, [(f"{t.id}: {t.label}", t.size) for t in found], f"Themes of run {run_id}",
                       f"{info.unit}s")
        _chart_note(chart)


def _member_json(m: ThemeMember) -> dict:
    return {"document": m.document, "document_id": m.document_id, "start": m.start, "end": m.end,
            "score": m.score, "text": m.text, "speaker": m.speaker, "case": m.case}
