"""The crawler's commands: ``wrqa crawl``, ``wrqa export``, ``wrqa reextract`` and ``wrqa demo-sites``.

Thin wrappers over ``crawler.crawl``, ``crawler.store`` and ``crawler.replica``; cheap to import (httpx
and the rest are imported inside the commands). Bad input ends with one line and exit code 2.
"""

from __future__ import annotations

import json
import sys

import click

from wrqa.commands import ProgressBar, choose_sources, config_option, emit, fail, main, read_config, stopping

MAX_MESSAGES = 20


@main.command()
@click.option("--source", "sources", multiple=True, metavar="NAME",
              help="Crawl only this [[sources]] entry (repeatable) [default: all].")
@click.option("--once", is_flag=True,
              help="One pass and exit, even when crawl.repeat_every is set.")
@config_option
def crawl(sources, once, config_path) -> None:
    """Fetch new and changed reports from the configured sites into the store.

    Prints a progress bar on a terminal and one summary line at the end. Exit code 0 when every page
    was fetched, 1 when some failed (they are retried on the next run), 2 when the crawl could not run.
    """
    from crawler.crawl import crawl as run_crawl
    from crawler.errors import CrawlerError

    config = read_config(config_path)
    choose_sources(config, sources)
    repeat = 0 if once else config["crawl.repeat_every"]
    failed = False
    with stopping("the pages under way are fetched again on the next run") as stop:
        while True:
            try:
                stats = run_crawl(config, sources=list(sources) or None, progress=ProgressBar(), stop=stop)
            except CrawlerError as error:
                fail(str(error))
            for message in (*stats.notices, *stats.messages)[:MAX_MESSAGES]:
                click.echo(f"wrqa: {message}", err=True)
            if len(stats.notices) + len(stats.messages) > MAX_MESSAGES:
                more = len(stats.notices) + len(stats.messages) - MAX_MESSAGES
                click.echo(f"wrqa: … and {more} more", err=True)
            click.echo(stats.summary())
            failed = stats.failed > 0
            if not repeat or stop.wait(repeat):
                break
    sys.exit(1 if failed else 0)


@main.command()
@click.option("--format", "output_format", type=click.Choice(["jsonl"]), default="jsonl", show_default=True,
              help="Output format: one JSON object a line.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@click.option("--source", default=None, metavar="NAME", help="Export only this source's documents.")
@config_option
def export(output_format, output, source, config_path) -> None:
    """Write the stored documents, one JSON object a line (url, site, category, title, published_at,
    committee, year, kind, text and what else the crawler read; for an attachment, attachment_of: its page)."""
    from crawler.errors import StoreError
    from crawler.store import Store

    config = read_config(config_path)
    if source:
        choose_sources(config, [source])
    path = config.path_of("store.path")
    if not path.exists():
        fail(f"{path}: no store yet; run 'wrqa crawl' first or set store.path in the config")
    try:
        with Store(path, read_only=True) as store:
            lines = [json.dumps(_exported(stored), ensure_ascii=False) for stored in store.stored(source)]
    except StoreError as error:
        fail(str(error))
    text = "".join(line + "\n" for line in lines)
    emit(text, output, "the export")
    if output:
        click.echo(f"{len(lines)} documents written to {output}", err=True)


def _exported(stored) -> dict:
    page = stored.page
    return {
        "url": page.url,
        "site": page.site,
        "category": page.category,
        "title": page.title,
        "published_at": page.published_at.isoformat() if page.published_at else None,
        "committee": page.committee,
        "year": page.year,
        "kind": page.kind,
        "text": "\n".join(page.paragraphs),
        "meeting_date": page.meeting_date.isoformat() if page.meeting_date else None,
        "session": page.session,
        "author": page.author,
        "warnings": [*page.warnings, *(warning for _, warning in (stored.reading.warnings if stored.reading else ()))],
        "attachment_of": stored.attachment_of,
        "version": stored.version,
        "fetched_at": stored.fetched_at,
    }


@main.command()
@click.option("--source", default=None, metavar="NAME", help="Re-extract only this source's documents.")
@config_option
def reextract(source, config_path) -> None:
    """Parse every stored document again from its archived responses, without fetching; a document
    whose extraction changed gets a new version."""
    from crawler.crawl import reextract as run_reextract
    from crawler.errors import CrawlerError

    config = read_config(config_path)
    if source:
        choose_sources(config, [source])
    if not config.path_of("store.path").exists():
        fail(f"{config.path_of('store.path')}: no store yet; run 'wrqa crawl' first")
    try:
        counts = run_reextract(config, source)
    except CrawlerError as error:
        fail(str(error))
    click.echo(f"{counts['changed']} changed, {counts['unchanged']} unchanged, "
               f"{counts['missing']} without archive or adapter")


@main.command("demo-sites")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65534),
              help="Port of the district site; the provincial site takes the next one (0: any free ports).")
def demo_sites(port) -> None:
    """Serve the bundled replica of the district and provincial sites on 127.0.0.1 until Ctrl-C or SIGTERM."""
    from crawler.replica import serve
    from wrqa.stops import stopping

    # Ctrl-C and SIGTERM stop the servers whenever they come, even while these lines are printed, and even
    # where the shell started wrqa with Ctrl-C ignored (a background job): Python's own KeyboardInterrupt
    # would then never come, and the servers' threads keep the process alive.
    with stopping(lambda _signal: None, abort_on_second=False) as stop:
        try:
            replica = serve(port=port)
        except OSError as error:
            fail(f"cannot listen on 127.0.0.1:{port} ({error.strerror}); choose another --port")
        try:
            click.echo(f"district site (epoint):   {replica.base_urls['epoint']}  lists zyfb/003005, dbgz/004002, "
                       "dbgz/004003, xxgk/005001 (attachments)")
            click.echo(f"provincial site (hppc):   {replica.base_urls['hppc']}  lists list.php?catid=8, "
                       "list.php?catid=9 (attachments)")
            click.echo("Point [[sources]] base_url at these to try 'wrqa crawl'. Ctrl-C stops.")
            stop.wait()
        finally:
            replica.close()
