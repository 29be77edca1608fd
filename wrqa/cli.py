"""The ``wrqa`` command: a thin layer of click commands over the library functions.

Command modules are imported here so that every command is registered, so they must stay cheap to
import: pandas, pandera, GX, httpx and APScheduler are imported inside the command bodies.
Input errors end with a one-line message and exit code 2, never a traceback.
"""

from __future__ import annotations

import click

from wrqa import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wrqa")
def main() -> None:
    """Crawl, validate and report on street People's Congress working-committee reports."""


from wrqa import cli_run  # noqa: E402,F401 - registers run, daemon and status
