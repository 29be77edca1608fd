"""The Great Expectations suite: the quality expectations, run over a batch's frames.

GX costs seconds to import, so it is imported here, lazily, and only for runs over a batch or on
demand. Its progress bars and analytics are off. An expectation that raised is a tool error
(``ExpectationError``), never a data failure.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Sequence

from checks.frames import Frames
from validators.collector import unseen
from validators.errors import ExpectationError
from validators.plan import Planned
from validators.records import ExpectationResult, Severity
from validators.schemas import observed, observed_columns

GX_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "warning", Severity.INFO: "info"}
_GX_RANK = {gx: severity.rank for severity, gx in GX_SEVERITY.items()}


def worse(first: str | None, second: str | None) -> str | None:
    """The worse of two GX severities (``critical``, ``warning``, ``info``; None: none), in ``Severity``'s order."""
    if first is None or (second is not None and _GX_RANK[second] > _GX_RANK[first]):
        return second
    return first


def import_gx():
    """Import GX, quietly: no analytics, no progress bars, no info logs. Seconds the first time; its modules,
    like its context, out of the collector's sight (``unseen``): over 10,000 documents every full collection
    of the main process went over their 100,000-odd objects again, a fifth of its time."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    with unseen():
        import great_expectations as gx

    return gx


class _Engine:
    """GX's context and a whole-dataframe batch definition per frame, made once a process: adding suites and
    definitions to a context, and storing each run's results, cost GX about a second a batch."""

    def __init__(self) -> None:
        self.gx = import_gx()
        with unseen():
            from great_expectations.data_context.types.base import ProgressBarsConfig

            self.context = self.gx.get_context(mode="ephemeral")
            self.context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        self.definitions: dict = {}

    def batch(self, frame_name: str, frame):
        """The GX batch of ``frame``, the frame called ``frame_name``."""
        if frame_name not in self.definitions:
            source = self.context.data_sources.add_pandas(f"wrqa-{frame_name}")
            self.definitions[frame_name] = source.add_dataframe_asset(frame_name).add_batch_definition_whole_dataframe(
                frame_name)
        return self.definitions[frame_name].get_batch(batch_parameters={"dataframe": frame})


@functools.cache
def _gx() -> _Engine:
    return _Engine()


def run_suite(
    frames: Frames, planned: Sequence[Planned], *, observe: bool = True
) -> tuple[list[tuple[str, int]], list[ExpectationResult], str | None]:
    """The (check name, row index) pairs GX finds failing, a result per expectation, and the worst failed severity.

    observe: read a few failing values off the frames; without it (frames of the columns GX reads only, whose
    failing values are pandera's: ``validators.judge``) none are.
    """
    engine = _gx()
    gx = engine.gx
    failures: list[tuple[str, int]] = []
    results: list[ExpectationResult] = []
    worst: str | None = None
    for frame_name, frame in frames.tables.items():
        frame_checks = [item for item in planned if item.frame == frame_name]
        if not frame_checks:
            continue
        if frame.empty:
            results.extend(ExpectationResult("gx", frame_name, item.name, item.rule.id, True, 0, 0, (), "",
                                             observed_columns(item)) for item in frame_checks)
            continue
        suite = gx.ExpectationSuite(name=f"wrqa-{frame_name}")
        for item in frame_checks:
            expectation = item.expectation(gx)
            expectation.meta = {"rule": item.rule.id, "check": item.name}
            expectation.severity = GX_SEVERITY[item.severity]
            suite.add_expectation(expectation)
        outcome = engine.batch(frame_name, frame).validate(suite, result_format={"result_format": "COMPLETE"})
        severity = outcome.get_max_severity_failure()
        worst = worse(worst, severity.value if severity is not None else None)
        by_name = {item.name: item for item in frame_checks}
        for result in outcome.results:
            item = by_name[result.expectation_config.meta["check"]]
            if result.exception_info and result.exception_info.get("raised_exception"):
                raise ExpectationError(
                    f"GX expectation {result.expectation_config.type} on the {frame_name} frame raised: "
                    f"{result.exception_info.get('exception_message')}")
            details = result.result or {}
            rows = sorted(int(index) for index in details.get("unexpected_index_list") or [])
            if not result.success and not rows:
                raise ExpectationError(
                    f"GX expectation {result.expectation_config.type} on the {frame_name} frame failed "
                    "without naming the failing rows")
            failures.extend((item.name, row) for row in rows)
            results.append(ExpectationResult(
                engine="gx", frame=frame_name, name=item.name, rule=item.rule.id,
                success=bool(result.success), element_count=int(details.get("element_count") or len(frame)),
                unexpected_count=int(details.get("unexpected_count") or len(rows)),
                observed=observed(frame, rows, observed_columns(item)) if observe else (),
                expectation=result.expectation_config.type, columns=observed_columns(item),
            ))
    return failures, results, worst
