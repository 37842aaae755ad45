"""The verbs a script calls in a loop start without loading heavy libraries (issue 9: start-up)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("numpy", "yaml", "jieba", "spacy", "sklearn", "textual", "docx", "openpyxl", "pypdf",
         "charset_normalizer", "matplotlib", "lxml", "sqlite_utils")


def test_code_query_documents_and_show_load_no_heavy_module():
    script = (
        "import sys, workbench.cli, workbench.coding, workbench.query, workbench.documents, workbench.search\n"
        f"print(sorted(name for name in {HEAVY!r} if name in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_numpy_still_imports_normally_after_the_store():
    script = "import workbench.store.schema, numpy, sqlite_utils.db as d; print(numpy.float32(1) + 1, d.np is None)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["2.0", "True"]
