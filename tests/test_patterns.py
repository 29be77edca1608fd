"""The gates in front of the text rules' patterns only make them faster: a gated pattern matches exactly
what its body matches, on every text the tests hold, on the real texts beside the repository, and on
random strings made of the characters the patterns are written in."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import Path

import pytest

from checks import patterns
from checks.marks import PatternMarker
from crawler.local import load_documents
from crawler.opened import Opened
from crawler.records import Document

TESTS = Path(__file__).resolve().parent
REAL = TESTS.parents[1] / "shared" / "real" / "texts"
GATED = ["PLACEHOLDER", "ARTIFACT", "DOUBLED_STREET"]


# Pieces of real matches, mixed into random strings, so that long alternatives are reached too.
PIECES = ["*", "XX", "X街道", "某某", "__", "……街道", "共计件", "已办结件", "代表人次", "20XX年", "Page 3", "- 3 -",
          "第 3 页", "锟斤拷", "&nbsp;", "<p>", "豆丁网", "供稿:王某 审核:李某", "返回顶部", " | ", "字号:大中小",
          "20201229日召开", "政办函202135号", "2.5", "。", "区长", ",,", "'张某“", "粮道街街道", "杨园街街道",
          "##PAGE##", "(shì)", "?", "??"]


def _spans(pattern: re.Pattern[str] | Opened, lines: list[str]) -> list[list[tuple[str | None, tuple[int, int]]]]:
    if isinstance(pattern, Opened):
        return [[(kind, (start, end)) for kind, start, end in pattern.matches(line)] for line in lines]
    return [[(m.lastgroup, m.span()) for m in pattern.finditer(line)] for line in lines]


def _lines(paths: list[Path]) -> list[str]:
    lines: list[str] = []
    for path in paths:
        documents, _ = load_documents([str(path)], 10_000_000)
        for document in documents:
            lines.extend(document.text.split("\n"))
    return lines


def _alphabet(name: str) -> str:
    """Every character the gated pattern is written with, plus a few ordinary ones."""
    gated = getattr(patterns, name)
    source = (gated.pattern if isinstance(gated, Opened) else gated).pattern
    return "".join(sorted({c for c in source if not c.isspace()} | set("的了在和年月日 \t")))


@pytest.mark.parametrize("name", GATED)
def test_a_gate_keeps_every_match_of_the_texts_the_tests_hold(name):
    """Over the labelled corpus and the seeds, the gated pattern finds what its body finds, where it finds it."""
    lines = _lines(sorted(TESTS.glob("corpus/**/*.txt")) + sorted((TESTS / "data" / "seeds").glob("*.txt")))
    body = re.compile(getattr(patterns, f"{name}_BODY"))
    assert _spans(body, lines) == _spans(getattr(patterns, name), lines)


@pytest.mark.parametrize("name", GATED)
def test_a_gate_keeps_every_match_of_the_real_texts(name):
    """Over the labelled real texts beside the repository, the gated pattern finds what its body finds."""
    if not REAL.is_dir():
        pytest.skip(f"no real texts at {REAL} (a clone outside the workspace)")
    lines = _lines(sorted(REAL.iterdir()))
    body = re.compile(getattr(patterns, f"{name}_BODY"))
    assert _spans(body, lines) == _spans(getattr(patterns, name), lines)


@pytest.mark.parametrize("name", GATED)
def test_a_gate_keeps_every_match_of_random_strings_of_the_patterns_own_characters(name):
    """Short random strings of the characters the patterns name are matched alike with and without the gate."""
    rng = random.Random(name)
    alphabet = _alphabet(name) + "".join(patterns.STREETS)
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(30_000)]
    lines += ["".join(rng.choice(PIECES + list(alphabet)) for _ in range(rng.randint(1, 8))) for _ in range(30_000)]
    body = re.compile(getattr(patterns, f"{name}_BODY"))
    assert _spans(body, lines) == _spans(getattr(patterns, name), lines)


@pytest.mark.parametrize("name", ["PLACEHOLDER", "ARTIFACT"])
def test_the_first_match_of_an_opened_pattern_is_the_first_it_finds(name):
    """``Opened.first``, one search, is the first of ``Opened.matches``: None where it finds nothing."""
    rng = random.Random(name)
    alphabet = list(_alphabet(name)) + PIECES + ["\n"]
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(20_000)]
    opened = getattr(patterns, name)
    firsts = [opened.first(line) for line in lines]
    assert (firsts, 1_000 < sum(found is not None for found in firsts) < len(lines)) == (
        [next(opened.matches(line), None) for line in lines], True)


def _line_by_line(pattern: re.Pattern[str], text: str) -> list[tuple[str | None, int, int]]:
    """The matches of ``pattern`` in each line of ``text`` alone, placed in ``text``."""
    found, offset = [], 0
    for line in text.split("\n"):
        found += [(m.lastgroup, offset + m.start(), offset + m.end()) for m in pattern.finditer(line)]
        offset += len(line) + 1
    return found


def _documents(paths: list[Path]) -> list[Document]:
    return [document for path in paths for document in load_documents([str(path)], 10_000_000)[0]]


@pytest.mark.parametrize("name", GATED)
def test_a_text_matched_whole_gives_the_marks_of_its_lines_matched_alone(name):
    """A text rule's pattern never takes a line end: its marker, over the whole text, marks what it marks in
    each line of the texts the tests hold, the real texts and random texts of its characters and line ends."""
    documents = _documents(sorted(TESTS.glob("corpus/**/*.txt")) + sorted((TESTS / "data" / "seeds").glob("*.txt")))
    documents += _documents(sorted(REAL.iterdir())) if REAL.is_dir() else []
    rng = random.Random(name)
    # Pieces of matches, their characters and line ends, with the pieces cut where a line end can fall in them.
    alphabet = [*_alphabet(name), *PIECES, *(piece[:cut] for piece in PIECES for cut in range(1, len(piece))),
                *(piece[cut:] for piece in PIECES for cut in range(1, len(piece))), *"\n\n\n\n  \t\u3000"]
    documents += [replace(documents[0], text="".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))))
                  for _ in range(20_000)]
    body = re.compile(getattr(patterns, f"{name}_BODY"), re.MULTILINE)
    marker = PatternMarker(getattr(patterns, name))
    assert [_line_by_line(body, document.text) for document in documents] == [
        [(mark.kind or None, mark.offset, mark.end) for mark in marker(document)] for document in documents]
