"""Time to apply one coding in a very long Chinese document, near its end.

    python benchmarks/coding_bench.py                  # a 2,000,000-character document
    python benchmarks/coding_bench.py --chars 500000 --repeat 50

The document is assembled from the demo corpus's Chinese turns with speaker labels, imported
through the core, and coded through `coding.apply_code` (what the CLI and the TUI call), each
time a new span within the last 1 % of the text, one transaction each. The first coding (which
reads the document once) is reported apart from the median of the rest. Readable lines first;
the last line is one JSON object with every figure. The target is at most 2 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench import coding  # noqa: E402
from workbench.codebook import load_yaml  # noqa: E402
from workbench.codebook.ops import install  # noqa: E402
from workbench.demo import DEMO_CODEBOOK, DEMO_CORPUS  # noqa: E402
from workbench.importers import read_file  # noqa: E402
from workbench.imports import import_files  # noqa: E402
from workbench.store import Project  # noqa: E402
from workbench.text.segment import has_han  # noqa: E402

TARGET_MS = 2.0


def chinese_transcript(chars: int) -> str:
    """At least `chars` characters of Chinese interview turns from the demo corpus."""
    turns = []
    for path in sorted(DEMO_CORPUS.glob("P*")):
        for parsed in read_file(path):
            for turn in parsed.turns:
                body = " ".join(parsed.text[turn.start:turn.end].split())
                if has_han(body):
                    turns.append(body.split("：", 1)[-1])
    if not turns:
        raise SystemExit(f"{DEMO_CORPUS}: no Chinese turns to build the document from")
    lines, size, index = [], 0, 0
    while size < chars:
        line = f"{'采访者' if index % 2 == 0 else '受访者'}：{turns[index % len(turns)]}\n\n"
        lines.append(line)
        size += len(line)
        index += 1
    return "".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("WORKBENCH_HOME", tempfile.mkdtemp(prefix="coding-bench-home-"))
    with tempfile.TemporaryDirectory(prefix="coding-bench-") as folder:
        source = Path(folder) / "long-interview.txt"
        source.write_text(chinese_transcript(args.chars), encoding="utf-8")
        project = Project.create(Path(folder) / "bench.qda")
        install(project, load_yaml(DEMO_CODEBOOK), coder="bench")
        outcome, = import_files(project, [source], coder="bench")
        if outcome.status != "imported":
            raise SystemExit(outcome.message)
        project.close()

        project = Project.open(Path(folder) / "bench.qda")  # a fresh session, as a person opening it
        document = project.documents()[0]
        length = document.chars
        print(f"document: {length:,} characters, {document.turns:,} turns")
        trust = coding.code_id(project, "Trust")  # the name becomes an id once, as at the CLI/TUI edge
        timings = []
        for index in range(args.repeat + 1):
            start = length - 200 - 17 * index
            began = time.perf_counter()
            coding.apply_code(project, document.id, trust, start, start + 12, "bench")
            timings.append((time.perf_counter() - began) * 1000)
        stored = project.segment_rows([trust])[-1].text
        project.close()
    first_ms, median_ms = timings[0], statistics.median(timings[1:])
    print(f"apply one coding near the end: first {first_ms:.2f} ms, then {median_ms:.2f} ms "
          f"(median of {args.repeat}); target {TARGET_MS} ms")
    print(json.dumps({
        "chars": length, "codings": args.repeat + 1, "first_ms": round(first_ms, 3),
        "median_ms": round(median_ms, 3), "max_ms": round(max(timings[1:]), 3),
        "target_ms": TARGET_MS, "text_stored": bool(stored),
    }))


if __name__ == "__main__":
    main()
