"""The command line: one thin command per verb, each calling one core function.

`base` holds the group and shared options; each feature registers its verbs from its own
module, which the group imports when one of its verbs is called (`base.VERB_MODULES`); heavy
libraries load inside the verbs.
"""

from __future__ import annotations

from .base import cli, default_coder

__all__ = ["cli", "default_coder", "main"]


def main() -> None:
    cli(prog_name="workbench")
