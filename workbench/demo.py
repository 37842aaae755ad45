"""The bundled demo project: the demo corpus, the bundled codebook and two coders' coding."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path

from .codebook import load_yaml
from .codebook.ops import install, resolve
from .imports import import_files, link_participants
from .model import WorkbenchError
from .store import Project
from .store.events import Action

REPO = Path(__file__).resolve().parent.parent
DEMO_CORPUS = REPO / "corpora" / "demo"
DEMO_CODEBOOK = REPO / "codebooks" / "migration-governance.yaml"
DEMO_FILE = "demo.qda"


def data_home() -> Path:
    """Where the demo project lives unless a folder is given: $WORKBENCH_HOME or XDG data."""
    if os.environ.get("WORKBENCH_HOME"):
        return Path(os.environ["WORKBENCH_HOME"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "workbench"


def build_demo(folder: Path | None = None, say: Callable[[str], None] = lambda _: None) -> Path:
    """Build the demo project in `folder` once; later calls open it as the user left it."""
    folder = Path(folder) if folder else data_home()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DEMO_FILE
    if path.exists():
        Project.open(path).close()  # refuses a broken or foreign file with a clear error
        say(f"{path}: demo project already built; opening it as you left it")
        return path
    if not DEMO_CORPUS.is_dir() or not DEMO_CODEBOOK.is_file():
        raise WorkbenchError(f"{DEMO_CORPUS}: the demo corpus is missing; run from a clone of the repository")
    partial = path.with_name(path.name + ".building")
    for leftover in folder.glob(partial.name + "*"):
        leftover.unlink()
    with Project.create(partial) as project:
        added, _ = install(project, load_yaml(DEMO_CODEBOOK), coder="lin")
        say(f"codebook: {added} codes from {DEMO_CODEBOOK.name}")
        transcripts = sorted(p for p in DEMO_CORPUS.iterdir() if p.name[:1] == "P")
        for outcome in import_files(project, transcripts, coder="lin"):
            if outcome.status == "failed":
                raise WorkbenchError(outcome.message)
            say(outcome.message)
        say(link_participants(project, DEMO_CORPUS / "participants.csv", coder="lin"))
        say(apply_demo_codings(project, DEMO_CORPUS / "codings.csv"))
        project.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)  # the demo appears whole or not at all
    return path


def apply_demo_codings(project: Project, table: Path) -> str:
    """Codings given as quotes: each quote is found in its document and coded there."""
    count = memos = 0
    with table.open(encoding="utf-8") as handle, project.transaction():
        for number, row in enumerate(csv.DictReader(handle), start=2):
            document_id = project.document_id(row["document"])
            if document_id is None:
                raise WorkbenchError(f"{table}: row {number}: no document {row['document']!r}")
            text = project.document(document_id).text
            start = text.find(row["quote"])
            if start < 0:
                raise WorkbenchError(f"{table}: row {number}: quote not found in {row['document']}")
            code_id = resolve(project, row["code"])
            coding_id = project.add_coding(document_id, code_id, start, start + len(row["quote"]),
                                           row["coder"], origin="import")
            count += 1
            if row.get("memo", "").strip():
                project.add_memo("coding", coding_id, row["memo"].strip(), row["coder"])
                memos += 1
        project.log(Action.DEMO_CODINGS, {"codings": count, "memos": memos})
    return f"{table.name}: {count} codings and {memos} memos by {', '.join(project.coders())}"
