"""Export speed: 5,000 coded excerpts to DOCX, XLSX and Markdown, and de-identification of
10 M characters (the pseudonym table applied), plus name detection throughput on a sample.

    python benchmarks/export_bench.py                  # 5,000 excerpts, 10 M characters
    python benchmarks/export_bench.py --excerpts 1000 --chars 1000000

Documents are assembled from the demo corpus's turns (Chinese, English, mixed) and stored with
the store's own calls; codings are spread over the demo codebook by two coders, with memos.
Readable lines first; the last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.import_bench import turn_pool  # noqa: E402
from workbench.codebook import load_yaml  # noqa: E402
from workbench.codebook.ops import install, paths_by_id  # noqa: E402
from workbench.demo import DEMO_CODEBOOK, DEMO_CORPUS  # noqa: E402
from workbench.export import deidentify  # noqa: E402
from workbench.export.run import Options, export  # noqa: E402
from workbench.imports import link_participants  # noqa: E402
from workbench.model import Turn  # noqa: E402
from workbench.store import Project  # noqa: E402

LABELS = {"zh": ("采访者：", "受访者："), "en": ("Interviewer: ", "Respondent: ")}


def build(folder: Path, excerpts: int, seed: int) -> Path:
    rng = random.Random(seed)
    pool = turn_pool()
    path = folder / "bench.qda"
    with Project.create(path) as project:
        install(project, load_yaml(DEMO_CODEBOOK))
        code_ids = list(paths_by_id(project))
        documents = max(9, excerpts // 50)
        with project.transaction():
            for number in range(documents):
                language = "zh" if number % 2 == 0 else "en"
                parts, turns, position = [], [], 0
                for idx in range(60):
                    body = rng.choice(pool[language])
                    line = LABELS[language][idx % 2] + body
                    turns.append(Turn(idx, ("Interviewer", "Respondent")[idx % 2], position, position + len(line),
                                      language))
                    parts.append(line)
                    position += len(line) + 1
                text = "\n".join(parts)
                name = f"P{number % 9 + 1:02d}-bench-{number:04d}.txt"
                doc_id = project.add_document(name=name, text=text, sha256=f"{number:064d}", lang=language,
                                              encoding="utf-8", format="txt", source_path=name, turns=turns,
                                              index_bodies=[text[t.start:t.end] for t in turns])
                for i in range(excerpts // documents + (number < excerpts % documents)):
                    turn = turns[rng.randrange(1, len(turns), 2)]
                    start = rng.randrange(turn.start, max(turn.start + 1, turn.end - 40))
                    end = min(turn.end, start + rng.randint(30, 300))
                    coding = project.add_coding(doc_id, rng.choice(code_ids), start, max(end, start + 1),
                                                rng.choice(("lin", "sara")))
                    if i % 10 == 0:
                        project.add_memo("coding", coding, "A memo on this passage: compare with the broker case.",
                                         "lin")
        link_participants(project, DEMO_CORPUS / "participants.csv")
    return path


CPU: dict[str, float] = {}


def timed(action, name: str = "") -> tuple[float, object]:
    """Wall-clock seconds (what a person waits); CPU seconds kept in CPU[name] (what load hides)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    if name:
        CPU[name] = round(time.process_time() - cpu, 3)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--excerpts", type=int, default=5_000)
    parser.add_argument("--chars", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    figures: dict[str, float | int] = {"excerpts": args.excerpts}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        seconds, path = timed(lambda: build(folder, args.excerpts, args.seed))
        print(f"built a project with {args.excerpts:,} codings in {seconds:.1f} s")
        with Project.open(path) as project:
            count = project.coding_count()
            figures["codings"] = count
            for suffix in (".docx", ".xlsx", ".md"):
                seconds, result = timed(lambda: export(project, folder / f"out{suffix}", Options()), suffix[1:])
                size = (folder / f"out{suffix}").stat().st_size
                print(f"{suffix:6} {result.count:>6,} excerpts in {seconds:5.2f} s (CPU {CPU[suffix[1:]]:.2f} s, "
                      f"{size / 1e6:.1f} MB)")
                figures[f"{suffix[1:]}_s"] = round(seconds, 3)
                figures[f"{suffix[1:]}_items"] = result.count
            # De-identification: the participants' names plus what detection finds in the excerpts.
            texts = [row[2] for row in project.document_texts()]
            # Detection caches each distinct run of Han characters, so time it on distinct text:
            # every turn of the demo corpus once.
            pool = turn_pool()
            sample = "\n".join(sorted(set(pool["zh"] + pool["en"])))
            deidentify.detect(["预热 Warm Up with Mr Smith"])  # loading jieba and the word list is not detection
            seconds, candidates = timed(lambda: deidentify.detect([sample]))
            figures["detect_chars"] = len(sample)
            figures["detect_s"] = round(seconds, 3)
            figures["detect_chars_per_s"] = round(len(sample) / seconds)
            print(f"detection: {len(sample):,} characters in {seconds:.2f} s "
                  f"({len(sample) / seconds:,.0f} characters/s), {len(candidates)} candidates")
            deidentify.sync_participants(project)
            deidentify.add_candidates(project, candidates)
            # A reviewed table: every candidate confirmed, so all of them are applied.
            deidentify.decide(project, [p.original for p in deidentify.candidates(project.pseudonyms())],
                              deidentify.CONFIRMED)
            replacer = deidentify.replacer(project)
            figures["pseudonyms"] = len(replacer.rows)
            corpus = []
            size = 0
            while size < args.chars:
                for text in texts:
                    corpus.append(text)
                    size += len(text)
                    if size >= args.chars:
                        break
            seconds, cleaned = timed(lambda: [replacer(text) for text in corpus], "deidentify")
            report = replacer.report()
            print(f"de-identification: {size:,} characters, {len(replacer.rows)} pseudonyms, "
                  f"{report.replacements:,} replacements in {seconds:.2f} s (CPU {CPU['deidentify']:.2f} s)")
            figures["deidentify_chars"] = size
            figures["deidentify_s"] = round(seconds, 3)
            figures["replacements"] = report.replacements
            seconds, result = timed(lambda: export(project, folder / "deid.md", Options(deidentify=True)))
            print(f"de-identified Markdown export (detection on its excerpts included): {seconds:.2f} s")
            figures["deidentified_md_s"] = round(seconds, 3)
    figures.update({f"{name}_cpu_s": value for name, value in CPU.items()})
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
