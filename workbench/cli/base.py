"""What every command shares: the group that turns errors into one line, options, output helpers."""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import sys

import click

from ..coders import default_coder
from ..model import WorkbenchError


class OneLineErrors(click.Group):
    """Turns every error into one line on stderr and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WorkbenchError as error:
            raise click.ClickException(str(error)) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            raise click.Abort() from None
        except BrokenPipeError:
            # The reader went away (`| head`): stop quietly, and keep Python's exit flush quiet too.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(0) from None
        except Exception as error:
            if os.environ.get("WORKBENCH_DEBUG"):
                raise
            raise click.ClickException(
                f"unexpected {type(error).__name__}: {error} (set WORKBENCH_DEBUG=1 for details, and please report it)"
            ) from None


# The module that registers each verb, so `workbench code` imports only what `code` needs: a script
# calling the CLI in a loop pays for one module, not all of them (issue 9). `codebook` is a group
# whose sub-verbs all live in `cli/codebook.py`. tests/cli/test_cli_lazy_verbs.py holds this to the truth.
VERB_MODULES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("backup", "code", "demo", "import", "init", "query", "restore", "search", "tui"), ("core",)),
    "codebook": ("codebook",),
    **dict.fromkeys(("document", "documents", "show"), ("documents",)),
    **dict.fromkeys(("agree", "coders", "merge"), ("teams",)),
    **dict.fromkeys(("export", "pseudonyms", "translate"), ("export",)),
    "suggest": ("suggest",),
    "memo": ("memos",),
    **dict.fromkeys(("kwic", "stopwords", "themes", "words"), ("themes",)),
    **dict.fromkeys(("account", "serve"), ("serve",)),
}
ALL_VERB_MODULES = tuple(dict.fromkeys(module for modules in VERB_MODULES.values() for module in modules))


class LazyVerbs(OneLineErrors):
    """The top-level group: a verb's module is imported when the verb is asked for."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        _load(VERB_MODULES.get(cmd_name, ALL_VERB_MODULES))
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        _load(ALL_VERB_MODULES)
        return super().list_commands(ctx)


def _load(modules: tuple[str, ...]) -> None:
    for module in modules:
        importlib.import_module(f"{__package__}.{module}")


def open_project(path: str):
    from ..store import Project

    return Project.open(path)


def emit_json(data: object) -> None:
    """Print `data` as JSON; domain dataclasses (DocumentSummary, ThemeRun, …) become dicts of their fields."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=_plain))


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def is_terminal() -> bool:
    return sys.stderr.isatty()


coder_option = click.option("--coder", default=default_coder, show_default="$WORKBENCH_CODER or your user name",
                            help="Who is doing this; recorded with every coding.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")


@click.group(cls=LazyVerbs, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="workbench")
def cli() -> None:
    """A qualitative-analysis workbench for Chinese and English interview transcripts."""


