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


@cli.command()
@click.argument("project")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any but loopback only once accounts exist.")
@click.option("--port", default=8000, show_default=True, type=int, help="The port to listen on.")
@click.option("--certfile", type=click.Path(exists=True, dir_okay=False), help="TLS certificate (PEM).")
@click.option("--keyfile", type=click.Path(exists=True, dir_okay=False), help="TLS private key (PEM).")
@click.option("--public-url", help="The address people open, when a reverse proxy serves it (https://lab.example).")
@click.option("--max-sessions", default=16, show_default=True, type=click.IntRange(1),
              help="Browser sessions (app processes) in all.")
@click.option("--max-per-account", default=3, show_default=True, type=click.IntRange(1),
              help="Browser sessions one account may have open at once.")
@click.option("--idle-minutes", default=60.0, show_default=True, type=click.FloatRange(min=0.1),
              help="A session unused this long is closed (its work is already saved).")
def serve(project: str, host: str, port: int, certfile: str | None, keyfile: str | None, public_url: str | None,
          max_sessions: int, max_per_account: int, idle_minutes: float) -> None:
    """Serve the workbench on PROJECT to browsers: one session per person, signed in by link."""
    import ssl

    from ..model import WorkbenchError
    from ..serve.sessions import Limits
    from ..tui.serve_server import WorkbenchServer, check_host
    from .base import default_coder, open_project

    open_project(project).close()  # a clear error now (and any upgrade done once, here)
    book = _book(project)
    check_host(host, book)
    if bool(certfile) != bool(keyfile):
        raise WorkbenchError("--certfile and --keyfile go together")
    context = None
    if certfile:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        try:
            context.load_cert_chain(certfile, keyfile)
        except (OSError, ssl.SSLError) as error:
            raise WorkbenchError(f"{certfile}: cannot use it as a TLS certificate ({error})") from None
    limits = Limits(apps_per_account=max_per_account, apps_in_all=max_sessions, idle_timeout_s=idle_minutes * 60)
    server = WorkbenchServer(project, host, port, limits=limits, public_url=public_url, ssl_context=context,
                             book=book)
    click.echo(f"Serving {project} on {server.public_url} (Ctrl+C stops it; work is saved as it is made).")
    if book:
        names = ", ".join(f"{a.name} ({a.role})" for a in book.accounts())
        click.echo(f"Accounts: {names}. Each opens their own sign-in link, or {server.public_url}/login.")
    else:
        owner = book.add_transient(default_coder())
        click.echo(f"No accounts yet: your own link for this run (as {owner.account.name}):")
        click.echo(f"  {owner.link(server.public_url)}")
        click.echo(f"For a team: `workbench account add {project} NAME`, then serve with --host.")
    try:
        server.serve()
    except OSError as error:
        raise WorkbenchError(f"cannot listen on {host}:{port} ({error.strerror or error})") from None
    click.echo("Stopped; every session's work is in the project.")
