"""Benchmark: validate a corpus of 10,000 reports built from the seeds, and time one file from the shell.

Builds the corpus in a temporary folder (each file one report: a seed report with its street, figures
and a sentence varied, in the encodings and line ends users send), runs ``wrqa validate`` over it as
a user would, and prints documents per second, peak memory and single-file latency. Not a test:
figures depend on the machine, so they go in the README with the machine they came from.

    .venv/bin/python bench/validate_corpus.py [--reports 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "tests" / "data" / "seeds"
VOLUME_REPORTS = [(17, 51), (52, 84), (85, 118), (119, 151), (152, 183), (184, 216), (217, 253), (254, 286),
                  (287, 317), (318, 366), (367, 412), (413, 440), (441, 465)]
ENCODINGS = [("utf-8", "\n"), ("utf-8", "\r\n"), ("gb18030", "\r\n"), ("utf-8-sig", "\n")]


def build(folder: Path, count: int) -> int:
    volume = (SEEDS / "wuchang-2022-street-reports-volume.txt").read_text(encoding="utf-8").split("\n")
    reports = ["\n".join(volume[start - 1 : end]) for start, end in VOLUME_REPORTS]
    reports.append((SEEDS / "wcrd-2018-ziyang-report.txt").read_text(encoding="utf-8"))
    rng = random.Random(2022)
    total = 0
    for number in range(count):
        text = reports[number % len(reports)]
        year = 2012 + number % 11
        text = text.replace("2022", str(year)).replace("2023", str(year + 1))
        text = text.replace("代表", rng.choice(["代表", "人大代表", "各级代表"]), rng.randint(1, 5))
        text += f"\n第{number}号汇编补记：全年接待选民{rng.randint(10, 500)}人次。\n"
        encoding, line_end = ENCODINGS[number % len(ENCODINGS)]
        data = text.replace("\n", line_end).encode(encoding)
        shard = folder / f"{number // 1000:02d}"
        shard.mkdir(exist_ok=True)
        (shard / f"report-{number:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def timed(command: list[str]) -> tuple[float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    return elapsed, max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    args = parser.parse_args()
    wrqa = str(Path(sys.executable).with_name("wrqa"))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="wrqa-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        size = build(folder, args.reports)
        elapsed, peak_kib = timed([wrqa, "validate", "--format", "json", "-o", os.devnull, str(folder)])
        single = min(timed([wrqa, "validate", str(SEEDS / "wcrd-2018-ziyang-report.txt")])[0] for _ in range(5))
    finally:
        if not args.keep:
            shutil.rmtree(folder)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"corpus: {args.reports:,} reports, {size / 1e6:.1f} MB")
    print(f"validate (pandera + GX): {elapsed:.1f} s, {args.reports / elapsed:,.0f} docs/s, "
          f"peak memory {peak_kib / 1024:.0f} MiB")
    print(f"one file from the shell (pandera): {single:.2f} s (best of 5)")


if __name__ == "__main__":
    main()
