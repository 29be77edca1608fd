"""The pandera schemas: the contract every frame must meet, and the checks of the run's plan that judge it.

A frame that breaks its contract (a column missing, a kind no check makes, a negative offset) means
broken code, and raises ``FrameContractError``; a row that fails a check is a finding. Both live in one
``DataFrameSchema`` per frame, validated lazily so that every failure is collected in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pandera.pandas as pa

from checks.figures import BY_ID as FIGURE_IDS
from checks.frames import Frames
from crawler import domain
from validators.errors import FrameContractError
from validators.plan import Planned
from validators.records import ExpectationResult

KINDS = list(domain.KINDS)
STATISTIC_KINDS = ["rate", "growth", "fulfilment", "percent", "count", "approx-count"]
RELATIONS = ["part", "parts-sum", "share"]
# What a report shows of a failed row when its check names no columns of its own.
OBSERVE = {"lines": ("text",), "notes": ("rule", "form"), "documents": ("title",),
           "headings": ("ordinal", "expected_ordinal"),
           "statistics": ("label", "value"), "relations": ("part", "whole", "stated"),
           "mentions": ("committee", "mentioned"),
           "trends": ("figure", "previous_value", "value", "unit")}


def _offsets() -> dict[str, pa.Column]:
    return {"doc": pa.Column("int64", pa.Check.ge(0)), "offset": pa.Column("int64", pa.Check.ge(0))}


def _span() -> dict[str, pa.Column]:
    return {**_offsets(), "end": pa.Column("int64", pa.Check.ge(0))}


def _kind() -> pa.Column:
    return pa.Column(object, pa.Check.isin(KINDS))


# Years as the checks read them (19xx or 20xx年), and the year after for plans.
_YEAR = pa.Column("float64", pa.Check.between(1900, 2100), nullable=True)
CONTRACT: dict[str, dict[str, pa.Column]] = {
    "documents": {
        "doc": pa.Column("int64", pa.Check.ge(0), unique=True),
        "kind": _kind(),
        "committee": pa.Column(object),
        "year": _YEAR,
        "title": pa.Column(object),
        "has_work": pa.Column(bool),
        "has_shortcomings": pa.Column(bool),
        "has_plans": pa.Column(bool),
        "similarity": pa.Column("float64", pa.Check.between(0, 1)),
        "duplicate_of": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "meeting_day": pa.Column("float64", nullable=True),
        "term_start": pa.Column("float64", nullable=True),
        "term_end": pa.Column("float64", nullable=True),
        "truncated": pa.Column(bool),
    },
    "lines": {**_offsets(), "text": pa.Column(object)},
    "notes": {"doc": pa.Column("int64", pa.Check.ge(0)), "kind": _kind(), "rule": pa.Column(object),
              "form": pa.Column(object), "index": pa.Column("int64", pa.Check.ge(0))},
    "headings": {
        **_span(),
        "kind": _kind(),
        "level": pa.Column("int64", pa.Check.isin([0, 1, 2])),
        "ordinal": pa.Column("int64", pa.Check.ge(0)),
        "expected_ordinal": pa.Column("int64", pa.Check.ge(0)),
        "section": pa.Column(object),
        "year": _YEAR,
        "expected_year": _YEAR,
    },
    "statistics": {
        **_span(),
        "kind": pa.Column(object, pa.Check.isin(STATISTIC_KINDS)),
        "value": pa.Column("float64"),
        "unit": pa.Column(object),
        "label": pa.Column(object),
    },
    "relations": {
        **_span(),
        "kind": _kind(),
        "relation": pa.Column(object, pa.Check.isin(RELATIONS)),
        "part": pa.Column("float64", pa.Check.ge(0)),
        "whole": pa.Column("float64", pa.Check.ge(0)),
        "stated": pa.Column("float64", nullable=True),
        "gap": pa.Column("float64", pa.Check.ge(0), nullable=True),
        "unit": pa.Column(object),
    },
    "mentions": {
        **_span(),
        "kind": _kind(),
        "committee": pa.Column(object),
        "mentioned": pa.Column(object),
    },
    "trends": {
        **_span(),
        "kind": _kind(),
        "committee": pa.Column(object),
        "figure": pa.Column(object, pa.Check.isin(list(FIGURE_IDS))),
        "year": _YEAR,
        "value": pa.Column("float64", pa.Check.gt(0)),
        "unit": pa.Column(object),
        "previous_year": _YEAR,
        "previous_value": pa.Column("float64", pa.Check.gt(0)),
        "ratio": pa.Column("float64", pa.Check.ge(1)),
    },
}


def observed_columns(item: Planned) -> tuple[str, ...]:
    """The columns of a failed row worth showing for ``item``."""
    return item.check.observe or OBSERVE[item.frame]


def schema(frame: str, planned: Sequence[Planned], text_rules: Sequence[str] = (),
           columns: Sequence[str] | None = None) -> pa.DataFrameSchema:
    """The schema of ``frame``: its contract columns (with a count per text rule on lines), and its checks.

    ``columns``: the contract held to these of its columns only (the corpus-wide frames carry a few)."""
    contract = dict(CONTRACT[frame])
    if columns is not None:
        contract = {name: contract[name] for name in columns}
    if frame == "lines":
        contract.update({rule: pa.Column("int64", pa.Check.ge(0)) for rule in text_rules})
    checks = [pa.Check(item.holds, name=item.name) for item in planned if item.frame == frame]
    return pa.DataFrameSchema(contract, checks=checks, strict=True, name=frame)


def observed(frame: pd.DataFrame, rows: list[int], columns: tuple[str, ...]) -> tuple:
    """A few failed rows as plain Python values: the one column's value, or a list of the columns'."""
    if not rows:  # most checks fail no row: selecting none from the frame would still cost a millisecond
        return ()
    subset = frame.loc[rows[:5], list(columns)]
    values = subset.astype(object).where(subset.notna(), None)
    return tuple(row[0] if len(columns) == 1 else row for row in values.values.tolist())


def judge(frames: Frames, planned: Sequence[Planned], *, partial: bool = False,
          schemas: dict | None = None) -> tuple[list[tuple[str, int]], list[ExpectationResult]]:
    """The (check name, row index) pairs that fail, and a result per check; ``FrameContractError`` on a broken frame.

    partial: the frames carry some of their contract's columns (the corpus-wide ones); schemas: where the
    schemas made are kept, for a caller judging chunk after chunk by one plan (pandera's schemas cost to make).
    """
    names = {item.name for item in planned}
    schemas = {} if schemas is None else schemas
    failures: list[tuple[str, int]] = []
    results: list[ExpectationResult] = []
    for frame_name, frame in frames.tables.items():
        failed: dict[str, list[int]] = {}
        try:
            key = (frame_name, tuple(frame.columns) if partial else None)
            if key not in schemas:
                schemas[key] = schema(frame_name, planned, frames.text_rules, key[1])
            schemas[key].validate(frame, lazy=True)
        except pa.errors.SchemaErrors as errors:
            cases = errors.failure_cases
            broken = cases[~cases["check"].isin(list(names))]
            if len(broken):
                first = broken.iloc[0]
                raise FrameContractError(
                    f"the {frame_name} frame breaks its contract: column {first['column']!r} failed "
                    f"{first['check']} with {first['failure_case']!r}"
                ) from None
            for name, group in cases.groupby("check", sort=False):
                failed[name] = sorted({int(index) for index in group["index"].dropna()})
        for item in planned:
            if item.frame != frame_name:
                continue
            rows = failed.get(item.name, [])
            failures.extend((item.name, row) for row in rows)
            columns = observed_columns(item)
            results.append(ExpectationResult(
                engine="pandera", frame=frame_name, name=item.name, rule=item.rule.id, success=not rows,
                element_count=len(frame), unexpected_count=len(rows),
                observed=observed(frame, rows, columns), columns=columns,
            ))
    return failures, results
