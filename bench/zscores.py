"""Benchmark: vectorised WHO z-scores vs the per-row pure-Python implementation.

Run from the repository root: ``python bench/zscores.py [--rows N] [--sample N]``.
Scores N random children (all five indicators, flags, adjusted length) with
``growth.zscores.score`` and a sample with ``score_row_python``, checks that
both agree on the sample, and prints rows/s for each and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from growth.zscores import load_tables, score  # noqa: E402
from tests.growth.who_anthro import score_row_python  # noqa: E402

DEFAULT_ROWS = 1_000_000
DEFAULT_SAMPLE = 20_000
TIMED_RUNS = 5
SEED = 2006


def random_children(count: int, seed: int = SEED) -> tuple[np.ndarray, ...]:
    """Plausible survey rows: ages 0-62 months, measurements around the medians."""
    rng = np.random.default_rng(seed)
    age = rng.uniform(0, 1900, count)
    age = np.where(rng.random(count) < 0.5, age.round(), age)  # half whole days
    growth = age / 1826
    lenhei = (47 + 63 * growth + rng.normal(0, 5, count)).round(1)
    weight = (3.3 + 14 * growth + rng.normal(0, 1.8, count)).round(1)
    muac = (13 + 3 * growth + rng.normal(0, 1.3, count)).round(1)
    sex = rng.integers(1, 3, count)
    measure = rng.integers(0, 3, count)
    oedema = rng.random(count) < 0.01
    return sex, age, weight, lenhei, measure, oedema, muac


def time_engine(children: tuple[np.ndarray, ...]) -> tuple[float, float]:
    """(first run, median of TIMED_RUNS further runs) in seconds."""
    start = time.perf_counter()
    score(*children)
    first = time.perf_counter() - start
    runs = []
    for _ in range(TIMED_RUNS):
        start = time.perf_counter()
        score(*children)
        runs.append(time.perf_counter() - start)
    return first, statistics.median(runs)


def time_per_row(children: tuple[np.ndarray, ...], sample: int) -> tuple[float, list[dict]]:
    rows = [tuple(column[i].item() for column in children) for i in range(sample)]
    start = time.perf_counter()
    results = [score_row_python(*row) for row in rows]
    return time.perf_counter() - start, results


def agree(children: tuple[np.ndarray, ...], per_row: list[dict]) -> bool:
    vectorised = score(*(column[: len(per_row)] for column in children))
    for name, values in vectorised.items():
        expected = np.array([row[name] for row in per_row], dtype=values.dtype)
        if not np.array_equal(values, expected, equal_nan=values.dtype.kind == "f"):
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--sample", type=int, default=DEFAULT_SAMPLE)
    args = parser.parse_args()

    load_tables()
    children = random_children(args.rows)
    first, engine = time_engine(children)
    python_seconds, per_row = time_per_row(children, args.sample)
    engine_rate = args.rows / engine
    python_rate = args.sample / python_seconds

    print(f"rows: {args.rows:,} (per-row sample: {args.sample:,})")
    print(f"numpy engine : {engine_rate:>12,.0f} rows/s  ({engine * 1e3:.0f} ms median of "
          f"{TIMED_RUNS}; first run {args.rows / first:,.0f} rows/s)")
    print(f"pure Python  : {python_rate:>12,.0f} rows/s  (extrapolated "
          f"{args.rows / python_rate:.1f} s for {args.rows:,})")
    print(f"speed-up     : {engine_rate / python_rate:>12,.0f}x")
    print(f"sample agrees: {agree(children, per_row)}")


if __name__ == "__main__":
    main()
