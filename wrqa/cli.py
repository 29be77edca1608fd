"""The ``wrqa`` command: a thin layer of click commands over the library functions.

``main`` and what the commands share live in ``wrqa.commands``; each command module registers its
commands on it, and this module imports them all, so every command is there. They stay cheap to import:
pandas, pandera, GX, httpx and APScheduler are imported inside the command bodies. Input errors end with
a one-line message and exit code 2, never a traceback.

    cli_validate   validate                      cli_rules    rules, explain, waive
    cli_crawl      crawl, export, reextract, demo-sites
    cli_run        run, daemon, status           cli_report   report
"""

from __future__ import annotations

from wrqa import cli_crawl, cli_report, cli_rules, cli_run, cli_validate  # noqa: F401 - they register commands
from wrqa.commands import main

__all__ = ["main"]
