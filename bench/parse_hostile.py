"""How long hostile markup takes to parse: the bare HTML parser, the crawler's bounded parse, the local-file reader.

Builds each shape of malformed markup the crawler may meet (unclosed elements, deep nesting, thousands of
attributes on a tag, comments, scripts and tags left open, a page of broken markup) and times, each in a
child process stopped after ``--timeout`` seconds: ``LexborHTMLParser`` on the markup as it is (what the
adapters did before the parse was bounded), ``crawler.extract.parse`` (the bounded parse the adapters do
now) and ``crawler.htmltext.html_lines`` (the reader of saved pages given to ``wrqa validate``).
Usage: .venv/bin/python bench/parse_hostile.py [--count 40000] [--timeout 60]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import time

TEXT = "正文。"
MIB = 1024 * 1024


def shapes(count: int) -> dict[str, str]:
    """The hostile pages by name, each with ``count`` repetitions of its unit."""
    return {
        "unclosed <div>": "<div>" * count,
        "unclosed <div> with text": ("<div>" + TEXT) * count,
        "unclosed <p>": ("<p>" + TEXT) * count,
        "unclosed <a>": ("<a href='x.html'>" + TEXT) * count,
        "unclosed <table><tr><td>": ("<table><tr><td>" + TEXT) * count,
        "unclosed <ul><li>": ("<ul><li>" + TEXT) * count,
        "nested <font>, then <div>s": ("<font>" + TEXT) * count + ("<div>" + TEXT + "</div>") * count,
        "<span>s, then stray </x>s": "<span>" * count + "</x>" * count,
        "balanced, nested <div>s": "<div>" * count + "</div>" * count,
        "one tag, many attributes": "<div " + " ".join(f"a{n}=1" for n in range(count)) + ">" + TEXT,
        "<!-- never closed": ("<!--" + TEXT) * count,
        "<script> never closed": ("<script>" + TEXT) * count,
        "tags never ended (no >)": ("<a " + TEXT) * count,
        "quotes never closed": ('<a href="x' + TEXT) * count,
        "500 KB of broken markup": broken(500_000),
        "unclosed <div>, 5 MiB (the page cap)": "<div>" * (5 * MIB // 5),
    }


def broken(size: int, seed: int = 2024) -> str:
    """``size`` characters of markup broken every way at once: a seeded mix of open, stray and misnested tags."""
    pieces = ["<div>", "</div>", "<p>", "</p>", "<span>", "</span>", "<b>", "</b>", "<font color=red>", "</font>",
              "<table>", "<tr>", "<td>", "</td>", "</table>", "<ul>", "<li>", "</ul>", "<a href=x>", "</a>", "<br>",
              "<img src=a.jpg>", "<h2>", "</h3>", "<i>", "<u>", "<o:p>", "</o:p>", "&nbsp;", "<", ">", '"', "<center>",
              "<section>", "<dl><dt>", "<dd>", "<select>", "<option>", "<form>", "<!--", "-->", TEXT * 3]
    rng = random.Random(seed)
    chunks, length = [], 0
    while length < size:
        chunks.append(rng.choice(pieces))
        length += len(chunks[-1])
    return "".join(chunks)


def _bare(markup: str) -> None:
    from selectolax.lexbor import LexborHTMLParser

    LexborHTMLParser(markup)


def _bounded(markup: str) -> None:
    from crawler.extract import parse

    parse(markup, "http://bench.example/page.html")


def _local(markup: str) -> None:
    from crawler.htmltext import html_lines

    html_lines(markup)


def _run(job, markup: str, queue) -> None:
    started = time.perf_counter()
    job(markup)
    queue.put(time.perf_counter() - started)


def timed(job, markup: str, timeout: float) -> str:
    """Seconds ``job`` took on ``markup`` in a child process, or '> timeout s' when it had to be stopped."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_run, args=(job, markup, queue))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return f"> {timeout:.0f} s"
    return f"{queue.get():.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40_000, help="repetitions of each shape's unit")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a parse is stopped")
    options = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; count={options.count}, timeout={options.timeout:.0f} s\n")
    print("| markup | size | lexbor as it is | extract.parse (bounded) | htmltext.html_lines |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, markup in shapes(options.count).items():
        times = [timed(job, markup, options.timeout) for job in (_bare, _bounded, _local)]
        print(f"| {name} | {len(markup.encode()) / 1000:,.0f} KB | " + " | ".join(times) + " |", flush=True)


if __name__ == "__main__":
    main()
