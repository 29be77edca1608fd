"""What every ``wrqa`` command shares: the click group, the one-line failure, the config, output, stops.

The command modules (``cli_validate``, ``cli_rules``, ``cli_crawl``, ``cli_run``, ``cli_report``) import
this module and register their commands on ``main``; ``wrqa.cli`` imports them all. Nothing here imports
pandas, httpx or the scheduler, so ``wrqa --help`` stays quick.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wrqa", prog_name="wrqa")
def main() -> None:
    """Crawl, validate and report on street People's Congress working-committee reports."""


def fail(message: str, exit_code: int = 2) -> NoReturn:
    """End the command with a one-line error and ``exit_code`` (2: the tool could not do its job)."""
    click.echo(f"wrqa: {message}", err=True)
    sys.exit(exit_code)


def say(message: str) -> None:
    """A one-line diagnostic on standard error, whatever the output format and wherever the output goes."""
    click.echo(f"wrqa: {message}", err=True)


def read_config(path: str | None):
    """The configuration from ``--config``, else ``config.toml`` in this folder if present, else defaults."""
    from wrqa.config import ConfigError, load_config

    if path is None and os.path.isfile("config.toml"):
        path = "config.toml"
    try:
        return load_config(path)
    except ConfigError as error:
        fail(str(error))


def emit(text: str, output: str | None, what: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to the file ``output``, or to standard output; a file that cannot be written ends the command."""
    if not output:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        with open(output, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
    except OSError as error:
        fail(f"{output}: cannot write {what} ({error.strerror})")


def choose_sources(config, names) -> list:
    """The ``[[sources]]`` named (all when none are), or the one-line failure naming the unknown one and the known."""
    from crawler.crawl import choose
    from crawler.errors import CrawlerError

    try:
        return choose(config, names)
    except CrawlerError as error:
        fail(str(error))


config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help="Configuration file (default: ./config.toml if present).")


def stopping(what: str):
    """An event set by the first Ctrl-C or SIGTERM while the block runs (``wrqa.stops``); a second one aborts.
    ``what`` says what the stop leaves for the next run, in the one line printed when it comes."""
    from wrqa.stops import stopping as watch

    return watch(lambda _signal: click.echo(f"\nwrqa: stopping; {what} (Ctrl-C again to abort)", err=True))


@contextmanager
def loading() -> Iterator[None]:
    """The block's imports (the analysis, pandas, pandera) made without the garbage collector, and what they
    made then frozen out of its sight, once a process: objects an import makes live as long as the process,
    yet the collector went over them again and again while they were being made (a fifth of the time of
    validating one file), and would go on doing so here and in every worker forked from here."""
    from validators.collector import unseen

    if gc.get_freeze_count():  # loaded already
        yield
        return
    with unseen():
        yield


class ProgressBar:
    """A one-line progress bar on standard error, drawn only on a terminal: ``bar(label, done, total)``."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        width = 30
        filled = width * done // total if total else width
        bar = "#" * filled + "." * (width - filled)
        click.echo(f"\r{label:<12} [{bar}] {done}/{total}", err=True, nl=False)
        if done >= total:
            click.echo("", err=True)
