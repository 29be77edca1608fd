"""Benchmark: validate corpora of 1,000 to 100,000 reports built from the seeds, and time one file from the shell.

Each corpus is built in a temporary folder, each file one report: a seed report with its paragraphs shuffled
and a sixth of its Han characters replaced by others (a seeded RNG), so that its documents are not
near-copies of one another, in the encodings and line ends users send. ``--near-copies`` builds the older
corpus instead (a seed with its year, a word and a line varied: near-copies of thirteen reports).
``wrqa validate --format json -o /dev/null`` runs over each as a user would; printed: documents/s, MB/s,
the marginal documents/s between consecutive sizes (what one more document costs, start-up left out), and
the peak RSS of the whole process tree (the sum of the RSS of wrqa and its workers, sampled every 50 ms;
the workers are forked, so a page they share with wrqa counts twice) and its peak PSS (each shared page
shared out: what the machine pays). A corpus kept with ``--keep`` is used again.
Best time of ``--repeat`` runs (the machine is shared), highest peak. Not a test: figures depend on the
machine, so they go in the README with the machine they came from.

    .venv/bin/python bench/validate_corpus.py [--reports 1000,10000,100000] [--near-copies] [--repeat 3]
        [--wrqa PATH] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "tests" / "data" / "seeds"
VOLUME_REPORTS = [(17, 51), (52, 84), (85, 118), (119, 151), (152, 183), (184, 216), (217, 253), (254, 286),
                  (287, 317), (318, 366), (367, 412), (413, 440), (441, 465)]
ENCODINGS = [("utf-8", "\n"), ("utf-8", "\r\n"), ("gb18030", "\r\n"), ("utf-8-sig", "\n")]
# Common Han characters a replaced one is drawn from: all encodable in GB18030 and read as themselves.
HAN = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
    "面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本"
    "去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比"
    "或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
    "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做"
    "必战先回则任取据处理府研质"
)
PEAK_SAMPLE_S = 0.05


def _reports() -> list[str]:
    volume = (SEEDS / "wuchang-2022-street-reports-volume.txt").read_text(encoding="utf-8").split("\n")
    reports = ["\n".join(volume[start - 1 : end]) for start, end in VOLUME_REPORTS]
    reports.append((SEEDS / "wcrd-2018-ziyang-report.txt").read_text(encoding="utf-8"))
    return reports


def varied(text: str, rng: random.Random) -> str:
    """``text`` with its body paragraphs shuffled and a sixth of its Han characters replaced: no near-copy."""
    title, *body = text.split("\n")
    rng.shuffle(body)
    characters = list("\n".join(body))
    for index, character in enumerate(characters):
        if "\u4e00" <= character <= "\u9fff" and rng.random() < 1 / 6:
            characters[index] = rng.choice(HAN)
    return title + "\n" + "".join(characters)


def build(folder: Path, count: int, near_copies: bool = False) -> int:
    """Write ``count`` report files under ``folder`` (1,000 a subfolder); their total size in bytes."""
    reports = _reports()
    rng = random.Random(2022)
    total = 0
    for number in range(count):
        text = reports[number % len(reports)]
        year = 2012 + number % 11
        text = text.replace("2022", str(year)).replace("2023", str(year + 1))
        if near_copies:
            text = text.replace("代表", rng.choice(["代表", "人大代表", "各级代表"]), rng.randint(1, 5))
        else:
            text = varied(text, rng)
        text += f"\n第{number}号汇编补记：全年接待选民{rng.randint(10, 500)}人次。\n"
        encoding, line_end = ENCODINGS[number % len(ENCODINGS)]
        data = text.replace("\n", line_end).encode(encoding, errors="replace")
        shard = folder / f"{number // 1000:03d}"
        shard.mkdir(parents=True, exist_ok=True)
        (shard / f"report-{number:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def built(folder: Path, count: int, near_copies: bool = False) -> int:
    """``build``, unless ``folder`` holds that corpus already (a kept one: building 100,000 takes minutes)."""
    stamp = folder / ".built"
    wanted = f"{count} {'near-copies' if near_copies else 'varied'} "
    if stamp.exists() and stamp.read_text().startswith(wanted):
        return int(stamp.read_text().split()[-1])
    stamp.unlink(missing_ok=True)
    size = build(folder, count, near_copies)
    stamp.write_text(f"{wanted}{size}")
    return size


def _pss(pid: int) -> int:
    """The proportional set size of ``pid`` in bytes: its own pages, and its share of those it shares."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _tree_memory(pid: int) -> tuple[int, int]:
    """The resident bytes of ``pid`` and every process below it, from /proc, summed (RSS: a page the workers share
    with wrqa counts in each) and shared out (PSS: what the machine pays)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * page
    total, shared, todo = 0, 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        shared += _pss(current)
        todo.extend(children.get(current, ()))
    return total, shared


def timed(command: list[str]) -> tuple[float, int, int]:
    """Seconds ``command`` took, and the peak RSS and PSS in bytes of its process tree."""
    peak = peak_pss = 0
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        while not done.is_set():
            rss, pss = _tree_memory(process.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            done.wait(PEAK_SAMPLE_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {stderr.strip()[-500:]}")
    return elapsed, peak, peak_pss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", default="1000,10000,100000", help="corpus sizes, comma-separated")
    parser.add_argument("--near-copies", action="store_true", help="the corpus of near-copies of the seeds")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the best is printed")
    parser.add_argument("--wrqa", default=str(Path(sys.executable).with_name("wrqa")),
                        help="the wrqa to time (another worktree's, for a before/after)")
    parser.add_argument("--keep", type=Path,
                        help="build the corpora here and keep them (one kept before is used again)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.reports.split(",")]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{'near-copy' if args.near_copies else 'varied'} corpus; best of {args.repeat}; {args.wrqa}")
    previous: tuple[int, float] | None = None
    for count in sizes:
        folder = (args.keep / str(count)) if args.keep else Path(tempfile.mkdtemp(prefix="wrqa-bench-"))
        folder.mkdir(parents=True, exist_ok=True)
        try:
            size = built(folder, count, args.near_copies)
            runs = [timed([args.wrqa, "validate", "--suite", "gx", "--format", "json", "-o", os.devnull,
                           str(folder)]) for _ in range(args.repeat)]
        finally:
            if not args.keep:
                shutil.rmtree(folder)
        elapsed, peak, pss = min(run[0] for run in runs), max(run[1] for run in runs), max(run[2] for run in runs)
        marginal = (f", marginal {(count - previous[0]) / (elapsed - previous[1]):,.0f} documents/s"
                    if previous and elapsed > previous[1] else "")
        print(f"{count:>7,} documents, {size / 1e6:6.1f} MB: {elapsed:6.1f} s, {count / elapsed:6,.0f} documents/s, "
              f"{size / 1e6 / elapsed:5.1f} MB/s{marginal}; peak RSS of the tree {peak / 2**20:,.0f} MiB "
              f"(PSS {pss / 2**20:,.0f} MiB)",
              flush=True)
        previous = (count, elapsed)
    single = min(timed([args.wrqa, "validate", str(SEEDS / "wcrd-2018-ziyang-report.txt")])[0] for _ in range(5))
    pandas = min(timed([sys.executable, "-c", "import pandas"])[0] for _ in range(5))
    print(f"one file from the shell (pandera): {single:.2f} s (best of 5; import pandas: {pandas:.2f} s)")


if __name__ == "__main__":
    main()
