"""What a run keeps on disk: records read back as written, by index; a full disk one error naming the folder."""

from __future__ import annotations

import tempfile

import numpy as np
import pandas as pd
import pytest

from checks.duplicates import PERMUTATIONS
from validators.chunks import Entry
from validators.corpus import Corpus
from validators.errors import SpillError
from validators.records import Place
from validators.spill import Spill


def test_records_come_back_as_written_whatever_the_order_of_reads_and_appends_between_them():
    """A read between two appends must not move where the next record goes, nor mix two records' bytes."""
    spill = Spill("the test's records")
    try:
        written = []
        for number in range(40):
            record = ({"frame": pd.DataFrame({"doc": range(number)})}, ("人大***街道工委",) * number, number)
            spill.append(record)
            written.append(record)
            if number % 3 == 0:
                assert repr(written[number // 2]) == repr(spill[number // 2])
        backwards = [repr(spill[index]) for index in reversed(range(40))]
        assert [repr(record) for record in reversed(written)] == backwards
        assert 40 == len(spill)
        with pytest.raises(IndexError):
            spill[40]
    finally:
        spill.close()


def test_closing_leaves_no_file_in_the_temporary_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    spill = Spill("the test's records")
    spill.append(("人大杨园街道工委2022年工作报告", "a/b.txt", 1))
    spill.close()
    assert [] == list(tmp_path.iterdir())


@pytest.mark.parametrize("what", ["the corpus's records", "the columns GX judges"])
def test_a_full_disk_under_the_records_is_one_error_naming_the_temporary_folder(what):
    """A record that cannot be written (``/dev/full``: no space left) stops the run as a tool error saying
    where and what to do, never a traceback nor a document without its name."""
    spill = Spill(what)
    spill.close()
    spill.file = open("/dev/full", "w+b", buffering=0)  # noqa: SIM115 - closed by spill.close()
    try:
        with pytest.raises(SpillError) as raised:
            spill.append(("人大杨园街道工委2022年工作报告", "a/b.txt", 1))
    finally:
        spill.close()
    assert (f"{tempfile.gettempdir()}: cannot keep {what} in a temporary file (No space left on device); free "
            "space there or set TMPDIR to a folder with room") == str(raised.value)


@pytest.mark.parametrize(("database", "what"), [("index", "the near-copy index"), ("stated", "the stated figures")])
def test_a_full_disk_under_a_scratch_database_is_one_error_naming_the_temporary_folder(database, what):
    """The near-copy index of a corpus's signatures and the figures its trends compare live in databases on
    disk: a disk that fills up under one (here the database held to the pages it has) stops the run with the
    same error as the records, not sqlite's own."""
    corpus = Corpus()
    try:
        db = getattr(corpus, database).db
        db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")
        rng = np.random.default_rng(7)
        where = Place("reports/0.txt", 3, 1, 3, 4, "代表42名", None, "")
        entries = [Entry(rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64), True, "report",
                         "人大杨园街道工委2022年工作报告", f"reports/{number}.txt", 1, "杨园", 2022, {},
                         tuple(("deputies", 42.0 + number, "名", 10 * k, 10 * k + 3, where) for k in range(20)))
                   for number in range(200)]
        with pytest.raises(SpillError) as raised:
            corpus.add(entries)
    finally:
        corpus.close()
    assert (f"{tempfile.gettempdir()}: cannot keep {what} in a temporary file (database or disk is "
            "full); free space there or set TMPDIR to a folder with room") == str(raised.value)


def _trends_by_reading(stated: list[tuple]) -> list[tuple]:
    """The trend rows worked out from scratch: each stated (committee, district, figure, unit, year, doc, value,
    offset) of a year after the pair's first, beside the previous year's first report's value, by document and
    place; a committee split by district where its reports name two or more, its reports naming none left out."""
    named: dict[str, set[str]] = {}
    for committee, district, *_ in stated:
        if district is not None:
            named.setdefault(committee, set()).add(district)
    keyed = [((committee, district if len(named.get(committee, ())) > 1 else None), *rest)
             for committee, district, *rest in stated
             if district is not None or len(named.get(committee, ())) < 2]
    firsts: dict[tuple, tuple] = {}
    for key, figure, _, year, doc, value, _ in keyed:  # in input order: the least document comes first
        firsts.setdefault((key, figure, year), (doc, value))
    rows = []
    for key, figure, unit, year, doc, value, offset in keyed:
        earlier = [y for (k, f, y) in firsts if (k, f) == (key, figure) and y < year]
        if earlier:
            previous = max(earlier)
            rows.append((doc, offset, key[0], figure, year, value, unit, previous, firsts[(key, figure, previous)][1]))
    return sorted(rows, key=lambda row: row[:2])


def test_the_trends_paired_on_disk_are_the_pairs_reading_every_figure_gives(tmp_path, monkeypatch):
    """Committees reporting some years and not others, two reports of one committee in one year (the first
    stands for the year), figures out of order of place, a name of two districts and one of one district named
    in some reports only: the scratch database's pairing answers as reading every stated figure would, in any
    slicing, and leaves no file."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    rng = np.random.default_rng(13)
    where = Place("reports/0.txt", 3, 1, 3, 4, "代表42名", None, "")
    stated, entries = [], []
    for doc in range(400):
        committee, year = ("杨园", "紫阳", "长桥", "陈集镇")[int(rng.integers(0, 4))], int(rng.integers(2015, 2023))
        districts = {"长桥": ("徐汇区", "闵行区", None), "紫阳": ("武昌区", None)}.get(committee, (None,))
        district = districts[int(rng.integers(0, len(districts)))]
        figures = []
        for offset in rng.choice(200, size=int(rng.integers(0, 5)), replace=False):  # not in order of place
            figure = ("deputies", "suggestions", "voters")[int(rng.integers(0, 3))]
            value = float(rng.integers(1, 60))
            figures.append((figure, value, "名", int(offset), int(offset) + 3, where))
            stated.append((committee, district, figure, "名", year, doc, value, int(offset)))
        entries.append(Entry(None, True, "report", "报告", f"reports/{doc}.txt", 1, committee, year, {},
                             tuple(figures), district=district))
    expected = _trends_by_reading(stated)
    assert 300 < len(expected)
    for rows in (1, 7, 10_000):
        corpus = Corpus()
        try:
            for start in range(0, len(entries), 64):
                corpus.add(entries[start:start + 64])
            assert [] == list(tmp_path.iterdir())  # the databases are open, their files already unnamed
            frames = list(corpus.trends_frames(rows))
        finally:
            corpus.close()
        found = [(int(row.doc), int(row.offset), row.committee, row.figure, int(row.year), row.value, row.unit,
                  int(row.previous_year), row.previous_value) for frame in frames for row in frame.itertuples()]
        assert expected == found
        assert all(frame.index.equals(pd.RangeIndex(len(frame))) for frame in frames)
        assert all(len(frame) >= rows for frame in frames[:-1])  # each slice its rows, the last the rest
        docs = [set(frame["doc"]) for frame in frames]
        assert all(not a & b for a, b in zip(docs, docs[1:], strict=False))  # a document in one slice only
    assert [] == list(tmp_path.iterdir())
