"""Waivers: findings a person has looked at and accepted for a while, by fingerprint.

The file is TOML, one ``[[waiver]]`` table per accepted finding::

    [[waiver]]
    fingerprint = "3f2a9c…"            # from the report, the JSON output or ``wrqa status``
    reason = "模板文字，区人大已知悉"      # why it is accepted, for the next reader
    expires = 2027-06-30               # the last day it applies (a TOML date or "YYYY-MM-DD")

A waived finding is still stored and shown (as waived), but it neither alerts nor fails a run.
An expired waiver stops applying. A bad file raises ``WaiverError`` naming the file and the key.
This module reads the file and judges dates; it must never touch the store.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from validators.records import Waiver
from wrqa.config import read_toml

WAIVER_KEYS = ("fingerprint", "reason", "expires")


class WaiverError(Exception):
    """A waivers file that cannot be used; the message names the file, the entry and the key."""


def _expiry(value: Any, label: str) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise WaiverError(f"{label}: 'expires' is {value!r}; write the last day it applies as 2027-06-30")


def _waiver(table: Any, label: str) -> Waiver:
    if not isinstance(table, dict):
        raise WaiverError(f"{label} must be a table written as [[waiver]]")
    unknown = sorted(set(table) - set(WAIVER_KEYS))
    if unknown:
        raise WaiverError(f"{label} has unknown key '{unknown[0]}'; known keys: {', '.join(WAIVER_KEYS)}")
    for key in WAIVER_KEYS:
        if key not in table:
            raise WaiverError(f"{label} lacks '{key}'; every waiver needs {', '.join(WAIVER_KEYS)}")
    for key in ("fingerprint", "reason"):
        if not isinstance(table[key], str) or not table[key].strip():
            raise WaiverError(f"{label}: '{key}' must be a non-empty string")
    return Waiver(table["fingerprint"].strip(), table["reason"].strip(), _expiry(table["expires"], label))


def parse_waivers(data: dict[str, Any], where: str) -> tuple[Waiver, ...]:
    """The waivers of a parsed TOML document ``data`` read from ``where``."""
    unknown = sorted(set(data) - {"waiver"})
    if unknown:
        raise WaiverError(f"{where}: unknown key '{unknown[0]}'; write each waiver as a [[waiver]] table")
    tables = data.get("waiver", [])
    if not isinstance(tables, list):
        raise WaiverError(f"{where}: 'waiver' must be written as [[waiver]] tables")
    waivers = tuple(_waiver(table, f"{where}: [[waiver]] #{index + 1}") for index, table in enumerate(tables))
    seen: set[str] = set()
    for index, waiver in enumerate(waivers):
        if waiver.fingerprint in seen:
            raise WaiverError(
                f"{where}: [[waiver]] #{index + 1}: fingerprint '{waiver.fingerprint}' "
                "is waived twice; keep one"
            )
        seen.add(waiver.fingerprint)
    return waivers


def load_waivers(path: str | Path | None) -> tuple[Waiver, ...]:
    """The waivers in the file at ``path``; none for an empty path."""
    if not path:
        return ()
    path = Path(path)
    data = read_toml(path, "waivers file", "create it or set 'waivers.path' to \"\"", WaiverError)
    return parse_waivers(data, str(path))


def in_force(waivers: tuple[Waiver, ...], day: date) -> dict[str, Waiver]:
    """The waivers that apply on ``day``, by fingerprint; expired ones are left out."""
    return {waiver.fingerprint: waiver for waiver in waivers if waiver.applies_on(day)}
