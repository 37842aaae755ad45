"""Suggestion benchmark: training on 5,000 coded sentences across 30 codes, suggesting for a
20,000-character transcript (in the project, and one never seen), the evaluation tables on the
bilingual evaluation set (suggest_evalset.py) and on the demo project, and peak memory.
Then the rankers on the realistic set (suggest_realistic.py: 48 interviews, paragraph coding, a
long tail of codes): recall@1/@3, MRR and sentence P/R/F1 of every method and both baselines, and
training and proposing time at ~5,000 coded passages across 120+ codes.

Generates its data in a temporary folder; prints readable lines, then one JSON object.
Run: python benchmarks/suggest_bench.py
"""

from __future__ import annotations

import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import suggest_evalset  # noqa: E402
import suggest_realistic  # noqa: E402

from workbench.codebook.ops import paths_by_id  # noqa: E402
from workbench.demo import build_demo  # noqa: E402
from workbench.model import Code  # noqa: E402
from workbench.store import Project  # noqa: E402
from workbench.suggest import encoder, engine  # noqa: E402
from workbench.suggest.evaluate import evaluate, format_table  # noqa: E402
from workbench.suggest.units import document_units  # noqa: E402

CODES = 30
SENTENCES = 5000
SEED = 7
EN_FILLER = ("you know I think that was when we first came and then it was really something for us all "
             "the people here say so and my family too").split()
ZH_FILLER = list("我们那个时候就是觉得这边还是挺好的然后大家都说一样")


def topic_words(rng: random.Random, code: int) -> tuple[list[str], list[str]]:
    """Each code talks about its own things: a few English words and Chinese two-character words."""
    en = [f"{''.join(rng.choice('bcdfghklmnprstvw') + rng.choice('aeiou') for _ in range(3))}" for _ in range(12)]
    zh = ["".join(chr(0x4E00 + rng.randrange(0x5000)) for _ in range(2)) for _ in range(12)]
    return en, zh


def sentence(rng: random.Random, words: tuple[list[str], list[str]] | None) -> str:
    if rng.random() < 0.5:
        body = rng.sample(EN_FILLER, 8) + (rng.sample(words[0], 3) if words else [])
        rng.shuffle(body)
        return " ".join(body).capitalize() + "."
    body = rng.sample(ZH_FILLER, 8) + (rng.sample(words[1], 2) if words else [])
    rng.shuffle(body)
    return "".join(body) + "。"


def build(folder: Path) -> tuple[Path, Path]:
    """A project of 100 interviews, 5,000 coded sentences over 30 codes, and one 20,000-char transcript."""
    rng = random.Random(SEED)
    topics = [topic_words(rng, c) for c in range(CODES)]
    path = folder / "bench.qda"
    from workbench.imports import import_files

    documents = folder / "docs"
    documents.mkdir()
    plan = []  # (file, [(text, code or None)])
    per_doc = SENTENCES // 100
    for number in range(100):
        lines = []
        for _ in range(per_doc):
            code = rng.randrange(CODES)
            lines.append((sentence(rng, topics[code]), code))
            lines.append((sentence(rng, None), None))
        plan.append((f"I{number:03d}.txt", lines))
        (documents / f"I{number:03d}.txt").write_text(
            "\n".join(f"Respondent: {text}" for text, _ in lines) + "\n", encoding="utf-8")
    long_lines = []
    while sum(len(t) for t in long_lines) < 20_000:
        long_lines.append(sentence(rng, topics[rng.randrange(CODES)] if rng.random() < 0.5 else None))
    target = documents / "LONG.txt"
    target.write_text("\n".join(f"Respondent: {t}" for t in long_lines) + "\n", encoding="utf-8")
    fresh_lines = []  # a transcript the project has never seen: its features are computed when judged
    while sum(len(t) for t in fresh_lines) < 20_000:
        fresh_lines.append(sentence(rng, topics[rng.randrange(CODES)] if rng.random() < 0.5 else None))
    (folder / "FRESH.txt").write_text("\n".join(f"Respondent: {t}" for t in fresh_lines) + "\n", encoding="utf-8")
    with Project.create(path) as project:
        ids = [project.add_code(Code(name=f"Code {c:02d}"), None) for c in range(CODES)]
        list(import_files(project, sorted(documents.iterdir()), coder="bench"))
        with project.transaction():
            for name, lines in plan:
                doc = project.document_id(name)
                text = project.document(doc).text
                at = 0
                for line, code in lines:
                    at = text.index(line, at)
                    if code is not None:
                        project.add_coding(doc, ids[code], at, at + len(line), "bench")
                    at += len(line)
    return path, target


def realistic(folder: Path, figures: dict) -> None:
    """The rankers and baselines on the realistic set (5 folds by document), and their speed at scale."""
    print("\nrealistic set (suggest_realistic.py), rankers, 5 folds by document:")
    result = suggest_realistic.evaluate_on(suggest_realistic.build(folder / "realistic"), encoder=False)
    for name, scores in result["methods"].items():
        figures[f"realistic_{name}_recall@3"] = scores["recall@3"]
        figures[f"realistic_{name}_mrr"] = scores["mrr"]
        figures[f"realistic_{name}_sentence_f1"] = scores["sentence"]["f1"]
        figures[f"realistic_{name}_threshold"] = scores["threshold"]
    figures["realistic_winner"] = result["winner"]
    print("\ntraining and proposing at ~5,000 coded passages:")
    for key, value in suggest_realistic.timing(folder / "timing").items():
        figures[f"timing_{key}"] = value


def main() -> None:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path, _ = build(folder)
        with Project.open(path) as project:
            corpus = engine.load_corpus(project)
            long_id = project.document_id("LONG.txt")
            coded = sum(1 for _ in corpus.codings)
            engine.train(engine.Corpus(corpus.texts, corpus.units[:50], corpus.codings[:10], corpus.codes))  # warm-up
            started, cpu = time.perf_counter(), time.process_time()
            trained = engine.train(corpus)
            figures["train_s"] = round(time.perf_counter() - started, 2)
            figures["train_cpu_s"] = round(time.process_time() - cpu, 2)
            for stage, seconds in trained.timings.items():
                figures[f"train_{stage}"] = round(seconds, 2)
            print(f"training on {coded:,} coded sentences across {CODES} codes: {figures['train_s']} s wall, "
                  f"{figures['train_cpu_s']} s CPU on both threads (target ≤ 10 s); stages: "
                  + ", ".join(f"{k} {v:.2f}" for k, v in trained.timings.items()))
            print(f"load average while training: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            engine.drafts_for(trained, corpus, [long_id])  # warm-up
            timings = []
            for _ in range(5):
                started = time.perf_counter()
                drafts = engine.drafts_for(trained, corpus, [long_id])
                timings.append(time.perf_counter() - started)
            figures["suggest_20k_ms"] = round(1000 * sorted(timings)[len(timings) // 2], 1)
            figures["suggest_20k_drafts"] = len(drafts)
            print(f"suggestions for a {len(corpus.texts[long_id]):,}-character transcript: "
                  f"{figures['suggest_20k_ms']} ms median of 5 ({len(drafts)} proposals; target ≤ 200 ms)")
            fresh_text = (folder / "FRESH.txt").read_text(encoding="utf-8")
            timings = []
            for attempt in range(5):  # a new text each time, so no cache of its words or features helps
                text = fresh_text.replace("Respondent:", f"Respondent {attempt}:")
                started = time.perf_counter()
                units = document_units(-1, text, [])
                found = engine.combine(trained, engine.propose(trained, units, engine.DEFAULT_METHODS, {-1: text}))
                timings.append(time.perf_counter() - started)
            figures["suggest_20k_unseen_ms"] = round(1000 * sorted(timings)[len(timings) // 2], 1)
            print(f"suggestions for a {len(fresh_text):,}-character transcript the project has never seen "
                  f"(sentences cut, words and features computed): {figures['suggest_20k_unseen_ms']} ms median of 5 "
                  f"({len(found)} proposals)")
            synthetic = evaluate(engine.Corpus(corpus.texts, corpus.units, corpus.codings, corpus.codes),
                                 paths_by_id(project), folds=3)
            summary = synthetic.summary()
            figures["synthetic_learned_macro_f1"] = summary["learned"]["macro"]["f1"]
            print(f"synthetic corpus, 3 folds by document: learned macro-F1 {figures['synthetic_learned_macro_f1']}")
        embed = encoder.embedder() if encoder.available() else None
        for label, path in (("evalset", suggest_evalset.build(folder / "evalset")), ("demo", build_demo(folder / "demo"))):
            with Project.open(path) as project:
                corpus = engine.load_corpus(project)
                result = evaluate(corpus, paths_by_id(project), folds=5, embed=embed)
            print(f"\n{label}:")
            for line in format_table(result):
                print("  " + line)
            for name, summary in result.summary().items():
                figures[f"{label}_{name}_macro_f1"] = summary["macro"]["f1"]
                figures[f"{label}_{name}_micro_f1"] = summary["micro"]["f1"]
        realistic(folder, figures)
    figures["encoder_loaded"] = bool(encoder.available())
    figures["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"peak memory: {figures['peak_mb']} MB (encoder loaded: {figures['encoder_loaded']}; target ≤ 500 MB)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
