"""Two copies of one project whose P01.txt (GB18030 bytes) was first read as latin-1: alice.qda
re-imported it as gb18030, bob.qda still holds the mojibake. Each may have coded its own text."""

from __future__ import annotations

import shutil
from pathlib import Path

GB = "我信任我的家人。工作很辛苦。\n"


def reimported_pair(tmp_path: Path, *, alice_codes: bool, bob_codes: bool) -> tuple[Path, Path]:
    """(bob, alice); alice codes 0–7 (我信任我的家人) with Trust, bob 0–4 of the old text."""
    from named import code_named

    from workbench.codebook.ops import add_code
    from workbench.documents import reimport
    from workbench.imports import import_files
    from workbench.model import Code
    from workbench.store import Project

    (tmp_path / "P01.txt").write_bytes(GB.encode("gb18030"))
    bob = tmp_path / "bob.qda"
    with Project.create(bob) as project:
        list(import_files(project, [tmp_path / "P01.txt"], "lead", encoding="latin-1"))
        add_code(project, Code("Trust"))
    alice = tmp_path / "alice.qda"
    shutil.copyfile(bob, alice)
    with Project.open(alice) as project:
        reimport(project, project.document_id("P01.txt"), "gb18030", "alice")
        if alice_codes:
            code_named(project, "P01.txt", "Trust", 0, 7, "alice")
    if bob_codes:
        with Project.open(bob) as project:
            code_named(project, "P01.txt", "Trust", 0, 4, "bob")
    return bob, alice
