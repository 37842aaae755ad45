"""The headless core never imports Textual or Rich: checked per module in a fresh interpreter.

`rich` is asserted too, since click, sqlite-utils, jieba, pyyaml, charset-normalizer,
python-docx, pypdf, openpyxl and scikit-learn do not pull it in. spaCy does (through its CLI
dependencies), so a module that has loaded spaCy is excused from the `rich` check only.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import workbench

PACKAGE = Path(workbench.__file__).parent
FORBIDDEN = ("textual", "rich")
NOT_IMPORTABLE = {"workbench.__main__"}  # runs the command line when imported


def core_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        if "tui" in parts[1:2]:
            continue
        name = ".".join(parts)
        if name not in NOT_IMPORTABLE:
            names.append(name)
    return names


def test_the_module_list_is_complete():
    modules = core_modules()
    assert {"workbench", "workbench.cli", "workbench.store", "workbench.importers.docx",
            "workbench.codebook.yaml_io", "workbench.text.segment"} <= set(modules)
    assert not any(name.startswith("workbench.tui") for name in modules)


def test_core_modules_import_neither_textual_nor_rich():
    # One interpreter per module (harlequin's check), started together so the suite stays fast.
    script = (
        "import importlib, sys; importlib.import_module(sys.argv[1]); "
        "excused = {'rich'} if 'spacy' in sys.modules else set(); "
        f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules and m not in excused))"
    )
    processes = {
        name: subprocess.Popen([sys.executable, "-c", script, name], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        for name in core_modules()
    }
    failures = []
    for name, process in processes.items():
        out, err = process.communicate(timeout=120)
        if process.returncode != 0:
            failures.append(f"{name}: import failed: {err.strip().splitlines()[-1] if err.strip() else ''}")
        elif out.strip():
            failures.append(f"{name} imports {out.strip()}")
    assert not failures, "\n".join(failures)


def test_the_cli_loads_textual_only_when_a_screen_is_asked_for():
    # Running a headless command end to end must not load the TUI either.
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from workbench.cli import cli\n"
        "result = CliRunner().invoke(cli, ['--help'])\n"
        "assert result.exit_code == 0\n"
        f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""
