"""The command line: one thin command per verb, each calling one core function.

`base` holds the group and shared options; each feature registers its verbs from its own
module, imported here (importing one costs nothing: heavy libraries load inside the verbs).
"""

from __future__ import annotations

from . import core  # noqa: F401  (registers the verbs)
from . import export  # noqa: F401
from . import codebook_add, documents  # noqa: F401
from . import suggest  # noqa: F401
from . import teams  # noqa: F401
from . import themes  # noqa: F401
from .base import cli, default_coder

__all__ = ["cli", "default_coder", "main"]


def main() -> None:
    cli(prog_name="workbench")
