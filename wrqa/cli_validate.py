"""``wrqa validate``: judge report files, folders, standard input or the stored pages, and say where each problem is.

The controls are the ones users of linters reach for: ``--select``/``--ignore``, ``--severity``,
``--per-path-ignore`` (on top of ``[rules]`` in config.toml), ``--fail-on``, ``--quiet``, ``--statistics``,
and output as text, JSON, SARIF, GitHub annotations, JUnit XML or CSV. The waivers in force apply as in
``wrqa run``. Every input that could not be read is named on standard error, whatever the format.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from wrqa.commands import ProgressBar, config_option, emit, fail, loading, main, read_config, say

FORMATS = ("text", "json", "jsonl", "sarif", "github", "junit", "csv")
STREAMED = ("json", "jsonl")
STDIN = "-"
# From this many files, a terminal shows a progress bar: a smaller batch is over before one would help.
PROGRESS_FROM = 300


def _rule_list(values: tuple[str, ...], flag: str) -> list[str]:
    """Rule ids given as ``--select a,b --select c``, each known, or the one-line failure naming the flag."""
    from validators.catalogue import RULES

    ids = [rule.strip() for value in values for rule in value.split(",") if rule.strip()]
    unknown = [rule for rule in ids if rule not in RULES]
    if unknown:
        fail(f"{flag}: unknown rule '{unknown[0]}'; 'wrqa rules' lists them: {', '.join(RULES)}")
    return ids


def _pairs(values: tuple[str, ...], flag: str, example: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        key, sep, rest = value.rpartition("=")
        if not sep or not key or not rest:
            fail(f"{flag} {value!r}: write it as {example}")
        pairs.append((key.strip(), rest.strip()))
    return pairs


def _selection(config, select, ignore, severity, per_path):
    from validators.records import Severity

    levels = {}
    for rule, level in _pairs(severity, "--severity", "RULE=info|warning|error"):
        _rule_list((rule,), "--severity")
        try:
            levels[rule] = Severity.parse(level)
        except ValueError as error:
            fail(f"--severity {rule}={level}: {error}")
    ignores = {glob: tuple(_rule_list((ids,), "--per-path-ignore"))
               for glob, ids in _pairs(per_path, "--per-path-ignore", "'GLOB=RULE,RULE'")}
    return config.rule_selection(select=_rule_list(select, "--select"), ignore=_rule_list(ignore, "--ignore"),
                                 severity=levels, per_path=ignores)


def _waivers(config) -> dict:
    """The waivers in force today from ``waivers.path``, by fingerprint; a bad file ends the command."""
    from datetime import date

    from wrqa.waivers import WaiverError, in_force, load_waivers

    try:
        return in_force(load_waivers(config.path_of("waivers.path") if config["waivers.path"] else None), date.today())
    except WaiverError as error:
        fail(str(error))


def _stdin_analyses(name: str, max_bytes: int, max_pages: int):
    """The analyses of the report piped to standard input, read as ``name`` (HTML when it reads as a page)."""
    from checks.analyze import analyze_all
    from crawler.errors import InputError
    from crawler.local import documents_of, reading_of

    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        return [], [InputError(name, f"{name}: standard input is over the limit of {max_bytes:,} bytes; "
                                     "raise validate.max_file_bytes")]
    try:
        reading = reading_of(data, name, max_bytes, max_pages)
    except InputError as error:
        return [], [error]
    documents = documents_of(reading)
    if not documents:
        return [], [InputError(name, f"{name}: holds no text to validate")]
    return analyze_all(documents)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--stored", is_flag=True, help="Validate the documents in the crawler's store.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output: text, json, jsonl (a document a line, then the run), sarif, github (workflow annotations), "
                   "junit (XML), csv (for Excel).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--fail-on", type=click.Choice(["info", "warning", "error", "never"]), default=None,
              help="Lowest severity that makes the exit code 1 [default: error, or validate.fail_on].")
@click.option("--select", multiple=True, metavar="RULES",
              help="Judge only these rules (comma-separated ids; repeatable) [default: rules.select, or all].")
@click.option("--ignore", multiple=True, metavar="RULES", help="Do not judge these rules (comma-separated ids).")
@click.option("--severity", multiple=True, metavar="RULE=LEVEL",
              help="Report RULE at LEVEL (info, warning, error) instead of its default; repeatable.")
@click.option("--per-path-ignore", multiple=True, metavar="GLOB=RULES",
              help="Do not report RULES for files whose path matches GLOB; repeatable.")
@click.option("--suite", type=click.Choice(["auto", "pandera", "gx"]), default=None,
              help="Engines: auto = pandera, plus GX for several inputs; gx = both [default: auto].")
@click.option("--html", "html_dir", type=click.Path(file_okay=False), default=None,
              help="Also write the HTML data-quality report to this folder.")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only, without the summary line.")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule made instead of the findings.")
@click.option("--stdin-filename", default=None, metavar="NAME",
              help="The name to show for '-' (standard input) [default: <stdin>].")
@click.option("--color/--no-color", default=None, help="Colour the text report [default: on a terminal].")
@config_option
def validate(paths, stored, output_format, output, fail_on, select, ignore, severity, per_path_ignore, suite,
             html_dir, quiet, statistics, stdin_filename, color, config_path) -> None:
    """Validate report files and folders (text, HTML, Word, WPS, PDF), '-' for standard input, or the stored pages.

    Exit code 0 when nothing at or above --fail-on was found, 1 when something was, 2 when an input
    could not be read or the tool could not do its job.
    """
    config = read_config(config_path)
    if not paths and not stored:
        fail("give report files or folders to validate, '-' for standard input, or --stored; "
             "see 'wrqa validate --help'")
    with loading():
        from checks.batch import map_chunks
        from crawler.files import find_inputs, shown
        from validators import ValidatorError, engines_for
        from validators.chunks import ChunkJudge, died
        from validators.judge import GX_BATCH, Collected, judge_chunks, options_of
        from validators.records import InputError, Severity

    selection = _selection(config, select, ignore, severity, per_path_ignore)
    waivers = _waivers(config)
    threshold = Severity.threshold(fail_on or config["validate.fail_on"])
    max_bytes = config["validate.max_file_bytes"]

    files = [path for path in paths if path != STDIN]
    found = find_inputs(files)
    inputs = len(paths) + sum(os.path.isdir(path) for path in files) + (2 if stored else 0)
    engines = engines_for(suite or config["validate.suite"], inputs)
    meanwhile = None
    if "gx" in engines and len(found.files) <= GX_BATCH:
        # GX's import overlaps the work; over a corpus of several batches its memory would sit beside the
        # workers' all run long, for seconds saved once: it is imported when they are done.
        from validators.suite import import_gx as meanwhile
    # JSON and JSON Lines are written a document at a time; the other writers read the whole run, with its text.
    streamed = output_format in STREAMED and not html_dir
    skipped = tuple(shown(path) for path in found.skipped)
    if streamed:
        from reports.jsonl import Streamed

        sink = Streamed(output_format, output, waivers, skipped)
    else:
        sink = Collected()
    options = options_of(
        engines=engines, selection=selection, duplicate_threshold=config["validate.duplicate_threshold"],
        rate_tolerance=config["validate.rate_tolerance"], trend_factor=config["validate.trend_factor"],
        keep_lines=not streamed, encode=sink.encoder if streamed else None)  # workers write the JSON lines
    max_pages = config["validate.max_pages"]
    judge = ChunkJudge(options, max_bytes, max_pages)

    def chunks():
        progress = ProgressBar(None if len(found.files) >= PROGRESS_FROM else False)
        done = 0
        for chunk in map_chunks(found.files, judge, died, meanwhile=meanwhile):
            done += chunk.files
            progress("validate", done, len(found.files))
            yield chunk
        if STDIN in paths:
            piped, broken = _stdin_analyses(stdin_filename or "<stdin>", max_bytes, max_pages)
            yield judge.judge(piped, [InputError(path=error.path, message=str(error)) for error in broken])
        if stored:
            yield judge.documents(_stored(config))

    try:
        run = judge_chunks(chunks(), options, sink,
                           errors=[InputError(path=failure.path, message=str(failure)) for failure in found.errors])
    except ValidatorError as error:
        fail(f"validation could not be completed: {error}")
    except OSError as error:
        fail(f"{output or 'standard output'}: cannot write the report ({error.strerror})")
    for error in run.errors:
        say(error.message)
    if skipped:
        from reports.text import skipped_line

        say(f"{skipped_line(skipped)} (not of a kind wrqa reads)")
    if streamed:
        errors = any(not error.carried for error in run.errors)
        sys.exit(2 if errors else int(threshold is not None and sink.worst is not None and sink.worst >= threshold))
    run = replace(run.waive(waivers), skipped=skipped)
    write_outputs(run, output_format, output, html_dir, color, config, threshold=threshold, quiet=quiet,
                  statistics=statistics)
    sys.exit(run.exit_code(threshold))


def _stored(config) -> list:
    """The documents of the crawler's store, opened read-only; the one-line failure when there is none."""
    from crawler.errors import StoreError
    from crawler.store import Store

    store_path = config.path_of("store.path")
    if not store_path.exists():
        fail(f"{store_path}: no store yet; run 'wrqa crawl' first or set store.path in the config")
    try:
        with Store(store_path, read_only=True) as store:
            return store.documents()
    except StoreError as error:
        fail(str(error))


def write_outputs(run, output_format: str, output: str | None, html_dir: str | None, color: bool | None, config,
                  *, threshold=None, quiet: bool = False, statistics: bool = False) -> None:
    """Write ``run`` in ``output_format`` to ``output`` (or standard output), and as HTML to ``html_dir``."""
    encoding = "utf-8"
    if output_format == "json":
        from reports.json import render_json

        text = render_json(run) + "\n"
    elif output_format == "jsonl":
        from reports.jsonl import render_jsonl

        text = render_jsonl(run)
    elif output_format == "sarif":
        from reports.sarif import render_sarif

        text = render_sarif(run) + "\n"
    elif output_format == "github":
        from reports.ci import render_github

        text = "".join(f"{line}\n" for line in render_github(run))
    elif output_format == "junit":
        from reports.ci import render_junit

        text = render_junit(run, threshold) + "\n"
    elif output_format == "csv":
        from reports.table import render_csv

        text = render_csv(run)
    else:
        from reports.text import render_statistics, render_text, summary_line

        colour = color if color is not None else (
            output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
        if statistics:
            lines = [*render_statistics(run), *([] if quiet else [summary_line(run)])]
        else:
            lines = render_text(run, colour=colour, summary=not quiet, errors=output is not None)
        text = "".join(f"{line}\n" for line in lines)
    emit(text, output, "the report", encoding)
    if html_dir:
        from reports.folder import FolderError
        from reports.html import write_report

        try:
            index = write_report(run, Path(html_dir), **config.report_settings())
        except FolderError as error:
            fail(str(error))
        except OSError as error:
            fail(f"{html_dir}: cannot write the HTML report ({error.strerror})")
        if not quiet:
            click.echo(f"HTML report: {index}", err=True)
