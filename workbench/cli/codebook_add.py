"""`workbench codebook add`: a code by path, for scripts that build a codebook as they go."""

from __future__ import annotations

import click

from .base import coder_option, open_project
from .core import codebook


@codebook.command("add")
@click.argument("project", type=click.Path(dir_okay=False))
@click.argument("path")
@click.option("--zh", "name_zh", default="", metavar="NAME", help="The code's Chinese name.")
@coder_option
def codebook_add(project: str, path: str, name_zh: str, coder: str) -> None:
    """Add the code PATH ("Trust/Distrust"), with any missing codes above it."""
    from ..codebook.ops import add_path

    with open_project(project) as opened:
        _, created = add_path(opened, path, name_zh, coder)
    if created:
        click.echo(f"{project}: added {', '.join(created)}")
    else:
        click.echo(f"{project}: {path} is already there; nothing to do")
