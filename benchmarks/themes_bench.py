"""Benchmark: themes for N sentences (half zh, half en), word frequency and KWIC over M characters.

Usage: python benchmarks/themes_bench.py [--sentences 50000] [--chars 10000000] [--realistic-only]
Also: each method's chosen k, stability, label distinctness and purity on the realistic set
(themes_realistic.py: bilingual, uneven subjects, disfluent) and on the demo.
Readable lines first, then one JSON object of all figures as the last line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from themes_corpus import passages  # noqa: E402

from workbench import kwic, themes, words  # noqa: E402
from workbench.model import Turn  # noqa: E402
from workbench.store import Project  # noqa: E402

FILLERS = {"zh": ["嗯，", "就是说，", "那个，", "其实", "后来"], "en": ["Um, ", "You know, ", "Well, ", "So ", "Actually "]}


def sentences(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(subject, sentence): corpus sentences varied by fillers and recombined halves."""
    base = passages()
    out = []
    for i in range(n):
        lang = "zh" if i % 2 == 0 else "en"
        subject, _, text = rng.choice([p for p in base if p[1] == lang])
        out.append((subject, rng.choice(FILLERS[lang]) + text))
    return out


def peak_mb() -> float:
    """The process's peak resident memory so far (it never goes down)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def add_document(project: Project, name: str, lines: list[str]) -> int:
    """A transcript of one respondent turn per line; returns its length."""
    text = "\n".join(lines)
    turns, offset = [], 0
    for idx, line in enumerate(lines):
        turns.append(Turn(idx, "受访者", offset + 4, offset + len(line), "mixed"))
        offset += len(line) + 1
    project.add_document(name=name, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
                         lang="mixed", encoding="utf-8", format="txt", source_path="",
                         turns=turns, index_bodies=[text[t.start:t.end] for t in turns])
    return len(text)


def encoder_themes(data: list[tuple[str, str]], rng: random.Random, figures: dict) -> None:
    """Themes with the encoder over the same sentences made distinct (each one embedded: no free repeats)."""
    from workbench.suggest.encoder import project_embedder
    from workbench.text import encoder

    places = {"zh": ["在东莞", "在义乌", "在广州", "在深圳", "在老家"], "en": ["in Dongguan", "in Yiwu", "in Guangzhou",
                                                                    "in Shenzhen", "back home"]}
    distinct = []
    for i, (subject, text) in enumerate(data):  # the tail stays inside the sentence: one segment each
        lang = "zh" if i % 2 == 0 else "en"
        year = 2000 + i % 25
        tail = (f"，那是{year}年{rng.choice(places['zh'])}的事，第{i}次。" if lang == "zh"
                else f", {rng.choice(places['en'])} in {year}, time {i}.")
        distinct.append((subject, text.rstrip("。.") + tail))
    with tempfile.TemporaryDirectory() as folder:
        project = Project.create(Path(folder) / "encoder.qda")
        with project.transaction():
            for doc, first in enumerate(range(0, len(distinct), 500)):
                add_document(project, f"t{doc}.txt", ["受访者：" + t for _, t in distinct[first:first + 500]])
        words.ensure_index(project)
        found = themes.collect_passages(project, "sentence", "all")
        encoder.encode(["warm up"])  # the model's load (~1 s) is not the embedding rate
        stages: dict[str, float] = {}
        last = [time.perf_counter(), "features"]

        def progress(stage: str, share: float) -> None:
            if stage != last[1]:
                now_ = time.perf_counter()
                stages[last[1]] = stages.get(last[1], 0) + now_ - last[0]
                last[:] = [now_, stage]

        start = time.perf_counter()
        result = themes.cluster(found, seed=0, k_range=(2, 8), method="encoder", embed=project_embedder(project),
                                progress=progress)
        figures["themes_encoder_cold_s"] = round(time.perf_counter() - start, 2)
        figures["themes_encoder_embedding_s"] = round(stages.get("embedding", 0) + stages.get("features", 0), 2)
        figures["themes_encoder_choosing_k_s"] = round(stages.get("choosing k", 0), 2)
        figures["themes_encoder_sentences_per_s"] = round(len(found) / max(1e-9, figures["themes_encoder_embedding_s"]))
        start = time.perf_counter()
        again = themes.cluster(found, seed=0, k_range=(2, 8), method="encoder", embed=project_embedder(project))
        figures["themes_encoder_cached_s"] = round(time.perf_counter() - start, 2)
        project.close()
    labels = {}
    for number, theme in enumerate(result.themes):
        for index, _ in theme.members:
            labels[index] = number
    by_theme: dict[int, dict[str, int]] = {}
    spans_langs: dict[int, set[str]] = {}
    subject_of = {text: subject for subject, text in distinct}
    for index, passage in enumerate(found):
        subject = subject_of.get(passage.text.strip())
        if subject is None:
            continue  # not one whole constructed sentence: not scored
        by_theme.setdefault(labels[index], {}).setdefault(subject, 0)
        by_theme[labels[index]][subject] += 1
        spans_langs.setdefault(labels[index], set()).add("zh" if any("\u4e00" <= c <= "\u9fff" for c in passage.text) else "en")
    scored = sum(sum(c.values()) for c in by_theme.values())
    figures["themes_encoder_segments"] = len(found)
    figures["themes_encoder_scored"] = scored
    figures["themes_encoder_purity"] = round(sum(max(c.values()) for c in by_theme.values()) / max(1, scored), 3)
    figures["themes_encoder_bilingual_themes"] = sum(len(v) == 2 for v in spans_langs.values())
    figures["themes_encoder_k"] = result.k
    figures["themes_encoder_repeatable"] = [t.members for t in again.themes] == [t.members for t in result.themes]
    print(f"themes (encoder, {encoder.model_name()}): {len(found):,} segments ({figures['themes_encoder_scored']:,} scored), embedded once into the "
          f"project's cache in {figures['themes_encoder_embedding_s']} s "
          f"({figures['themes_encoder_sentences_per_s']} sentences/s, one thread per core), choosing k "
          f"{figures['themes_encoder_choosing_k_s']} s: {figures['themes_encoder_cold_s']} s cold, "
          f"{figures['themes_encoder_cached_s']} s with the embeddings cached (k={result.k}, "
          f"purity {figures.get('themes_encoder_purity')}, {figures.get('themes_encoder_bilingual_themes')} bilingual themes)")
    print("  themes: " + "; ".join(f"{t.label} ({t.size})" for t in result.themes))


def realistic(figures: dict, seeds: tuple[int, ...] = (0, 1, 2)) -> None:
    """Chosen k, stability, label distinctness and purity of each method on the realistic set
    (benchmarks/themes_realistic.py) and on the demo, as `themes evaluate` reports them."""
    from collections import Counter

    from themes_realistic import build

    from workbench.demo import build_demo

    with tempfile.TemporaryDirectory() as folder:
        path, truth = build(Path(folder))
        demo = build_demo(Path(folder) / "demo")
        for name, project_path in (("realistic", path), ("demo", demo)):
            with Project.open(project_path) as project:
                found = themes.collect_passages(project, "sentence", "all")
                names = {row.id: row.name for row in project.documents()}
                print(f"themes evaluate on the {name} set ({len(found)} sentences, scope all):")
                print(f"  {'seed':>4} {'method':<8} {'k':>3} {'stability':>9} {'distinct':>8} {'bilingual':>9} "
                      f"{'purity':>6} {'subjects':>8} {'s':>5}  winner")
                for seed in seeds:
                    result = themes.evaluate(project, scope="all", seed=seed, passages=found)
                    for row in result.rows:
                        clustering = result.results[row.method]
                        purity, subjects = "-", "-"
                        if name == "realistic":
                            by_theme = []
                            for theme in clustering.themes:
                                counts = Counter(truth.get((names[found[i].document_id], found[i].text.strip()))
                                                 for i, _ in theme.members)
                                counts.pop(None, None)
                                if counts:
                                    by_theme.append(counts)
                            scored = sum(sum(c.values()) for c in by_theme) or 1
                            purity = f"{sum(max(c.values()) for c in by_theme) / scored:.2f}"
                            subjects = str(len({c.most_common(1)[0][0] for c in by_theme}))
                        key = f"{name}_{row.method}_seed{seed}"
                        figures[key] = {"k": row.k, "stability": row.stability, "distinctness": row.distinctness,
                                        "bilingual": row.bilingual, "purity": purity, "subjects": subjects,
                                        "seconds": row.seconds, "winner": result.winner == row.method}
                        print(f"  {seed:>4} {row.method:<8} {row.k:>3} {row.stability:>9.2f} {row.distinctness:>8.2f} "
                              f"{row.bilingual:>9.2f} {purity:>6} {subjects:>8} {row.seconds:>5.1f}  "
                              f"{'*' if result.winner == row.method else ''}")
                    labels = result.results[result.winner].themes
                    print(f"        auto → {result.winner}: " + "; ".join(f"{t.label} ({t.size})" for t in labels[:12]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=50_000)
    parser.add_argument("--chars", type=int, default=10_000_000)
    parser.add_argument("--no-encoder", action="store_true", help="Skip themes with the sentence encoder.")
    parser.add_argument("--realistic-only", action="store_true",
                        help="Only the chosen k, stability and distinctness on the realistic set and the demo.")
    args = parser.parse_args()
    rng = random.Random(0)
    figures: dict[str, object] = {"sentences": args.sentences, "chars": args.chars}
    if args.realistic_only:
        realistic(figures)
        print(json.dumps(figures))
        return

    figures["load_average_start"] = round(os.getloadavg()[0], 2)
    data = sentences(args.sentences, rng)
    with tempfile.TemporaryDirectory() as folder:
        # The sentences as transcripts (one per line, 500 a document), the way themes meet them.
        project = Project.create(Path(folder) / "themes.qda")
        with project.transaction():
            for doc, first in enumerate(range(0, len(data), 500)):
                add_document(project, f"t{doc}.txt", ["受访者：" + t for _, t in data[first:first + 500]])
        start = time.perf_counter()
        words.ensure_index(project)
        figures["themes_index_s"] = round(time.perf_counter() - start, 2)
        start = time.perf_counter()
        found = themes.collect_passages(project, "sentence", "all")
        figures["themes_terms_s"] = round(time.perf_counter() - start, 2)
        start = time.perf_counter()
        result = themes.cluster(found, seed=0, k_range=(2, 8))
        figures["themes_tfidf_cluster_s"] = round(time.perf_counter() - start, 2)
        project.close()
    figures["themes_segments"] = len(found)
    figures["themes_tfidf_total_s"] = round(figures["themes_terms_s"] + figures["themes_tfidf_cluster_s"], 2)
    figures["themes_tfidf_cold_s"] = round(figures["themes_tfidf_total_s"] + figures["themes_index_s"], 2)
    figures["themes_k"] = result.k
    figures["peak_rss_after_tfidf_mb"] = peak_mb()
    print(f"themes (TF-IDF): {len(found):,} sentences; word index built once in {figures['themes_index_s']} s; "
          f"segments and their words from the index {figures['themes_terms_s']} s, "
          f"clustering {figures['themes_tfidf_cluster_s']} s (k={result.k}): "
          f"{figures['themes_tfidf_total_s']} s, {figures['themes_tfidf_cold_s']} s with the index build")
    print("  themes: " + "; ".join(f"{t.label} ({t.size})" for t in result.themes))
    from workbench.text import encoder

    if encoder.available() and not args.no_encoder:
        encoder_themes(data, rng, figures)
        figures["peak_rss_after_encoder_mb"] = peak_mb()

    with tempfile.TemporaryDirectory() as folder:
        project = Project.create(Path(folder) / "bench.qda")
        body_pool = [t for _, t in sentences(4000, rng)]
        made, doc = 0, 0
        start = time.perf_counter()
        with project.transaction():
            while made < args.chars:
                lines = ["受访者：" + " ".join(rng.choice(body_pool) for _ in range(4)) for _ in range(300)]
                made += add_document(project, f"d{doc}.txt", lines)
                doc += 1
        figures["documents"] = doc
        start = time.perf_counter()
        words.ensure_index(project)
        figures["index_build_s"] = round(time.perf_counter() - start, 2)
        start = time.perf_counter()
        table = words.frequencies(project, top=50)
        figures["words_s"] = round(time.perf_counter() - start, 3)
        print(f"word index over {made:,} characters: built once in {figures['index_build_s']} s; "
              f"words (top 50 of {table.total:,}) in {figures['words_s']} s")
        common_zh = next(r.term for r in table.rows if r.lang == "zh")
        common_en = next(r.term for r in table.rows if r.lang == "en")
        for term in (common_zh, common_en):
            start, cpu = time.perf_counter(), time.process_time()
            lines_ = kwic.kwic(project, term, width=30)
            key = f"kwic_{'zh' if term == common_zh else 'en'}_s"
            figures[key] = round(time.perf_counter() - start, 3)
            figures[key.replace("_s", "_cpu_s")] = round(time.process_time() - cpu, 3)  # apart from others' load
            figures[key.replace("_s", "_hits")] = len(lines_)
            print(f"kwic {term!r}: {len(lines_):,} lines in {figures[key]} s (CPU {figures[key.replace('_s', '_cpu_s')]} s)")
        project.close()
    realistic(figures)
    figures["load_average_end"] = round(os.getloadavg()[0], 2)
    figures["peak_rss_mb"] = peak_mb()
    print(f"peak memory: {figures['peak_rss_mb']} MB (after TF-IDF themes {figures['peak_rss_after_tfidf_mb']} MB, "
          f"after encoder themes {figures.get('peak_rss_after_encoder_mb', '-')} MB)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
