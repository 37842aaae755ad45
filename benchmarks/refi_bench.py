"""REFI-QDA exchange at scale: export and re-import 1,000 documents / 10 M characters / 10,000 codings.

Targets (issue 13): each ≤ 10 s, memory ≤ 1 GB. Prints readable lines, then one JSON object.
Run: python benchmarks/refi_bench.py [--documents N] [--chars-per-document N]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

SENTENCES_ZH = ["我们刚来的时候什么都不认识，主要靠老乡介绍工作。", "居委会一开始不太信任我们，后来慢慢熟了。",
                "社区里的事情，大家一起商量着办。", "办居住证要跑好几个部门😀。", "𠮷野家旁边的菜市场是我们常去的地方。"]
SENTENCES_EN = ["We trusted my cousin more than any agency. ", "The neighbourhood committee came later. ",
                "Most of the paperwork was about the hukou. ", "Our landlord knew everyone on the street 🙂. "]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(path: Path, documents: int, chars: int, codings: int, seed: int = 7) -> None:
    import workbench.backup  # noqa: F401
    from workbench.model import Code
    from workbench.store import Project
    from workbench.text.normalize import sha256

    rng = random.Random(seed)
    with Project.create(path) as project, project.transaction():
        code_ids = []
        for i in range(6):
            parent = project.add_code(Code(name=f"Theme {i}", name_zh=f"主题{i}", definition=f"Theme {i} of the study",
                                           color=f"#{rng.randrange(0x1000000):06X}"), None)
            code_ids.append(parent)
            code_ids += [project.add_code(Code(name=f"Sub {i}.{j}", color="#336699"), parent) for j in range(4)]
        coders = ["alice", "bob", "王丽"]
        per_document = codings // documents
        for d in range(documents):
            pool = SENTENCES_ZH if d % 2 == 0 else SENTENCES_EN
            parts, size = [], 0
            while size < chars:
                line = "受访者：" + "".join(rng.choice(pool) for _ in range(6)) + "\n"
                parts.append(line)
                size += len(line)
            text = "".join(parts)[:chars]
            case_id = project.upsert_case(f"P{d % 100:03d}", {"city": rng.choice(["北京", "上海", "London"])})
            document_id = project.add_document(
                name=f"interview_{d:04d}.txt", text=text, sha256=sha256(text), lang="zh" if d % 2 == 0 else "en",
                encoding="utf-8", format="txt", source_path="bench", turns=[], index_bodies=[], case_id=case_id)
            for _ in range(per_document):
                start = rng.randrange(0, len(text) - 200)
                project.add_coding(document_id, rng.choice(code_ids), start, start + rng.randrange(20, 200),
                                   rng.choice(coders))
            if d % 10 == 0:
                project.add_memo("document", document_id, f"备忘 memo on interview {d}", "alice")
        project.log("benchmark", {})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--chars-per-document", type=int, default=10_000)
    parser.add_argument("--codings", type=int, default=10_000)
    args = parser.parse_args()
    import workbench.backup  # noqa: F401
    from workbench.exchange import export_project, import_file
    from workbench.imports import import_files
    from workbench.store import Project

    figures: dict[str, float] = {"documents": args.documents, "characters": args.documents * args.chars_per_document,
                                 "codings": args.codings}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        t = time.perf_counter()
        build(folder / "big.qda", args.documents, args.chars_per_document, args.codings)
        figures["build_s"] = round(time.perf_counter() - t, 2)
        print(f"built {args.documents:,} documents, {figures['characters']:,} characters, "
              f"{args.codings:,} codings in {figures['build_s']} s", flush=True)
        with Project.open(folder / "big.qda") as project:
            t = time.perf_counter()
            summary = export_project(project, folder / "big.qdpx")
            figures["export_s"] = round(time.perf_counter() - t, 2)
        figures["qdpx_mb"] = round(summary.bytes / 1048576, 1)
        figures["peak_rss_after_export_mb"] = round(peak_mb(), 0)
        print(f"export: {figures['export_s']} s, {figures['qdpx_mb']} MB archive, "
              f"peak memory so far {figures['peak_rss_after_export_mb']:.0f} MB", flush=True)
        Project.create(folder / "copy.qda").close()
        with Project.open(folder / "copy.qda") as project:
            t = time.perf_counter()
            result = import_file(project, folder / "big.qdpx", "bench")
            figures["import_s"] = round(time.perf_counter() - t, 2)
            figures["imported_codings"] = result.codings
            figures["imported_documents"] = result.documents
        figures["peak_rss_mb"] = round(peak_mb(), 0)
        print(f"import: {figures['import_s']} s ({result.documents:,} documents, {result.codings:,} codings, "
              f"{len(result.report)} notes), peak memory {figures['peak_rss_mb']:.0f} MB", flush=True)
        # The same texts imported as files: the REFI import should cost about what they cost
        # (both find turns and languages and index every turn for search).
        texts = folder / "texts"
        texts.mkdir()
        with Project.open(folder / "big.qda") as project:
            for _, name, text in project.document_texts():
                (texts / name).write_text(text, encoding="utf-8")
        with Project.create(folder / "files.qda") as project:
            t = time.perf_counter()
            outcomes = list(import_files(project, sorted(texts.iterdir()), "bench"))
            figures["file_import_s"] = round(time.perf_counter() - t, 2)
        assert all(o.status == "imported" for o in outcomes), outcomes[0]
        figures["import_vs_files"] = round(figures["import_s"] / figures["file_import_s"], 2)
        print(f"the same texts imported as files: {figures['file_import_s']} s "
              f"(REFI import {figures['import_vs_files']}x that)", flush=True)
    figures["export_target_met"] = figures["export_s"] <= 10
    figures["import_target_met"] = figures["import_s"] <= 10
    print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
