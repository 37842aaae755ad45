"""`workbench memo PROJECT add|list|edit|delete|undo`: memos without the TUI.

Every change goes through `history.History.set_memo`, the TUI's own memo path, and `undo`
through `history.undo_last_memo`, so a memo written here can be undone in the TUI's way and the
other way round; the coder is recorded with each memo.
"""

from __future__ import annotations

import click

from ..model import WorkbenchError
from .base import OneLineErrors, cli, coder_option, emit_json, json_option, open_project


def target_options(function):
    """--coding ID, --code PATH, --document NAME, --case NAME, --project: what a memo is on."""
    options = [
        click.option("--coding", "coding", type=int, metavar="ID", help="A coding, by its id (`query` shows them)."),
        click.option("--code", "code", metavar="CODE", help="A code, by path, name or Chinese name."),
        click.option("--document", "document", metavar="NAME", help="A document, by name."),
        click.option("--case", "case", metavar="NAME", help="A case, by name."),
        click.option("--project", "on_project", is_flag=True, help="The project itself."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def resolve_target(opened, coding: int | None, code: str | None, document: str | None, case: str | None,
                   on_project: bool, required: bool = True) -> tuple[str, int | None] | None:
    """(target kind, target id) from the options; exactly one must be given when `required`."""
    given = [name for name, value in (("--coding", coding), ("--code", code), ("--document", document),
                                      ("--case", case), ("--project", on_project or None)) if value is not None]
    if len(given) > 1:
        raise WorkbenchError(f"memo: give one of {', '.join(given)}, not several")
    if not given:
        if required:
            raise WorkbenchError("memo: say what the memo is on: --coding ID, --code PATH, --document NAME, "
                                 "--case NAME or --project")
        return None
    if coding is not None:
        if opened.coding(coding) is None:
            raise WorkbenchError(f"{opened.path.name}: no coding with id {coding}")
        return "coding", coding
    if code is not None:
        from ..coding import code_id

        return "code", code_id(opened, code)
    if document is not None:
        from ..coding import document_id

        return "document", document_id(opened, document)
    if case is not None:
        from ..closest import hint

        cases = {c.name: c.id for c in opened.cases()}
        if case not in cases:
            raise WorkbenchError(f"{opened.path.name}: no case named {case!r}{hint(case, list(cases))}")
        return "case", cases[case]
    return "project", None


def _label(opened, target: str, target_id: int | None) -> str:
    """What a memo is on, as a person names it."""
    if target == "project":
        return "the project"
    if target == "code":
        from ..codebook.ops import paths_by_id

        return f"code {paths_by_id(opened).get(target_id, target_id) if target_id is not None else '?'}"
    if target == "document":
        return f"document {next((r.name for r in opened.documents() if r.id == target_id), target_id)}"
    if target == "case":
        return f"case {next((c.name for c in opened.cases() if c.id == target_id), target_id)}"
    return f"coding {target_id}"


def _required_target(opened, coding: int | None, code: str | None, document: str | None, case: str | None,
                     on_project: bool) -> tuple[str, int | None]:
    found = resolve_target(opened, coding, code, document, case, on_project)
    assert found is not None  # required: resolve_target raises when nothing is named
    return found


@cli.group("memo", cls=OneLineErrors)
@click.argument("project", type=click.Path(dir_okay=False))
@click.pass_context
def memo_group(ctx: click.Context, project: str) -> None:
    """Write, list, edit, delete and undo memos on codings, codes, documents, cases or the project.

    \b
    workbench memo study.qda add "Check with P02" --coding 12
    workbench memo study.qda list --code Trust/Distrust --json
    workbench memo study.qda edit "Checked" --coding 12
    workbench memo study.qda delete --id 3
    workbench memo study.qda undo
    """
    ctx.obj = project


@memo_group.command("add")
@click.argument("text")
@target_options
@coder_option
@json_option
@click.pass_obj
def memo_add(project: str, text: str, coding, code, document, case, on_project, coder: str, as_json: bool) -> None:
    """Write your memo TEXT on a coding, code, document, case or the project."""
    from ..history import History

    if not text.strip():
        raise WorkbenchError("memo add: the memo's text is empty")
    with open_project(project) as opened:
        target, target_id = _required_target(opened, coding, code, document, case, on_project)
        history = History(opened, coder)
        if history.memo(target, target_id) is not None:
            raise WorkbenchError(f"{project}: you ({coder}) already have a memo on "
                                 f"{_label(opened, target, target_id)}; change it with `memo edit`")
        memo_id = history.set_memo(target, target_id, text)
        label = _label(opened, target, target_id)
    if as_json:
        emit_json({"memo": memo_id, "target": target, "target_id": target_id, "coder": coder})
        return
    click.echo(f"memo {memo_id} on {label} by {coder}")


@memo_group.command("list")
@target_options
@click.option("--by", "by", metavar="CODER", help="Only this coder's memos.")
@json_option
@click.pass_obj
def memo_list(project: str, coding, code, document, case, on_project, by: str | None, as_json: bool) -> None:
    """List memos: all of them, or those on one coding, code, document or case."""
    with open_project(project) as opened:
        chosen = resolve_target(opened, coding, code, document, case, on_project, required=False)
        memos = opened.memos(*chosen) if chosen else opened.memos()
        if by is not None:
            if by not in opened.coders():
                from ..closest import hint

                raise WorkbenchError(f"{project}: no coder named {by!r}{hint(by, opened.coders())}")
            memos = [m for m in memos if m.coder == by]
        labels = {(m.target, m.target_id): _label(opened, m.target, m.target_id) for m in memos}
    if as_json:
        emit_json({"count": len(memos), "memos": [
            {"id": m.id, "target": m.target, "target_id": m.target_id, "on": labels[(m.target, m.target_id)],
             "coder": m.coder, "text": m.text, "created_at": m.created_at, "updated_at": m.updated_at,
             "updated_by": m.updated_by, "guid": m.guid} for m in memos]})
        return
    for m in memos:
        click.echo(click.style(f"memo {m.id} on {labels[(m.target, m.target_id)]}", bold=True)
                   + f"  by {m.coder or '?'}, {m.created_at}")
        click.echo("  " + m.text.replace("\n", "\n  "))
    click.echo(f"{len(memos)} memo{'s' if len(memos) != 1 else ''}", err=True)


def _own_memo(opened, memo_id: int | None, chosen, coder: str):
    """The memo to change: by id (it must be yours) or your memo on the chosen target."""
    from ..history import History

    if memo_id is not None:
        found = next((m for m in opened.memos() if m.id == memo_id), None)
        if found is None:
            raise WorkbenchError(f"{opened.path.name}: no memo with id {memo_id}")
        if found.coder != coder:
            raise WorkbenchError(f"memo {memo_id} is {found.coder}'s; a memo is changed by the coder who wrote it")
        return found.target, found.target_id
    if chosen is None:
        raise WorkbenchError("memo: give the memo's id (--id N) or what it is on (--coding, --code, --document, "
                             "--case, --project)")
    if History(opened, coder).memo(*chosen) is None:
        raise WorkbenchError(f"{opened.path.name}: you ({coder}) have no memo on {_label(opened, *chosen)}")
    return chosen


@memo_group.command("edit")
@click.argument("text")
@click.option("--id", "memo_id", type=int, metavar="N", help="The memo, by id (`memo list` shows them).")
@target_options
@coder_option
@click.pass_obj
def memo_edit(project: str, text: str, memo_id: int | None, coding, code, document, case, on_project,
              coder: str) -> None:
    """Replace the text of your memo (by --id, or on the given target) with TEXT."""
    from ..history import History

    if not text.strip():
        raise WorkbenchError("memo edit: the new text is empty (to remove a memo, use `memo delete`)")
    with open_project(project) as opened:
        chosen = resolve_target(opened, coding, code, document, case, on_project, required=False)
        target, target_id = _own_memo(opened, memo_id, chosen, coder)
        new_id = History(opened, coder).set_memo(target, target_id, text)
        label = _label(opened, target, target_id)
    click.echo(f"memo {new_id} on {label} edited by {coder}")


@memo_group.command("delete")
@click.option("--id", "memo_id", type=int, metavar="N", help="The memo, by id (`memo list` shows them).")
@target_options
@coder_option
@click.pass_obj
def memo_delete(project: str, memo_id: int | None, coding, code, document, case, on_project, coder: str) -> None:
    """Delete your memo (by --id, or on the given target); `memo undo` brings it back."""
    from ..history import History

    with open_project(project) as opened:
        chosen = resolve_target(opened, coding, code, document, case, on_project, required=False)
        target, target_id = _own_memo(opened, memo_id, chosen, coder)
        History(opened, coder).set_memo(target, target_id, "")
        label = _label(opened, target, target_id)
    click.echo(f"memo on {label} deleted; `workbench memo {project} undo` brings it back")


@memo_group.command("undo")
@coder_option
@json_option
@click.pass_obj
def memo_undo(project: str, coder: str, as_json: bool) -> None:
    """Take back your last memo change (add, edit or delete) that is not undone yet."""
    from ..history import undo_last_memo

    with open_project(project) as opened:
        detail = undo_last_memo(opened, coder)
        label = _label(opened, detail["target"], detail["target_id"]) if detail else ""
    if detail is None:
        raise WorkbenchError(f"{project}: {coder} has no memo change to undo")
    what = "added" if not detail["before"] else "deleted" if not detail["text"] else "edited"
    if as_json:
        emit_json({"undone": what, "target": detail["target"], "target_id": detail["target_id"],
                   "text": detail["before"]})
        return
    now = f" is back to {detail['before'][:60]!r}" if detail["before"] else " is gone"
    click.echo(f"undone: the memo {what} on {label}{now}")
