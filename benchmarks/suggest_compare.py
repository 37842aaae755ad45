"""Which choices make learned suggestions recover people's codes on interviews they were not trained on.

Cross-validates by document (5 folds) on the demo project and on the bilingual evaluation set
of `suggest_evalset.py`, once per variant of `learned.Settings`, and prints macro/micro F1 of
the learned method and of the combination with keywords; ends with one JSON line.
Run: python benchmarks/suggest_compare.py [variant ...]
"""

from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import suggest_evalset  # noqa: E402

from workbench.codebook.ops import paths_by_id  # noqa: E402
from workbench.demo import build_demo  # noqa: E402
from workbench.store import Project  # noqa: E402
from workbench.suggest import engine, learned  # noqa: E402
from workbench.suggest.evaluate import evaluate  # noqa: E402

VARIANTS = {
    "default": {},
    "C 4": {"C": 4.0},
    "C 0.25": {"C": 0.25},
    "not balanced": {"balanced": False},
    "SGD modified_huber": {"loss": "modified_huber", "threads": 2},
    "final refit instead of averaging": {"refit": True},
    "uncoded weight 1": {"uncoded_weight": 1.0},
    "uncoded weight 0.25": {"uncoded_weight": 0.25},
    "positive: any overlap": {"positive": "any"},
    "parents learn from sub-codes": {"parents": True},
    "no recall floor": {"min_recall": 0.0},
    "recall floor 0.7": {"min_recall": 0.7},
}


def main(chosen: list[str]) -> None:
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        projects = {"evalset": suggest_evalset.build(Path(tmp) / "eval"), "demo": build_demo(Path(tmp) / "demo")}
        corpora = {}
        for name, path in projects.items():
            with Project.open(path) as project:
                corpora[name] = (engine.load_corpus(project), paths_by_id(project))
        for variant in chosen or list(VARIANTS):
            settings = dataclasses.replace(learned.DEFAULT, **VARIANTS[variant])
            row = {}
            for name, (corpus, paths) in corpora.items():
                started = time.perf_counter()
                summary = evaluate(corpus, paths, folds=5, settings=settings).summary()
                for method in ("learned", "combined"):
                    row[f"{name}_{method}_macro_f1"] = summary[method]["macro"]["f1"]
                    row[f"{name}_{method}_micro_f1"] = summary[method]["micro"]["f1"]
                row[f"{name}_s"] = round(time.perf_counter() - started, 1)
            figures[variant] = row
            print(f"{variant:<30} evalset learned macro {row['evalset_learned_macro_f1']:.3f} micro "
                  f"{row['evalset_learned_micro_f1']:.3f} | combined macro {row['evalset_combined_macro_f1']:.3f} "
                  f"| demo learned macro {row['demo_learned_macro_f1']:.3f} combined macro "
                  f"{row['demo_combined_macro_f1']:.3f}", flush=True)
    print(json.dumps(figures))


if __name__ == "__main__":
    main(sys.argv[1:])
