"""How many simple mutants of one module its tests catch.

    .venv/bin/python benchmarks/mutation_bench.py workbench/merge.py tests/unit/test_project_merge.py
    .venv/bin/python benchmarks/mutation_bench.py workbench/codings_table.py tests/unit/test_codings_table.py \
        -n 40 --seed 1 -j 1 --json

Mutants are made with `ast`: a comparison swapped (< for <=, == for !=, in for not in, is for is not),
`and` for `or`, an arithmetic operator swapped (+ for -, * for /, ...), a `not` or unary minus
dropped, a constant changed (True/False flipped, a number plus one, a string emptied), or a statement
inside a function replaced by `pass`. Docstrings, annotations and f-string pieces are left alone.
N of all candidates are drawn with a fixed seed (so before/after figures compare the same mutants
while the module is unchanged), each written into a throw-away copy of the project (the module
being tested is never touched, so Ctrl+C leaves nothing behind), and the tests are run against it
with PYTHONPATH pointing at the copy (subprocesses the tests start see the mutant too). A mutant is
caught when the tests fail or time out. Prints caught/total and every surviving mutant (line and
change); with --json the last line is one JSON object. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

SWAP_COMPARE = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
                ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
SWAP_BINOP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Mult,
              ast.Mod: ast.FloorDiv, ast.BitOr: ast.BitAnd, ast.BitAnd: ast.BitOr, ast.Pow: ast.Mult}
SWAP_BOOL = {ast.And: ast.Or, ast.Or: ast.And}
REMOVABLE = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Return, ast.If, ast.For, ast.While,
             ast.With, ast.Try, ast.Raise, ast.Continue, ast.Break, ast.Delete)
IGNORED_COPY = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.pyc", ".pytest_cache", "*.egg-info")


@dataclass(frozen=True)
class Mutant:
    index: int  # position of the node in ast.walk order (stable for an unchanged source)
    kind: str  # compare, bool, binop, augassign, unary, constant, statement
    slot: int  # which operator of a chained comparison
    line: int
    before: str
    after: str = ""

    def describe(self) -> str:
        return f"line {self.line}: {self.kind}: {_short(self.before)} -> {_short(self.after)}"


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """ids of nodes never mutated: docstrings, annotations, f-string parts."""
    skip: set[int] = set()

    def mark(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                mark(body[0])
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            mark(node.returns)
            for arg in node.args.args + node.args.posonlyargs + node.args.kwonlyargs:
                mark(arg.annotation)
            for arg in (node.args.vararg, node.args.kwarg):
                mark(arg.annotation if arg else None)
        elif isinstance(node, ast.AnnAssign):
            mark(node.annotation)
        elif isinstance(node, ast.JoinedStr):
            mark(node)
    return skip


def _in_function(tree: ast.Module) -> set[int]:
    """ids of statements directly in a function's body (or nested blocks of one)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for child in ast.walk(node):
                if isinstance(child, ast.stmt) and child is not node:
                    inside.add(id(child))
    return inside


def candidates(source: str) -> list[Mutant]:
    """Every mutant this tool can make of SOURCE, in a stable order."""
    tree = ast.parse(source)
    skip, inside = _skipped_nodes(tree), _in_function(tree)
    found: list[Mutant] = []
    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skip:
            continue
        line = getattr(node, "lineno", 0)
        seg = ast.get_source_segment(source, node) or ""
        if isinstance(node, ast.Compare):
            for slot, op in enumerate(node.ops):
                if type(op) in SWAP_COMPARE:
                    found.append(Mutant(index, "compare", slot, line, seg))
        elif isinstance(node, ast.BoolOp):
            found.append(Mutant(index, "bool", 0, line, seg))
        elif isinstance(node, ast.BinOp) and type(node.op) in SWAP_BINOP:
            found.append(Mutant(index, "binop", 0, line, seg))
        elif isinstance(node, ast.AugAssign) and type(node.op) in SWAP_BINOP:
            found.append(Mutant(index, "augassign", 0, line, seg))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
            found.append(Mutant(index, "unary", 0, line, seg))
        elif isinstance(node, ast.Constant) and _mutable_constant(node.value):
            found.append(Mutant(index, "constant", 0, line, seg))
        if isinstance(node, REMOVABLE) and id(node) in inside:
            found.append(Mutant(index, "statement", 0, line, seg))
    return found


def _mutable_constant(value: object) -> bool:
    return isinstance(value, (bool, int, float, str)) and value is not None


def _changed_constant(value: object) -> object:
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    return "" if value else "mutant"


def apply(source: str, mutant: Mutant) -> tuple[str, str]:
    """SOURCE with MUTANT applied (as unparsed code), and the mutated piece for the report."""
    tree = ast.parse(source)
    node = next(n for i, n in enumerate(ast.walk(tree)) if i == mutant.index)
    shown: ast.AST = node
    if mutant.kind == "compare":
        node.ops[mutant.slot] = SWAP_COMPARE[type(node.ops[mutant.slot])]()
    elif mutant.kind == "bool":
        node.op = SWAP_BOOL[type(node.op)]()
    elif mutant.kind in ("binop", "augassign"):
        node.op = SWAP_BINOP[type(node.op)]()
    elif mutant.kind == "unary":
        _replace(tree, node, node.operand)
        shown = node.operand
    elif mutant.kind == "constant":
        node.value = _changed_constant(node.value)
    elif mutant.kind == "statement":
        replacement = ast.Pass()
        ast.copy_location(replacement, node)
        _replace(tree, node, replacement)
        shown = replacement
    ast.fix_missing_locations(tree)
    return ast.unparse(tree) + "\n", ast.unparse(shown)


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = new
                        return
    raise ValueError("node not found in its tree")


def project_root(module: Path) -> Path:
    for parent in module.resolve().parents:
        if (parent / "pyproject.toml").exists():
            return parent
    raise SystemExit(f"{module}: no pyproject.toml above it; give a module inside the project")


class Runner:
    """A throw-away copy of the project in which one mutant at a time is written and tested."""

    def __init__(self, root: Path, module: Path, tests: list[str], pytest_args: list[str]) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="mutation-"))
        self.copy = self.dir / "project"
        shutil.copytree(root, self.copy, ignore=IGNORED_COPY, symlinks=True)
        self.target = self.copy / module.resolve().relative_to(root)
        self.tests, self.pytest_args = tests, pytest_args
        self.process: subprocess.Popen | None = None
        self.stopping = False

    def run(self, source: str, timeout: float | None) -> tuple[bool, float]:
        """Write SOURCE as the module, run the tests: (passed, seconds). A timeout counts as failed."""
        self.target.write_text(source, encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=str(self.copy) + os.pathsep + os.environ.get("PYTHONPATH", ""),
                   PYTHONDONTWRITEBYTECODE="1")  # never a stale .pyc of a same-sized mutant
        env.pop("PYTEST_ADDOPTS", None)
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                   *self.pytest_args, *self.tests]
        started = time.perf_counter()
        if self.stopping:
            return False, 0.0
        self.process = subprocess.Popen(command, cwd=self.copy, env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            code = -1
        finally:
            self.process = None
        return code == 0, time.perf_counter() - started

    def kill(self) -> None:
        process = self.process
        if process and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def _inside(root: Path, test: str) -> str:
    """A test file or node id as a path relative to the project, so it names the copy's file."""
    path, sep, rest = test.partition("::")
    try:
        return str(Path(path).resolve().relative_to(root)) + sep + rest
    except ValueError:
        raise SystemExit(f"{path}: not inside the project {root}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", help="the module to mutate, e.g. workbench/merge.py")
    parser.add_argument("tests", nargs="+", help="test files (or node ids) to run against each mutant")
    parser.add_argument("-n", "--mutants", type=int, default=40, help="how many mutants (default 40; 0 = all)")
    parser.add_argument("--seed", type=int, default=20, help="which mutants are drawn (default 20)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="mutants tested at once (default 1)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds per mutant before it counts as caught (default 3x the clean run + 30)")
    parser.add_argument("--pytest-arg", action="append", default=[], help="extra pytest argument (repeatable)")
    parser.add_argument("--list", action="store_true", help="only list the drawn mutants")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the figures")
    args = parser.parse_args(argv)

    module = Path(args.module)
    if not module.is_file():
        parser.error(f"{module}: no such module")
    root = project_root(module)
    source = module.read_text(encoding="utf-8")
    pool = candidates(source)
    drawn = pool if args.mutants <= 0 or args.mutants >= len(pool) else \
        random.Random(args.seed).sample(pool, args.mutants)
    drawn = sorted(drawn, key=lambda m: (m.line, m.index, m.slot))
    mutants = []
    for m in drawn:
        mutated, after = apply(source, m)
        mutants.append((Mutant(m.index, m.kind, m.slot, m.line, m.before, after), mutated))
    print(f"{module}: {len(pool)} candidate mutants, testing {len(mutants)} (seed {args.seed}) "
          f"with {' '.join(args.tests)}")
    if args.list:
        for m, _ in mutants:
            print("  " + m.describe())
        return 0

    tests = [_inside(root, t) for t in args.tests]
    runners = [Runner(root, module, tests, args.pytest_arg) for _ in range(max(1, args.jobs))]
    results: dict[Mutant, bool] = {}
    started = time.perf_counter()
    try:
        # The clean module, unparsed the same way, must pass: otherwise every mutant looks caught.
        clean = ast.unparse(ast.parse(source)) + "\n"
        ok, seconds = runners[0].run(clean, None)
        if not ok:
            print("the tests fail on the unmutated module; fix them first", file=sys.stderr)
            return 2
        timeout = args.timeout or seconds * 3 + 30
        print(f"clean run: {seconds:.1f} s; timeout per mutant {timeout:.0f} s")
        free = list(runners)

        def test(item: tuple[Mutant, str]) -> tuple[Mutant, bool]:
            runner = free.pop()
            try:
                passed, _ = runner.run(item[1], timeout)
                return item[0], not passed
            finally:
                free.append(runner)

        executor = ThreadPoolExecutor(max_workers=len(runners))
        try:
            for done, (mutant, caught) in enumerate(executor.map(test, mutants), 1):
                results[mutant] = caught
                print(f"[{done}/{len(mutants)}] {'caught  ' if caught else 'SURVIVED'} {mutant.describe()}",
                      flush=True)
        finally:
            for runner in runners:  # on Ctrl+C: stop the test runs now (they are in sessions of their own)
                runner.stopping = True
                runner.kill()
            executor.shutdown(wait=True, cancel_futures=True)
    except KeyboardInterrupt:
        print("\ninterrupted: figures below are for the mutants tested so far", file=sys.stderr)
    finally:
        for runner in runners:
            runner.close()
    caught = sum(results.values())
    total = len(results)
    survivors = [m for m, c in results.items() if not c]
    print(f"\n{module}: caught {caught}/{total}" + (f" ({100 * caught / total:.0f}%)" if total else "")
          + f" in {time.perf_counter() - started:.0f} s")
    if survivors:
        print("surviving mutants:")
        for m in sorted(survivors, key=lambda m: m.line):
            print("  " + m.describe())
    if args.json:
        print(json.dumps({"module": str(module), "seed": args.seed, "candidates": len(pool), "tested": total,
                          "caught": caught, "percent": round(100 * caught / total, 1) if total else None,
                          "survivors": [m.describe() for m in survivors]}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
