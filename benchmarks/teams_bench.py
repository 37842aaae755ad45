"""Intercoder agreement and project merge at scale.

    python benchmarks/teams_bench.py                       # 1,000 documents, 10 M characters, 5,000 codings each
    python benchmarks/teams_bench.py --documents 100 --codings 500

Two coders' copies of one project: the same documents (half Chinese, half English, with speaker
turns), each coder with --codings codings over 20 codes, half of them near the other coder's.
Measured: agreement at character level (pure sweep, and from the project), at sentence level,
and merging one coder's project into the other's (peak memory of the process included).
Readable lines first; the last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.agreement import character_agreement, compute  # noqa: E402
from workbench.codebook.ops import add_code  # noqa: E402
from workbench.merge import merge_projects  # noqa: E402
from workbench.model import Code, Turn  # noqa: E402
from workbench.store import Project  # noqa: E402
from workbench.text.normalize import sha256  # noqa: E402

ZH = ["我们很信任居委会的王主任。", "刚来义乌的时候什么都不懂，都是老乡帮忙。", "户口不在这里，孩子上学很难。",
      "警察有时候来查暂住证。", "我觉得社区对外地人不太公平。"]
EN = ["We trust the committee more than the police.", "My cousin found me the first job in the market.",
      "Without a local hukou the school asked for many papers.", "Honestly, nobody told us the rules.",
      "The landlord was kind, but the rent kept rising."]


def make_text(rng: random.Random, chars: int, zh: bool) -> tuple[str, list[Turn]]:
    parts, turns, offset, idx = [], [], 0, 0
    while offset < chars:
        label = ("访谈者：" if idx % 2 == 0 else "受访者：") if zh else ("Interviewer: " if idx % 2 == 0 else "Respondent: ")
        body = ("" if zh else " ").join(rng.choice(ZH if zh else EN) for _ in range(rng.randint(2, 8)))
        line = label + body
        turns.append(Turn(idx, label.rstrip("：: "), offset + len(label), offset + len(line)))
        parts.append(line)
        offset += len(line) + 1
        idx += 1
    return "\n".join(parts) + "\n", turns


def build(folder: Path, documents: int, chars: int, codings: int, seed: int) -> tuple[Path, Path, float]:
    rng = random.Random(seed)
    base = folder / "base.qda"
    started = time.perf_counter()
    with Project.create(base) as project:
        with project.transaction():
            for i in range(documents):
                text, turns = make_text(rng, chars, zh=i % 2 == 0)
                project.add_document(name=f"P{i:04d}.txt", text=text, sha256=sha256(text), lang="zh" if i % 2 == 0 else "en",
                                     encoding="utf-8", format="txt", source_path="", turns=turns,
                                     index_bodies=["" for _ in turns])
        parents = [add_code(project, Code(f"Theme {t}")) for t in range(4)]
        codes = [add_code(project, Code(f"Code {c}"), parents[c % 4]) for c in range(16)] + parents
        lengths = {row.id: row.chars for row in project.documents()}
    ana, ben = folder / "ana.qda", folder / "ben.qda"
    shutil.copyfile(base, ana)
    shutil.copyfile(base, ben)
    doc_ids = sorted(lengths)
    spans = []
    for _ in range(codings):
        doc = rng.choice(doc_ids)
        start = rng.randrange(lengths[doc] - 200)
        spans.append((doc, rng.choice(codes), start, start + rng.randint(10, 200)))
    for path, coder in ((ana, "ana"), (ben, "ben")):
        with Project.open(path) as project, project.transaction():
            for n, (doc, code, start, end) in enumerate(spans):
                if coder == "ben" and n % 2:  # half of ben's codings are near ana's, half elsewhere
                    doc = rng.choice(doc_ids)
                    start = rng.randrange(lengths[doc] - 200)
                    end = start + rng.randint(10, 200)
                elif coder == "ben":
                    start, end = max(0, start + rng.randint(-15, 15)), end + rng.randint(-15, 15)
                project.add_coding(doc, code, start, max(end, start + 1), coder)
    return ana, ben, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=10_000, help="characters per document")
    parser.add_argument("--codings", type=int, default=5000, help="codings per coder")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    figures: dict = {"documents": args.documents, "chars_per_document": args.chars, "codings_per_coder": args.codings}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ana, ben, build_s = build(folder, args.documents, args.chars, args.codings, args.seed)
        figures["build_s"] = round(build_s, 2)
        # One project with both coders' codings, as after a merge: the base of agreement.
        both = folder / "both.qda"
        shutil.copyfile(ana, both)
        started = time.perf_counter()
        summary = merge_projects(both, ben, "bench")
        figures["merge_s"] = round(time.perf_counter() - started, 2)
        figures["merge_codings_added"] = summary.counts["codings added"]
        started = time.perf_counter()
        again = merge_projects(both, ben, "bench")
        figures["merge_again_s"] = round(time.perf_counter() - started, 2)
        figures["merge_again_changed"] = again.changed
        with Project.open(both) as project:
            total = sum(row.chars for row in project.documents())
            figures["total_chars"] = total
            from workbench.codebook.ops import paths_by_id

            paths = paths_by_id(project)
            marks = [(c.document_id, paths[c.code_id], c.coder, c.start, c.end) for c in project.codings()]
            lengths = {row.id: row.chars for row in project.documents()}
            started = time.perf_counter()
            pure = character_agreement(marks, lengths, ["ana", "ben"])
            figures["agree_char_pure_s"] = round(time.perf_counter() - started, 3)
            started = time.perf_counter()
            result = compute(project, ["ana", "ben"], level="char")
            figures["agree_char_project_s"] = round(time.perf_counter() - started, 3)
            started = time.perf_counter()
            sentences = compute(project, ["ana", "ben"], level="segment", unit="sentence")
            figures["agree_sentence_project_s"] = round(time.perf_counter() - started, 3)
            figures["agree_documents"] = len(result.documents)
            figures["kappa_char"] = round(result.overall.kappa or 0, 4)
            figures["kappa_sentence"] = round(sentences.overall.kappa or 0, 4)
            figures["disagreements_char"] = len(pure.disagreements)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"{args.documents} documents, {figures['total_chars']:,} characters, {args.codings} codings per coder "
          f"(built in {figures['build_s']} s)")
    print(f"agreement, character level: {figures['agree_char_pure_s']} s (sweep), "
          f"{figures['agree_char_project_s']} s from the project; kappa {figures['kappa_char']} "
          f"over {figures['agree_documents']} documents")
    print(f"agreement, sentence level: {figures['agree_sentence_project_s']} s; kappa {figures['kappa_sentence']}")
    print(f"merge of ben's project into ana's: {figures['merge_s']} s ({figures['merge_codings_added']} codings in); "
          f"again: {figures['merge_again_s']} s, changed: {figures['merge_again_changed']}")
    print(f"peak memory of the process: {figures['peak_rss_mb']} MB")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
