"""Reading and analysing a batch on every core: a worker process that dies costs time, never the batch."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from seeds import VOLUME

from checks.batch import analyze_paths


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _reports(folder: Path, count: int) -> list[Path]:
    text = VOLUME.read_bytes()  # a large file, so that a worker is busy long enough to be killed
    paths = [folder / f"{number:03d}.txt" for number in range(count)]
    for path in paths:
        path.write_bytes(text)
    return paths


def test_a_worker_killed_during_a_run_loses_no_file(tmp_path):
    paths = _reports(tmp_path, 80)
    command = [sys.executable, "-m", "wrqa", "validate", "--format", "json", "--suite", "pandera", str(tmp_path)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    killed = None
    while killed is None and time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        if workers:
            killed = workers[0]
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.005)
    out, err = process.communicate(timeout=300)
    report = json.loads(out)
    assert (True, 0, 13 * len(paths), []) == (
        killed is not None, process.returncode, len(report["documents"]), report["errors"]), err


def test_files_that_kill_their_process_every_time_are_named_and_the_call_returns(tmp_path):
    paths = _reports(tmp_path, 70)
    done = threading.Event()

    def kill_every_worker() -> None:
        while not done.is_set():
            for pid in _children(os.getpid()):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.001)

    killer = threading.Thread(target=kill_every_worker, daemon=True)
    killer.start()
    try:
        analyses, errors = analyze_paths([str(tmp_path)], 10**8, workers=2)
    finally:
        done.set()
        killer.join()
    named = {error.path for error in errors}
    judged = {analysis.document.path for analysis in analyses}
    assert (set(), {str(path) for path in paths}) == (named & judged, named | judged)
    assert named and all("the process reading it died each time" in str(error) for error in errors)
