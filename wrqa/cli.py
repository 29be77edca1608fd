"""The ``wrqa`` command: a thin layer of click commands over the library functions.

Command modules are imported here so that every command is registered, so they must stay cheap to
import: pandas, pandera, GX, httpx and APScheduler are imported inside the command bodies.
Input errors end with a one-line message and exit code 2, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from wrqa import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wrqa")
def main() -> None:
    """Crawl, validate and report on street People's Congress working-committee reports."""


def fail(message: str) -> NoReturn:
    """End the command with a one-line error and exit code 2 (the tool could not do its job)."""
    click.echo(f"wrqa: {message}", err=True)
    sys.exit(2)


def read_config(path: str | None):
    """The configuration from ``--config``, else ``config.toml`` in this folder if present, else defaults."""
    from wrqa.config import ConfigError, load_config

    if path is None and os.path.exists("config.toml"):
        path = "config.toml"
    try:
        return load_config(path)
    except ConfigError as error:
        fail(str(error))


def emit(text: str, output: str | None, what: str) -> None:
    """Write ``text`` to the file ``output``, or to standard output; a file that cannot be written ends the command."""
    if not output:
        sys.stdout.write(text)
        return
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        fail(f"{output}: cannot write {what} ({error.strerror})")


SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2, "never": 3}
config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help="Configuration file (default: ./config.toml if present).")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--stored", is_flag=True, help="Validate the documents in the crawler's store.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "sarif"]), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--fail-on", type=click.Choice(list(SEVERITY_ORDER)), default=None,
              help="Lowest severity that makes the exit code 1 [default: error, or validate.fail_on].")
@click.option("--suite", type=click.Choice(["auto", "pandera", "gx"]), default=None,
              help="Engines: auto = pandera, plus GX for several inputs; gx = both [default: auto].")
@click.option("--html", "html_dir", type=click.Path(file_okay=False), default=None,
              help="Also write the HTML data-quality report to this folder.")
@click.option("--color/--no-color", default=None, help="Colour the text report [default: on a terminal].")
@config_option
def validate(paths, stored, output_format, output, fail_on, suite, html_dir, color, config_path) -> None:
    """Validate report files and folders (.txt, .html, .htm) and print precise findings.

    Exit code 0 when nothing at or above --fail-on was found, 1 when something was, 2 when an input
    could not be read or the tool could not do its job.
    """
    config = read_config(config_path)
    if not paths and not stored:
        fail("give report files or folders to validate, or --stored; see 'wrqa validate --help'")
    fail_on = fail_on or config["validate.fail_on"]
    suite = suite or config["validate.suite"]

    waivers = _waivers(config)
    from checks.analyze import analyze, analyze_files
    from crawler.files import find_inputs, shown
    from validators import ValidatorError, engines_for, validate_analyses
    from validators.records import InputError

    inputs = len(paths) + sum(os.path.isdir(path) for path in paths) + (2 if stored else 0)
    engines = engines_for(suite, inputs)
    meanwhile = None
    if "gx" in engines:
        from validators.suite import import_gx as meanwhile
    found = find_inputs(paths)
    analyses, failures = analyze_files(found.files, config["validate.max_file_bytes"], meanwhile=meanwhile)
    errors = [InputError(path=failure.path, message=str(failure)) for failure in found.errors + failures]
    if stored:
        from crawler.errors import StoreError
        from crawler.store import Store

        store_path = config.path_of("store.path")
        if not store_path.exists():
            fail(f"{store_path}: no store yet; run 'wrqa crawl' first or set store.path in the config")
        try:
            with Store(store_path, read_only=True) as store:
                analyses.extend(analyze(document) for document in store.documents())
        except StoreError as error:
            fail(str(error))
    try:
        run = validate_analyses(
            analyses, engines=engines, errors=errors,
            duplicate_threshold=config["validate.duplicate_threshold"],
            rate_tolerance=config["validate.rate_tolerance"], selection=config.rule_selection(),
        )
    except ValidatorError as error:
        fail(f"validation could not be completed: {error}")
    from dataclasses import replace

    run = replace(run.waive(waivers), skipped=tuple(shown(path) for path in found.skipped))
    write_outputs(run, output_format, output, html_dir, color, config["report.page_size"])
    from validators.records import Severity

    sys.exit(run.exit_code(Severity.threshold(fail_on)))


def _waivers(config) -> dict:
    """The waivers in force today from ``waivers.path``, by fingerprint; a bad file ends the command."""
    from datetime import date

    from wrqa.waivers import WaiverError, in_force, load_waivers

    try:
        return in_force(load_waivers(config.path_of("waivers.path") if config["waivers.path"] else None), date.today())
    except WaiverError as error:
        fail(str(error))


def write_outputs(
    run, output_format: str, output: str | None, html_dir: str | None, color: bool | None, page_size: int
) -> None:
    """Write ``run`` as text, JSON or SARIF to ``output`` (or standard output), and as HTML to ``html_dir``."""
    if output_format == "json":
        from reports.json import render_json

        text = render_json(run) + "\n"
    elif output_format == "sarif":
        from reports.sarif import render_sarif

        text = render_sarif(run) + "\n"
    else:
        from reports.text import render_text

        colour = color if color is not None else (
            output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
        text = "".join(f"{line}\n" for line in render_text(run, colour=colour))
    emit(text, output, "the report")
    if html_dir:
        from reports.folder import FolderError
        from reports.html import write_report
        from reports.json import run_to_dict

        try:
            index = write_report(run_to_dict(run, include_text=True), Path(html_dir), page_size=page_size)
        except FolderError as error:
            fail(str(error))
        except OSError as error:
            fail(f"{html_dir}: cannot write the HTML report ({error.strerror})")
        click.echo(f"HTML report: {index}", err=True)


# Command modules register themselves on ``main``; they come last so that they can use the helpers above.
# cli_crawl: crawl, export, reextract, demo-sites; cli_run: run, daemon, status; cli_report: report.
from wrqa import cli_crawl, cli_report, cli_run  # noqa: E402,F401
