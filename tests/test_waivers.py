"""Waivers: a TOML file of fingerprints with a reason and an expiry; bad files get one clear sentence."""

from __future__ import annotations

from datetime import date

import pytest

from wrqa.waivers import Waiver, WaiverError, in_force, load_waivers

GOOD = """
[[waiver]]
fingerprint = "aaa111"
reason = "模板文字，已知悉"
expires = 2027-06-30

[[waiver]]
fingerprint = "bbb222"
reason = "数字已核实"
expires = "2026-01-31"
"""


def test_a_good_file_gives_every_waiver_with_its_date(tmp_path):
    path = tmp_path / "waivers.toml"
    path.write_text(GOOD, encoding="utf-8")
    expected = (
        Waiver("aaa111", "模板文字，已知悉", date(2027, 6, 30)),
        Waiver("bbb222", "数字已核实", date(2026, 1, 31)),
    )
    assert expected == load_waivers(path)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 31), {"aaa111", "bbb222"}),  # the expiry day itself still applies
        (date(2026, 2, 1), {"aaa111"}),
        (date(2027, 7, 1), set()),
    ],
)
def test_expired_waivers_stop_applying(tmp_path, day, expected):
    path = tmp_path / "waivers.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert expected == set(in_force(load_waivers(path), day))


def test_no_path_means_no_waivers():
    assert () == load_waivers("")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[waiver]]\nfingerprint = "a"\nreason = "r"\n',
         "[[waiver]] #1 lacks 'expires'; every waiver needs fingerprint, reason, expires"),
        ('[[waiver]]\nfingerprint = "a"\nreason = "r"\nexpires = "next year"\n',
         "[[waiver]] #1: 'expires' is 'next year'; write the last day it applies as 2027-06-30"),
        ('[[waiver]]\nfingerprint = "a"\nreason = ""\nexpires = 2027-01-01\n',
         "[[waiver]] #1: 'reason' must be a non-empty string"),
        ('[[waiver]]\nfingerprint = "a"\nreason = "r"\nexpires = 2027-01-01\nuntil = 1\n',
         "[[waiver]] #1 has unknown key 'until'; known keys: fingerprint, reason, expires"),
        ('[[waiver]]\nfingerprint = "a"\nreason = "r"\nexpires = 2027-01-01\n'
         '[[waiver]]\nfingerprint = "a"\nreason = "s"\nexpires = 2027-01-01\n',
         "[[waiver]] #2: fingerprint 'a' is waived twice; keep one"),
        ('[waiver]\nfingerprint = "a"\n', "'waiver' must be written as [[waiver]] tables"),
        ('[[waivers]]\nfingerprint = "a"\n',
         "unknown key 'waivers'; write each waiver as a [[waiver]] table"),
        ("[[waiver]\n", "not valid TOML"),
    ],
)
def test_a_bad_file_names_the_file_the_entry_and_the_key(tmp_path, text, expected):
    path = tmp_path / "waivers.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WaiverError) as raised:
        load_waivers(path)
    message = str(raised.value)
    assert (str(path), True, 1) == (message.split(": ")[0], expected in message, len(message.splitlines()))


def test_a_missing_file_says_how_to_fix_it(tmp_path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(WaiverError) as raised:
        load_waivers(path)
    assert f"{path}: no such waivers file; create it or set 'waivers.path' to \"\"" == str(raised.value)
