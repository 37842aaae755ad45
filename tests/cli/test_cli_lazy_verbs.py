"""The CLI imports a verb's module only when the verb is called; the map of verbs to modules
must name every verb and every module a verb's sub-verbs come from (issue 9: start-up)."""

from __future__ import annotations

import subprocess
import sys

import click

from workbench.cli import base, cli


def _modules_of(command: click.Command) -> set[str]:
    modules = {command.callback.__module__} if command.callback else set()
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            modules |= _modules_of(sub)
    return modules


def test_every_verb_is_mapped_to_the_modules_that_register_it():
    context = click.Context(cli)
    names = cli.list_commands(context)
    assert set(names) == set(base.VERB_MODULES)
    for name in names:
        modules = {f"workbench.cli.{m}" for m in base.VERB_MODULES[name]}
        command = cli.get_command(context, name)
        assert _modules_of(command) - {"workbench.cli.base"} <= modules, name


def test_each_verb_alone_in_a_fresh_process_finds_all_its_sub_verbs():
    for name, modules in base.VERB_MODULES.items():
        script = (
            "import click, sys; from workbench.cli import cli\n"
            f"command = cli.get_command(click.Context(cli), {name!r})\n"
            "subs = sorted(command.commands) if isinstance(command, click.Group) else []\n"
            "loaded = sorted(m for m in sys.modules if m.startswith('workbench.cli.') and m != 'workbench.cli.base')\n"
            "print(subs, loaded)\n"
        )
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        subs, loaded = result.stdout.strip().split("] [")
        assert {f"workbench.cli.{m}" for m in modules} <= set(loaded.rstrip("]").replace("'", "").split(", "))
        full = cli.get_command(click.Context(cli), name)
        if isinstance(full, click.Group):
            assert subs.lstrip("[").replace("'", "").split(", ") == sorted(full.commands), name


def test_an_unknown_verb_is_refused_with_the_verbs_listed():
    result = subprocess.run([sys.executable, "-m", "workbench", "cdoe"], capture_output=True, text=True)
    assert result.returncode == 2 and "No such command 'cdoe'" in result.stderr
