"""Import throughput against raw tokenization, code retrieval time and peak memory.

    python benchmarks/import_bench.py                 # 1,000 transcripts, ~10 M characters
    python benchmarks/import_bench.py --transcripts 100
    python benchmarks/import_bench.py --keep /tmp/bench.qda      # also keep the built project
    python benchmarks/import_bench.py --retrieve-only /tmp/bench.qda   # time retrieval on it only

Transcripts are assembled from the demo corpus's turns (so jieba and spaCy see real speech),
half Chinese, half English, some mixed, each about --chars characters with speaker labels.
Readable lines first; the last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench import coding  # noqa: E402
from workbench.codebook import load_yaml  # noqa: E402
from workbench.codebook.ops import install, resolve  # noqa: E402
from workbench.demo import DEMO_CODEBOOK, DEMO_CORPUS  # noqa: E402
from workbench.importers import read_file  # noqa: E402
from workbench.imports import import_files  # noqa: E402
from workbench.store import Project  # noqa: E402
from workbench.text.segment import has_han, tokenizer  # noqa: E402

LABELS = {"zh": ("采访者：", "受访者："), "en": ("Interviewer: ", "Respondent: ")}


def turn_pool() -> dict[str, list[str]]:
    """Turn texts of the demo corpus, by language."""
    pool: dict[str, list[str]] = {"zh": [], "en": []}
    for path in sorted(DEMO_CORPUS.glob("P*")):
        for document in read_file(path):
            for turn in document.turns:
                body = document.text[turn.start:turn.end].replace("\n", " ")
                if len(body) > 20:
                    pool["zh" if has_han(body) else "en"].append(body)
    return pool


def write_transcripts(folder: Path, count: int, chars: int, seed: int) -> tuple[list[Path], list[str]]:
    rng = random.Random(seed)
    pool = turn_pool()
    paths, texts = [], []
    for number in range(count):
        language = "zh" if number % 2 == 0 else "en"
        lines, size, speaker = [], 0, 0
        while size < chars:
            own = pool[language]
            # one turn in ten is borrowed from the other language: mixed interviews
            body = rng.choice(own if rng.random() > 0.1 else pool["en" if language == "zh" else "zh"])
            line = LABELS[language][speaker] + body
            lines.append(line)
            size += len(line) + 1
            speaker = 1 - speaker
        text = f"Transcript {number:05d}\n\n" + "\n".join(lines) + "\n"
        path = folder / f"T{number:05d}-{language}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        texts.append(text)
    return paths, texts


def raw_tokenize_seconds(texts: list[str]) -> float:
    """jieba for Chinese text, spaCy's blank English tokenizer for the rest, as a baseline."""
    import spacy

    english = spacy.blank("en")
    jieba = tokenizer()
    started = time.perf_counter()
    for text in texts:
        for line in text.split("\n"):
            if has_han(line):
                for _ in jieba.cut(line):
                    pass
            elif line:
                english.tokenizer(line)
    return time.perf_counter() - started


def time_retrieval(project: Project) -> tuple[float, list]:
    """Median of 7 retrievals of every segment of 'Trust' with its sub-codes (wall, and CPU: on a
    shared machine the CPU time is the steadier figure), then where that time goes."""
    timings, cpu = [], []
    trust = coding.code_id(project, "Trust")
    for _ in range(7):
        started, started_cpu = time.perf_counter(), time.process_time()
        segments = coding.retrieve(project, trust)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    retrieve_ms = statistics.median(timings)
    print(f"retrieve all {len(segments):,} segments of 'Trust' (with sub-codes): {retrieve_ms:.1f} ms "
          f"(median of 7; CPU {statistics.median(cpu):.1f} ms)")
    print_retrieval_split(project)
    return retrieve_ms, segments


def print_retrieval_split(project: Project) -> None:
    """The store's query (rows fetched and sorted), the bare fetch of its codings statement alone (the
    floor: SQLite and the sqlite3 module making the values), the Segments made from the rows (the
    rest of a retrieval), and the garbage collector's passes within a retrieval."""
    import gc

    from workbench.coding import code_id, descendants, paths_by_id

    trust = code_id(project, "Trust")
    ids = descendants(project, trust)
    statements: list[str] = []
    project.conn.set_trace_callback(statements.append)  # the statements as run, values filled in
    project.coded_segments(ids, paths_by_id(project))
    project.conn.set_trace_callback(None)
    fetch = next(sql for sql in statements if "FROM codings" in sql)
    collector: list[float] = []
    clock: list[float] = [0.0]

    def on_collect(phase: str, info: dict) -> None:
        if phase == "start":
            clock[0] = time.perf_counter()
        else:
            collector[-1] += (time.perf_counter() - clock[0]) * 1000

    runs = {"query": lambda: project._segment_query(ids, None, origin=False),
            "fetch": lambda: project.conn.execute(fetch).fetchall(),
            "whole": lambda: coding.retrieve(project, trust)}
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(9):  # taken in turn, so that a busy moment weighs on all three alike
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - started) * 1000)
    query_ms, fetch_ms, whole_ms = (statistics.median(times[name]) for name in runs)
    gc.callbacks.append(on_collect)
    for _ in range(9):
        collector.append(0.0)
        coding.retrieve(project, trust)
    gc.callbacks.remove(on_collect)
    print(f"  of which the store's query {query_ms:.1f} ms (its bare codings fetch {fetch_ms:.1f} ms; "
          f"the rest: documents, sort), making the Segments {whole_ms - query_ms:.1f} ms; "
          f"garbage collection within a retrieval {statistics.median(collector):.1f} ms (medians of 9)")


def retrieve_only(path: Path) -> None:
    project = Project.open(path)
    print(f"{path}: {len(project.documents()):,} documents, {project.coding_count():,} codings")
    retrieve_ms, segments = time_retrieval(project)
    project.close()
    print(json.dumps({"retrieve_ms": round(retrieve_ms, 2), "retrieved_segments": len(segments)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=10_000, help="characters per transcript")
    parser.add_argument("--codings", type=int, default=5_000, help="codings to retrieve")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="copy the built project here (for --retrieve-only)")
    parser.add_argument("--retrieve-only", type=Path, metavar="PROJECT",
                        help="skip building: time retrieval on a project kept with --keep")
    args = parser.parse_args()
    if args.retrieve_only:
        retrieve_only(args.retrieve_only)
        return

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        paths, texts = write_transcripts(folder, args.transcripts, args.chars, args.seed)
        total_chars = sum(len(t) for t in texts)
        print(f"generated {len(paths):,} transcripts, {total_chars:,} characters")

        tokenizer()  # load jieba's dictionary outside both timings
        tokenize_s = raw_tokenize_seconds(texts)
        print(f"raw tokenization (jieba + spaCy blank en): {tokenize_s:.1f} s, "
              f"{total_chars / tokenize_s:,.0f} chars/s")

        project = Project.create(folder / "bench.qda")
        install(project, load_yaml(DEMO_CODEBOOK))
        started = time.perf_counter()
        failed = [o for o in import_files(project, paths) if o.status != "imported"]
        import_s = time.perf_counter() - started
        if failed:
            raise SystemExit(f"import failed: {failed[0].message}")
        print(f"import: {import_s:.1f} s, {total_chars / import_s:,.0f} chars/s, "
              f"{import_s / tokenize_s:.2f}x raw tokenization")

        rng = random.Random(args.seed)
        code_ids = [resolve(project, "Trust/Distrust"), resolve(project, "Trust/Institutional trust")]
        documents = [(row.id, row.chars) for row in project.documents()]
        with project.transaction():
            for _ in range(args.codings):
                doc_id, length = rng.choice(documents)
                start = rng.randrange(0, length - 200)
                project.add_coding(doc_id, rng.choice(code_ids), start, start + rng.randint(20, 200), "bench")
        retrieve_ms, segments = time_retrieval(project)
        project.close()
        if args.keep:
            shutil.copyfile(folder / "bench.qda", args.keep)
            print(f"kept the project at {args.keep}")

    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak_rss_mb:,.0f} MB")
    figures = {
        "transcripts": args.transcripts, "chars": total_chars,
        "import_s": round(import_s, 2), "tokenize_s": round(tokenize_s, 2),
        "import_chars_per_s": round(total_chars / import_s),
        "import_vs_tokenize_ratio": round(import_s / tokenize_s, 3),
        "retrieve_ms": round(retrieve_ms, 2), "retrieved_segments": len(segments),
        "peak_rss_mb": round(peak_rss_mb, 1),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
