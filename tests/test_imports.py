"""What a module imports is what it costs: the model of a run, the judge and the command line stay light."""

from __future__ import annotations

import subprocess
import sys

import pytest
from seeds import SEEDS


def imported(code: str) -> set[str]:
    """The modules Python imports to run ``code`` in a fresh interpreter."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                            timeout=120)
    return {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize(("code", "absent"), [
    ("import validators.records", {"pandas", "pandera", "selectolax", "crawler.records", "importlib.metadata"}),
    ("import validators.catalogue", {"pandas", "pandera", "selectolax", "great_expectations"}),
    ("import validators.judge", {"selectolax", "crawler.htmltext", "crawler.extract", "httpx"}),
    ("import reports.json, reports.text, reports.sarif", {"pandas", "wrqa", "selectolax"}),
    ("from wrqa.cli import main; main(['--help'], standalone_mode=False)",
     {"pandas", "httpx", "selectolax", "importlib.metadata", "apscheduler", "jinja2"}),
    (f"from wrqa.cli import main; main(['validate', {str(SEEDS / 'wcrd-2018-ziyang-report.txt')!r}], "
     "standalone_mode=False)",  # one file: judged here, by pandera alone
     {"concurrent.futures.process", "great_expectations", "httpx", "selectolax", "sqlalchemy", "jinja2", "opencc"}),
])
def test_a_module_does_not_load_what_it_does_not_need(code, absent):
    assert set() == imported(code) & absent


LOADED = """
import gc
{before}
from wrqa.commands import loading
try:
    with loading():
        import validators.judge
        collecting = gc.isenabled()
        raise KeyError("a failure inside the block")
except KeyError:
    pass
frozen = gc.get_freeze_count()
with loading():
    kept = [[index] for index in range(10_000)]
print(collecting, gc.isenabled(), frozen > 0, gc.get_freeze_count() == frozen)
"""


@pytest.mark.parametrize(("before", "expected"), [
    ("", "False True True True"),  # imported without the collector, frozen once, the collector on again
    ("gc.disable()", "False False False True"),  # a caller's collector is left as the caller set it
])
def test_the_analysis_is_loaded_once_out_of_the_collectors_sight(before, expected):
    result = subprocess.run([sys.executable, "-c", LOADED.format(before=before)], capture_output=True, text=True,
                            timeout=120)
    assert (expected, "") == (result.stdout.strip(), result.stderr)


GX_MADE = """
import gc
from validators.suite import _gx
engine = _gx()
import great_expectations.core as core
tracked = {id(thing) for thing in gc.get_objects()}
print(gc.isenabled(), any(id(thing) in tracked for thing in (vars(engine.gx), vars(core), engine.context)))
"""


def test_gx_and_its_context_are_out_of_the_collectors_sight_once_made():
    """GX's modules and context live as long as the process: the collector's full collections of a long run
    must not go over them again (they took a fifth of the main process's time over 10,000 documents)."""
    result = subprocess.run([sys.executable, "-c", GX_MADE], capture_output=True, text=True, timeout=300)
    assert ("True False", "") == (result.stdout.strip(), result.stderr)


JOB_VALIDATES = """
import gc
from crawler.files import source_from_text
from crawler.normalize import documents_from_source
from wrqa.config import load_config
from wrqa.job import _validate
documents = documents_from_source(source_from_text("r.txt", "人大紫阳街道工委2022年工作报告\\n共收到建议20件。\\n"))
run = _validate(documents, load_config(None))
import pandas
tracked = {id(thing) for thing in gc.get_objects()}
print(len(run.documents), gc.isenabled(), gc.get_freeze_count() > 0, id(vars(pandas)) in tracked)
"""


def test_the_job_loads_the_analysis_out_of_the_collectors_sight():
    """A daemon lives long: the job's first validation imports pandas, pandera and the analysis as
    ``wrqa validate`` does, frozen once made, so that the daemon's full collections pass them by."""
    result = subprocess.run([sys.executable, "-c", JOB_VALIDATES], capture_output=True, text=True, timeout=120)
    assert ("1 True True False", "") == (result.stdout.strip(), result.stderr)
