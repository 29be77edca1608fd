"""A longer fuzz run over the validator than the tests afford: no exception escapes, every output is valid.

    .venv/bin/python bench/fuzz.py [--inputs 20000] [--seed 1]

Each input is a text made of the pieces real reports and pages are made of (the generator of
``tests/test_robustness.py``), read as a file and as a saved page, judged, and written as JSON, SARIF and
text; and a file of random bytes read from disk. It counts inputs tried, exceptions, invalid JSON and
findings whose excerpt does not stand at its position, and prints one line of figures at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_robustness import _excerpts_stand_at_their_positions, scrambled  # noqa: E402

from crawler.errors import InputError  # noqa: E402
from crawler.files import read_source, source_from_text  # noqa: E402
from crawler.htmltext import html_lines  # noqa: E402
from crawler.normalize import documents_from_source  # noqa: E402
from reports.json import render_json  # noqa: E402
from reports.sarif import render_sarif  # noqa: E402
from reports.text import render_text  # noqa: E402
from validators import validate  # noqa: E402


def one(text: str) -> list[str]:
    """The problems validating ``text`` shows: an empty list when all is well."""
    source = source_from_text("fuzz.txt", text)
    documents = documents_from_source(source) + documents_from_source(source, html_lines(text)[0])
    run = validate(documents)
    report = json.loads(render_json(run))
    json.loads(render_sarif(run))
    list(render_text(run))
    problems = [f"tool error: {error['message']}" for error in report["errors"]]
    return problems + _excerpts_stand_at_their_positions(report, {source.path: source.lines})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.monotonic()
    crashes = problems = 0
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "fuzz.bin"
        for number, text in enumerate(scrambled(args.inputs, args.seed)):
            try:
                found = one(text)
            except Exception:  # noqa: BLE001 - counting them is the point
                crashes += 1
                print(f"crash on input {number}: {text!r}\n{traceback.format_exc()}", file=sys.stderr)
                continue
            if found:
                problems += 1
                print(f"input {number}: {found[:3]} in {text!r}", file=sys.stderr)
            raw.write_bytes(rng.randbytes(rng.randint(0, 400)) + text.encode(rng.choice(["utf-8", "gb18030"])))
            try:
                read_source(str(raw), 10**6)
            except InputError:
                pass
            except Exception:  # noqa: BLE001
                crashes += 1
                print(f"crash reading bytes of input {number}\n{traceback.format_exc()}", file=sys.stderr)
    seconds = time.monotonic() - started
    print(f"{args.inputs} inputs tried (seed {args.seed}), {crashes} crashes, {problems} with a misplaced excerpt "
          f"or a tool error, {seconds:.0f} s")
    return 1 if crashes or problems else 0


if __name__ == "__main__":
    sys.exit(main())
