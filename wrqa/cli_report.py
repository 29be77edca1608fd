"""``wrqa report``: the HTML data-quality report of a saved run (``wrqa validate --format json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from wrqa.cli import config_option, fail, main, read_config


def _read_json(path: str, option: str, shape: type) -> Any:
    """The JSON in ``path``, or a one-line failure naming the file, the option and the fix."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"{path}: no such file; give {option} the JSON that 'wrqa validate --format json -o FILE' wrote")
    except IsADirectoryError:
        fail(f"{path}: is a folder; give {option} a JSON file")
    except OSError as error:
        fail(f"{path}: cannot read it ({error.strerror})")
    except UnicodeDecodeError:
        fail(f"{path}: is not UTF-8 text; give {option} the JSON that 'wrqa validate --format json' wrote")
    except json.JSONDecodeError as error:
        fail(f"{path}: is not JSON (line {error.lineno}, column {error.colno}: {error.msg})")
    if not isinstance(data, shape):
        expected = "an object with 'documents'" if shape is dict else "a list of run summaries"
        fail(f"{path}: {option} must hold {expected}, not {type(data).__name__}")
    if shape is dict and not _documents_shaped(data.get("documents", [])):
        fail(f"{path}: 'documents' must be a list of objects with lists of findings; "
             f"give {option} what 'wrqa validate --format json' wrote")
    return data


def _documents_shaped(documents: Any) -> bool:
    return isinstance(documents, list) and all(
        isinstance(document, dict)
        and all(isinstance(document.get(key) or [], list) for key in ("findings", "statistics", "relations"))
        and all(isinstance(item, dict) for key in ("findings", "statistics", "relations")
                for item in document.get(key) or [])
        for document in documents
    )


def _stored_lines(config) -> dict[str, tuple[str, ...]]:
    """The source lines of every document in the crawler's store, by URL (none when there is no store)."""
    from crawler.errors import StoreError
    from crawler.store import stored_documents

    try:
        return {document.path: document.source.lines for document in stored_documents(config)}
    except StoreError as error:
        click.echo(f"wrqa: {error}; pages of stored documents show no text", err=True)
        return {}


def _fill_texts(results: dict, config) -> int:
    """Add each document's source lines where the results hold no text; the number still missing.

    ``wrqa validate --format json`` leaves the text out; the report wants it to show findings in place.
    A file's lines are read from the file, a stored page's from the crawler's store (``store.path``).
    """
    from crawler.files import InputError, read_source

    sources: dict[str, Any] = {}
    store_read = False
    missing = 0
    for document in results.get("documents", []):
        if isinstance(document.get("text"), str):
            continue
        path, line, end_line = document.get("path"), document.get("line"), document.get("end_line")
        if not isinstance(path, str) or not isinstance(line, int):
            missing += 1
            continue
        if document.get("source") == "store" and not store_read:
            sources.update(_stored_lines(config))
            store_read = True
        if document.get("source") == "store":
            sources.setdefault(path, None)
        if path not in sources:
            try:
                sources[path] = read_source(path, config["validate.max_file_bytes"]).lines
            except InputError as error:
                click.echo(f"wrqa: {error}; its page shows no text", err=True)
                sources[path] = None
        if sources[path] is None:
            missing += 1
            continue
        end = end_line if isinstance(end_line, int) else len(sources[path])
        document["text"] = "\n".join(sources[path][line - 1 : end])
    return missing


@main.command()
@click.option("-i", "--input", "input_path", required=True, type=click.Path(dir_okay=False),
              help="Results of a run: the JSON that 'wrqa validate --format json -o FILE' wrote.")
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
    config = read_config(config_path)
    results = _read_json(input_path, "--input", dict)
    previous = _read_json(previous_path, "--previous", dict) if previous_path else None
    history = _read_json(history_path, "--history", list) if history_path else None
    out = Path(out_dir) if out_dir else config.path_of("report.dir")
    missing = _fill_texts(results, config)
    if missing:
        click.echo(f"wrqa: {missing} document(s) of {input_path} have no text to show; "
                   "'wrqa validate --html DIR' writes the report with every text", err=True)

    from reports.folder import FolderError
    from reports.html import write_report

    try:
        index = write_report(results, out, previous=previous, history=history,
                             page_size=page_size or config["report.page_size"])
    except FolderError as error:
        fail(str(error))
    except OSError as error:
        fail(f"{out}: cannot write the HTML report ({error.strerror}); choose another folder with --out")
    click.echo(f"HTML report: {index}")
