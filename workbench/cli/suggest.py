"""The `suggest` verb: list, make, accept and reject code suggestions, and measure their quality."""

from __future__ import annotations

import shlex
import sys

import click

from ..model import WorkbenchError
from .base import cli, coder_option, emit_json, is_terminal, json_option, open_project


def _code_ids(opened, code: str | None) -> list[int] | None:
    if not code:
        return None
    from ..codebook.ops import descendants, resolve

    return descendants(opened, resolve(opened, code))


VERBS = ("run", "list", "accept", "reject", "evaluate")


@cli.command()
@click.argument("project", metavar="[run|list|accept|reject|evaluate] PROJECT")
@click.argument("documents", nargs=-1)
@click.option("--code", help="Only suggestions of this code (and its sub-codes).")
@click.option("--method", type=click.Choice(["keyword", "learned", "encoder", "theme", "prior", "logreg", "balanced",
                                            "nearest", "centroid", "anchors", "enc-nearest", "enc-centroid",
                                            "enc-anchors", "fused", "fused+tree", "fused+encoder",
                                            "fused+encoder+tree"]),
              help="Only this method; with a run, run only this method (default: the project's "
                   "cross-validation winner).")
@click.option("--top", type=int, default=3, show_default=True, help="Codes proposed per unit, best first.")
@click.option("--interviewers", is_flag=True, help="Also propose codes for interviewers' turns.")
@click.option("--min-score", type=float, default=0.0, show_default=True, help="Only suggestions scoring at least this.")
@click.option("--stored", is_flag=True, help="List what is stored; do not run the engine first.")
@click.option("--accept", "accept_ids", type=int, multiple=True, metavar="ID",
              help="Accept suggestion ID (repeatable): it becomes a coding with origin 'suggestion'.")
@click.option("--reject", "reject_ids", type=int, multiple=True, metavar="ID",
              help="Reject suggestion ID (repeatable): that span is never proposed again for that code.")
@click.option("--accept-above", type=float, metavar="X", help="Accept every open suggestion scoring at least X.")
@click.option("--evaluate", "run_evaluation", is_flag=True,
              help="Cross-validate the methods by document and print precision, recall and F1; changes nothing.")
@click.option("--folds", type=int, default=5, show_default=True, help="Folds for --evaluate.")
@coder_option
@json_option
def suggest(project: str, documents: tuple[str, ...], code: str | None, method: str | None, min_score: float,
            stored: bool, accept_ids: tuple[int, ...], reject_ids: tuple[int, ...], accept_above: float | None,
            run_evaluation: bool, folds: int, coder: str, as_json: bool, top: int = 3,
            interviewers: bool = False) -> None:
    """Suggest codes for the units of PROJECT's DOCUMENTs (all documents if none named).

    \b
    suggest run PROJECT [DOC...]        rank codes for every unit and list them (the default)
    suggest list PROJECT [DOC...]       list what is stored (same as --stored)
    suggest accept PROJECT ID...        accept suggestions (same as --accept ID...)
    suggest reject PROJECT ID...        reject suggestions (same as --reject ID...)
    suggest evaluate PROJECT            cross-validate methods and baselines (same as --evaluate)

    Every unit (the sentence, or the turn where people code whole turns) gets its best codes
    from the method that wins this project's own cross-validation; where none beats proposing
    the most frequent codes, it says so. Nothing becomes a coding until you accept it.
    """
    if project in VERBS:
        if not documents:
            raise WorkbenchError(f"suggest {project}: name the project file")
        verb, project, documents = project, documents[0], documents[1:]
        if verb in ("accept", "reject"):
            ids = _ids(documents, f"suggest {verb}")
            if verb == "accept":
                accept_ids += ids
            else:
                reject_ids += ids
            documents = ()
        elif verb == "list":
            stored = True
        elif verb == "evaluate":
            run_evaluation = True
    elif (accept_ids or reject_ids) and documents and all(d.isdigit() for d in documents):
        # `--accept 9 16 20`: the ids after the first are more ids, not documents (issue 22)
        if accept_ids and reject_ids:
            raise WorkbenchError("suggest: several ids after both --accept and --reject are ambiguous; "
                                 "use `suggest accept PROJECT ID...` and `suggest reject PROJECT ID...`")
        extra = _ids(documents, "suggest")
        accept_ids, reject_ids = (accept_ids + extra, reject_ids) if accept_ids else (accept_ids, reject_ids + extra)
        documents = ()
    if run_evaluation:
        _evaluate(project, folds, method, as_json, interviewers, top)
        return
    if (accept_ids or reject_ids) and accept_above is not None:
        raise WorkbenchError("suggest: give --accept/--reject IDs or --accept-above, not both")
    from .. import coding
    from ..codebook.ops import paths_by_id
    from ..suggest import engine

    with open_project(project) as opened:
        doc_ids = [coding.document_id(opened, d) for d in documents] or None
        code_ids = _code_ids(opened, code)
        if accept_ids or reject_ids or accept_above is not None:
            _decide(opened, accept_ids, reject_ids, accept_above, code_ids, doc_ids, coder, as_json)
            return
        notes: list[str] = []
        if not stored and method not in ("keyword", "learned", "encoder", "theme"):
            from ..suggest.choose import GUESS
            from ..suggest.propose import run_ranked

            if method is not None and method.startswith(("enc", "fused+enc")):
                from ..suggest.encoder import available, install_hint

                if not available():
                    raise WorkbenchError(f"{project}: {method} needs the sentence encoder ({install_hint()})")
            report = run_ranked(opened, doc_ids, coder, method=method, top=max(1, top), interviewers=interviewers)
            if report.method is None:
                notes.append(f"{project}: {GUESS} ({report.note}); nothing proposed. "
                             "See `workbench suggest evaluate` for the figures.")
            else:
                notes.append(f"method: {report.method} per {report.unit}, top {max(1, top)} ({report.note})")
        elif not stored:
            methods = [method] if method else list(engine.default_methods())
            if method == "theme":
                raise WorkbenchError("suggest: theme suggestions are made by `workbench themes`; add --stored")
            if method == "encoder":
                from ..suggest.encoder import available, install_hint

                if not available():
                    raise WorkbenchError(f"{project}: the encoder method needs the sentence encoder ({install_hint()})")
            report = engine.run(opened, doc_ids, methods, coder)
            paths = paths_by_id(opened)
            short = [f"{paths.get(c, c)} (needs {n} more example{'s' if n != 1 else ''})"
                     for c, n in sorted(report.needs.items(), key=lambda kv: paths.get(kv[0], ""))
                     if report.examples.get(c, 0) > 0]
            if short and "learned" in methods:
                notes.append("learned: too few examples yet, keywords only for:")
                notes += [f"  {line}" for line in short]
        found = []
        scopes: list[int | None] = list(doc_ids) if doc_ids else [None]  # None: every document
        for doc in scopes:
            found += opened.open_suggestions(document_id=doc, code_ids=code_ids, method=method, min_score=min_score)
        names = {row.id: row.name for row in opened.documents()}
        paths = paths_by_id(opened)
    if as_json:
        emit_json([{"id": s.id, "document": names.get(s.document_id), "code": paths.get(s.code_id), "start": s.start,
                    "end": s.end, "text": s.text, "score": round(s.score, 4), "method": s.method} for s in found])
        return
    for s in found:
        click.echo(click.style(f"#{s.id} {names.get(s.document_id)} {s.start}–{s.end}", bold=True)
                   + f"  {paths.get(s.code_id)}  {s.score:.2f} {s.method}")
        click.echo("  " + " ".join(s.text.split()))
    for note in notes:
        click.echo(note, err=True)
    click.echo(f"{len(found)} open suggestions; decide by id: "
               f"workbench suggest accept|reject {shlex.quote(str(project))} ID...",
               err=not sys.stdout.isatty())


def _ids(values, verb: str) -> tuple[int, ...]:
    bad = [v for v in values if not v.isdigit()]
    if bad:
        raise WorkbenchError(f"{verb}: {bad[0]!r} is not a suggestion id")
    if not values:
        raise WorkbenchError(f"{verb}: give at least one suggestion id")
    return tuple(int(v) for v in values)


def _decide(opened, accept_ids, reject_ids, accept_above, code_ids, doc_ids, coder, as_json) -> None:
    from ..suggest import engine

    accepted: list[dict] = []
    rejected: list[int] = []
    # all or nothing: one bad id leaves every suggestion as it was
    with opened.transaction():
        if accept_above is not None:
            for doc in doc_ids or [None]:
                chosen = opened.open_suggestions(document_id=doc, code_ids=code_ids, min_score=accept_above)
                for s in chosen:
                    accepted.append({"suggestion": s.id, "coding": engine.accept(opened, s.id, coder)})
        for suggestion_id in accept_ids:
            accepted.append({"suggestion": suggestion_id, "coding": engine.accept(opened, suggestion_id, coder)})
        for suggestion_id in reject_ids:
            engine.reject(opened, suggestion_id, coder)
            rejected.append(suggestion_id)
    if as_json:
        emit_json({"accepted": accepted, "rejected": rejected})
        return
    for item in accepted:
        click.echo(f"suggestion {item['suggestion']}: accepted as coding {item['coding']}")
    for suggestion_id in rejected:
        click.echo(f"suggestion {suggestion_id}: rejected")
    if not accepted and not rejected:
        click.echo("nothing to decide")


def _evaluate(project: str, folds: int, method: str | None, as_json: bool, interviewers: bool = False,
              top: int = 3) -> None:
    from ..codebook.ops import paths_by_id
    from ..suggest import encoder, engine
    from ..suggest.evaluate import evaluate, evaluate_ranking, format_ranking, format_table

    if folds < 2:
        raise WorkbenchError(f"--folds {folds}: use at least 2")
    with open_project(project) as opened:
        corpus = engine.load_corpus(opened, interviewers=interviewers)
        paths = paths_by_id(opened)
        embed, note = None, ""
        if encoder.available():
            # read the project's cache, never write it: evaluation changes nothing
            embed = encoder.embedder(opened.cached_embeddings, None)
        else:
            note = f"not installed ({encoder.install_hint()})"
        show = is_terminal() and not as_json
        with click.progressbar(length=2 * folds, label="evaluating", file=sys.stderr, hidden=not show) as bar:
            ranking = evaluate_ranking(corpus, folds=folds, embed=embed, top=max(1, top),
                                       progress=lambda done, total: bar.update(1))
            result = evaluate(corpus, paths, folds=folds, embed=embed, encoder_note=note,
                              progress=lambda done, total: bar.update(1))
    if as_json:
        emit_json({**result.as_dict(), "ranking": ranking.as_dict()})
        return
    for line in format_ranking(ranking):
        click.echo(line)
    click.echo("")
    click.echo("Threshold methods (a code proposed where its own model says yes), per sentence:")
    for line in format_table(result):
        click.echo(line)
