"""`workbench account` and `workbench serve`: the team's logins and the lab server."""

from __future__ import annotations

import click

from .base import cli, emit_json, json_option

DEFAULT_URL = "http://127.0.0.1:8000"


@cli.group()
def account() -> None:
    """Logins for `workbench serve`: one per person, kept beside the project (never in it)."""


def _book(project: str):
    from pathlib import Path

    from ..model import WorkbenchError
    from ..serve.accounts import AccountBook

    if not Path(project).is_file():
        raise WorkbenchError(f"{project}: no such project file")
    return AccountBook(project)


def _print_link(new, url: str, what: str) -> None:
    click.echo(f"{what} {new.account.name} ({new.account.role}). Their sign-in link, shown only this once:")
    click.echo(f"  {new.link(url)}")
    click.echo("Send it privately; anyone holding it signs in as them. `workbench account reset` makes a new one.")


@account.command("add")
@click.argument("project")
@click.argument("name")
@click.option("--role", type=click.Choice(["coder", "viewer"]), default="coder", show_default=True,
              help="A coder codes as this name; a viewer reads, searches, queries and exports only.")
@click.option("--url", default=DEFAULT_URL, show_default=True, help="The address people open (as served).")
def account_add(project: str, name: str, role: str, url: str) -> None:
    """Make a login for NAME and print their secret sign-in link once."""
    _print_link(_book(project).add(name, role), url, "Added")


@account.command("reset")
@click.argument("project")
@click.argument("name")
@click.option("--role", type=click.Choice(["coder", "viewer"]), default=None, help="Change the role too.")
@click.option("--url", default=DEFAULT_URL, show_default=True, help="The address people open (as served).")
def account_reset(project: str, name: str, role: str | None, url: str) -> None:
    """A new link for NAME: the old link stops working and their sessions end."""
    _print_link(_book(project).reset(name, role), url, "Reset")


@account.command("remove")
@click.argument("project")
@click.argument("name")
def account_remove(project: str, name: str) -> None:
    """Remove NAME's login; their sessions end (their codings stay in the project)."""
    _book(project).remove(name)
    click.echo(f"Removed {name}.")


@account.command("list")
@click.argument("project")
@json_option
def account_list(project: str, as_json: bool) -> None:
    """The accounts of PROJECT's server, with their roles."""
    accounts = _book(project).accounts()
    if as_json:
        emit_json([{"name": a.name, "role": a.role, "created_at": a.created_at} for a in accounts])
        return
    if not accounts:
        click.echo("No accounts yet: `workbench account add PROJECT NAME`.")
    for a in accounts:
        click.echo(f"{a.name}\t{a.role}\t{a.created_at}")
