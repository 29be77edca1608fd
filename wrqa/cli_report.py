"""``wrqa report``: the HTML data-quality report of a saved run (``wrqa validate --format json`` or ``jsonl``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from wrqa.commands import config_option, fail, main, read_config, say


def _read_json(path: str, option: str) -> Any:
    """The JSON in ``path``, or a one-line failure naming the file, the option and the fix."""
    try:
        return json.loads(_read_text(path, option, "JSON", "json"))
    except json.JSONDecodeError as error:
        fail(f"{path}: is not JSON (line {error.lineno}, column {error.colno}: {error.msg})")


def _read_text(path: str, option: str, what: str = "JSON Lines", output_format: str = "jsonl") -> str:
    """The UTF-8 text in ``path``, or a one-line failure naming the file, the option and the fix."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"{path}: no such file; give {option} the {what} that 'wrqa validate --format {output_format} -o FILE' "
             "wrote")
    except IsADirectoryError:
        fail(f"{path}: is a folder; give {option} a {what} file")
    except OSError as error:
        fail(f"{path}: cannot read it ({error.strerror})")
    except UnicodeDecodeError:
        fail(f"{path}: is not UTF-8 text; give {option} the {what} that 'wrqa validate --format {output_format}' wrote")


def read_results(path: str, option: str):
    """The run a results file holds (``wrqa validate --format json``, or ``jsonl``: by its name ending in
    ``.jsonl``), or the one-line failure saying what is wrong."""
    from reports.json import ResultsError, run_from_dict

    try:
        if path.endswith(".jsonl"):
            from reports.jsonl import read_jsonl

            return read_jsonl(_read_text(path, option), path)
        return run_from_dict(_read_json(path, option))
    except ResultsError as error:
        fail(f"{path}: {error}; give {option} what 'wrqa validate --format json' or '--format jsonl' wrote")


def _stored_lines(config) -> dict[str, tuple[str, ...]]:
    """The source lines of every document in the crawler's store, by URL (none when there is no store)."""
    from crawler.errors import StoreError
    from crawler.store import stored_documents

    try:
        return {document.path: document.source.lines for document in stored_documents(config)}
    except StoreError as error:
        say(f"{error}; pages of stored documents show no text")
        return {}


def fill_texts(run, config):
    """The run with each document's source lines where the results hold none, and how many still have none.

    ``wrqa validate --format json`` leaves the text out; the report wants it to show findings in place.
    A file's lines are read from the file, a stored page's from the crawler's store (``store.path``).
    """
    from dataclasses import replace

    from crawler.files import InputError
    from crawler.local import read_lines

    sources: dict[str, Any] = {}
    store_read = False
    missing = 0
    documents = []
    for document in run.documents:
        if document.lines is None:
            if document.source == "store" and not store_read:
                sources.update(_stored_lines(config))
                store_read = True
            if document.source == "store":
                sources.setdefault(document.path, None)
            if document.path not in sources:
                try:
                    sources[document.path] = read_lines(document.path, config["validate.max_file_bytes"],
                                                        config["validate.max_pages"])
                except InputError as error:
                    say(f"{error}; its page shows no text")
                    sources[document.path] = None
            lines = sources[document.path]
            if lines is None:
                missing += 1
            else:
                document = replace(document, lines=tuple(lines[document.line - 1 : document.end_line]))
        documents.append(document)
    return replace(run, documents=tuple(documents)), missing


@main.command()
@click.option("-i", "--input", "input_path", required=True, type=click.Path(dir_okay=False),
              help="Results of a run: the JSON (or .jsonl) that 'wrqa validate --format json|jsonl -o FILE' wrote.")
@click.option("--previous", "previous_path", type=click.Path(dir_okay=False), default=None,
              help="Results of an earlier run, to list the findings new and resolved since it.")
@click.option("--history", "history_path", type=click.Path(dir_okay=False), default=None,
              help="JSON list of past run summaries (started_at, documents, findings, by_severity) for the trend.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Folder to write the report to [default: report.dir, out/report].")
@click.option("--page-size", type=click.IntRange(min=1), default=None,
              help="Documents per page of the document table [default: report.page_size, 200].")
@config_option
def report(input_path, previous_path, history_path, out_dir, page_size, config_path) -> None:
    """Write the HTML data-quality report of a saved validation run.

    The report is a folder of static files (index.html and one page per document) that opens from the
    file system or any web server and makes no network request.
    """
    from validators.collector import unseen

    config = read_config(config_path)
    with unseen():  # the runs live as long as the process: the collector went over their millions of objects
        run = read_results(input_path, "--input")
        previous = read_results(previous_path, "--previous") if previous_path else None
    history = _read_json(history_path, "--history") if history_path else None
    if history is not None and not (isinstance(history, list) and all(isinstance(item, dict) for item in history)):
        fail(f"{history_path}: --history must hold a list of run summaries, not {type(history).__name__}")
    out = Path(out_dir) if out_dir else config.path_of("report.dir")
    with unseen():
        run, missing = fill_texts(run, config)
    if missing:
        say(f"{missing} document(s) of {input_path} have no text to show; "
            "'wrqa validate --html DIR' writes the report with every text")

    from reports.folder import FolderError
    from reports.html import write_report

    try:
        with unseen():
            index = write_report(run, out, previous=previous, history=history,
                                 **{**config.report_settings(), "page_size": page_size or config["report.page_size"]})
    except FolderError as error:
        fail(str(error))
    except OSError as error:
        fail(f"{out}: cannot write the HTML report ({error.strerror}); choose another folder with --out")
    click.echo(f"HTML report: {index}")
