"""Mutation testing driver behind scripts/mutation.sh: every mutant of the chosen modules, or a seeded sample.

mutmut (pinned in requirements-dev.txt) generates the mutants into mutants/ and runs the tests covering each one.
This script lists the mutants it generated, keeps those matching the module globs, runs all of them or a seeded
random sample, and reports killed / survived with a 95% Wilson interval for the score: a sample's score is an
estimate of the full score, and the interval says how far it may be off.

A mutant counts as killed when a test failed (or it timed out); "no tests" (no test reaches the function)
counts as survived: nothing would notice the change.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import math
import os
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

KILLED = {"killed", "timeout"}
# `python -m mutmut` would load mutmut.__main__ twice (it warns); call its command line from the imported module.
MUTMUT = "from mutmut.__main__ import cli; cli()"
MAX_NAMES_PER_RUN = 400  # mutant names per `mutmut run` (each run first reruns the covering tests once, clean)


@dataclass(frozen=True)
class Score:
    killed: int
    judged: int

    @property
    def percent(self) -> float:
        return 100 * self.killed / self.judged if self.judged else 0.0

    def wilson_95(self) -> tuple[float, float]:
        """95% Wilson score interval for the kill rate, in percent (sound for small samples and rates near 100%)."""
        n, z = self.judged, 1.959964
        if n == 0:
            return 0.0, 100.0
        p = self.killed / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


def module_of(mutant: str) -> str:
    """advisor.costs.lines.x_backup_line__mutmut_3 -> advisor.costs.lines (class methods: x«Class«method)."""
    return mutant.rsplit(".", 1)[0]


def matching(names: list[str], globs: list[str]) -> list[str]:
    if not globs:
        return sorted(names)
    return sorted(n for n in names if any(fnmatch.fnmatch(n, g) for g in globs))


def draw(names: list[str], size: int | None, seed: int) -> list[str]:
    """All names, or `size` of them drawn without replacement by a seeded generator (same seed, same sample)."""
    if size is None or size >= len(names):
        return list(names)
    return sorted(random.Random(seed).sample(sorted(names), size))


@contextmanager
def _quiet() -> Iterator[None]:
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            for fd, copy in enumerate(saved, start=1):
                os.dup2(copy, fd)
                os.close(copy)


def generate() -> dict[str, str]:
    """Generate (or refresh) mutants/ without running anything; every mutant name -> its source file's meta."""
    from mutmut.__main__ import create_mutants, store_lines_covered_by_tests
    from mutmut.mutation.trampoline import set_mutant_under_test
    from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir, setup_source_paths, walk_mutatable_files

    set_mutant_under_test("mutant_generation")
    Path("mutants").mkdir(exist_ok=True)
    # A module added to only_mutate after mutants/ was made is there as a plain copy, newer than its source, and
    # mutmut takes "newer" for "already mutated": it would stay unmutated. Such copies have no .meta; drop them,
    # and the recorded test-to-function map with them (made while the module was not mutated, it names no test
    # for its functions, so every one of its mutants would read "no tests").
    for source in walk_mutatable_files():
        copy = Path("mutants") / source
        if copy.exists() and not Path(f"{copy}.meta").exists():
            copy.unlink()
            Path("mutants/mutmut-stats.json").unlink(missing_ok=True)
    with _quiet():  # mutmut prints every file it copies or mutates, from worker processes too
        copy_src_dir()
        copy_also_copy_files()
        setup_source_paths()
        store_lines_covered_by_tests()
        create_mutants(1)
    return {name: str(meta) for meta in Path("mutants").rglob("*.py.meta")
            for name in json.loads(meta.read_text())["exit_code_by_key"]}


def statuses(names: list[str], meta_by_name: dict[str, str]) -> dict[str, str]:
    from mutmut.stats import status_by_exit_code

    codes: dict[str, int | None] = {}
    for meta in set(meta_by_name[n] for n in names):
        codes.update(json.loads(Path(meta).read_text())["exit_code_by_key"])
    return {n: status_by_exit_code[codes.get(n)] for n in names}


def report(status_by_name: dict[str, str], population: Counter[str], sampled: bool) -> None:
    by_module: dict[str, Counter[str]] = {}
    for name, status in status_by_name.items():
        by_module.setdefault(module_of(name), Counter())[status] += 1
    rows = [*sorted(by_module.items()), ("all", sum(by_module.values(), Counter()))]
    kind = "sampled" if sampled else "every mutant"
    print(f"\n{'module':38} {'killed':>6} {'survived':>8} {'run':>5} {'of':>5}  score  95% CI ({kind})")
    for module, counts in rows:
        killed = sum(counts[s] for s in KILLED)
        judged = sum(counts.values()) - counts["not checked"]
        score = Score(killed, judged)
        low, high = score.wilson_95()
        total = sum(population.values()) if module == "all" else population[module]
        print(f"{module:38} {killed:6} {judged - killed:8} {judged:5} {total:5}  {score.percent:5.1f}%"
              f"  {low:.1f}-{high:.1f}%")
    odd = Counter(s for s in status_by_name.values() if s not in KILLED | {"survived"})
    if odd:
        print("not killed, other than survived:", dict(odd))
    survivors = sorted(n for n, s in status_by_name.items() if s not in KILLED)
    if survivors:
        print("\nsurvivors (python -m mutmut show NAME):")
        print("\n".join(f"  {n}  [{status_by_name[n]}]" for n in survivors))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="scripts/mutation.sh", description=__doc__.split("\n")[0])
    parser.add_argument("globs", nargs="*", help="mutant name globs, e.g. 'advisor.capacity.*' (default: all)")
    parser.add_argument("--sample", type=int, help="run only this many mutants of each glob, drawn at random")
    parser.add_argument("--seed", type=int, default=12, help="seed of the sample (default 12)")
    parser.add_argument("--list", action="store_true", help="only list the chosen mutants, run nothing")
    parser.add_argument("--report", action="store_true", help="only report the chosen mutants' last results")
    args = parser.parse_args(argv)

    meta_by_name = generate()
    names = matching(list(meta_by_name), args.globs)
    if not names:
        print(f"no mutant matches {args.globs}", file=sys.stderr)
        return 2
    # The sample is drawn per glob (stratified), so each module named gets its own N and its own interval.
    chosen = sorted({n for g in (args.globs or ["*"]) for n in draw(matching(names, [g]), args.sample, args.seed)})
    population = Counter(module_of(n) for n in names)
    sampled = len(chosen) < len(names)
    print(f"{len(names)} mutants match; {'a sample of ' if sampled else 'all '}{len(chosen)} chosen"
          + (f" (seed {args.seed})" if sampled else ""))
    if args.list:
        print("\n".join(chosen))
        return 0
    if not args.report:
        for start in range(0, len(chosen), MAX_NAMES_PER_RUN):
            batch = chosen[start:start + MAX_NAMES_PER_RUN]
            with open("mutants-run.log", "a") as log:
                done = subprocess.run([sys.executable, "-c", MUTMUT, "run", "--max-children", "1", *batch],
                                      stdout=log, stderr=subprocess.STDOUT, check=False)
            if done.returncode != 0:
                print(Path("mutants-run.log").read_text()[-3000:], file=sys.stderr)
                return 1
    report(statuses(chosen, meta_by_name), population, sampled)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
