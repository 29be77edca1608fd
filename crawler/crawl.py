"""The crawl: list pages → wanted article links → fetch (conditionally) → adapt → archive → store.

Incremental: a list is paged until a page brings no link the store has not seen (once the list has
been read to its end), articles already stored are asked for with their ETag / Last-Modified, and only
changed content makes a new version. Links of an interrupted or failed run are fetched on the next.
``stop``, a ``threading.Event``, ends the crawl within seconds: the pages under way are interrupted and
recorded as failed, so the next run fetches them.
It must never decide whether a report is good; that is the validator's work.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field, replace
from types import ModuleType

from crawler import domain, epoint, extract, hppc, urls
from crawler.archive import Archive, encode, read
from crawler.errors import ChallengeError, CrawlerError, FetchError, UnreachableError
from crawler.http import Client, Response, Settings, decode, mojibake
from crawler.records import Page
from crawler.store import Store

ADAPTERS: dict[str, ModuleType] = {"epoint": epoint, "hppc": hppc}
MAX_PARTS = 20

Progress = Callable[[str, int, int], None]
"""Called as ``progress(source_name, articles_done, articles_to_do)`` while a source is crawled."""


@dataclass(frozen=True)
class CrawlStats:
    """What a crawl did: pages fetched (list and article pages answered 200), documents new, changed and
    unchanged (including 304 answers), pages failed, bytes received, seconds taken, the run's id, whether it
    was stopped early, and one message a problem (a failed page, a challenge, a refused redirect)."""

    fetched: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    bytes: int = 0
    seconds: float = 0.0
    run_id: int | None = None
    stopped: bool = False
    messages: tuple[str, ...] = ()

    @property
    def errors(self) -> tuple[str, ...]:
        """The messages of the problems met (an alias the daemon's job reads)."""
        return self.messages

    def summary(self) -> str:
        """The one line ``wrqa crawl`` ends with."""
        return (
            f"{self.fetched} pages fetched, {self.new} new, {self.changed} changed, "
            f"{self.unchanged} unchanged, {self.failed} failed, {self.bytes} bytes, {self.seconds:.1f} s"
        )


@dataclass
class _Tally:
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("fetched", "new", "changed", "unchanged", "failed"), 0)
    )
    messages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Fetched:
    """An article fetched by a worker: its responses (the parts of a long article) and the page, or
    a 304, or the error."""

    url: str
    category: str | None
    responses: tuple[Response, ...] = ()
    records: tuple[bytes, ...] = ()
    page: Page | None = None
    not_modified: Response | None = None
    error: FetchError | None = None


# What a list title must announce for its page to be fetched, by default: a committee's own documents.
WANTED_KINDS = ("report", "half-year", "template", "article")


def wanted_title(include: str) -> Callable[[str], bool]:
    """Whether a list title is worth fetching: ``include`` if set, else a title naming a street committee."""
    if include:
        pattern = re.compile(include)
        return lambda title: bool(pattern.search(title))
    return lambda title: domain.document_kind(title) in WANTED_KINDS


def crawl(
    config, sources=None, progress: Progress | None = None, stop: threading.Event | None = None
) -> CrawlStats:
    """Crawls ``sources`` (names; all configured sources when None) and stores what is new or changed."""
    started = time.monotonic()
    chosen = choose(config, sources)
    stop = stop or threading.Event()
    settings = Settings.from_config(config)
    tally = _Tally()
    with Store(config.path_of("store.path")) as store:
        run_id = store.start_run(source.name for source in chosen)
        archive = Archive(config.path_of("store.warc_dir"), run_id)
        client = Client(settings, [urls.normal(source.base_url) for source in chosen], stop=stop)
        status = "failed"
        try:
            crawler = _SourceCrawler(config, store, archive, client, run_id, tally, progress, stop)
            for source in chosen:
                if stop.is_set():
                    break
                crawler.crawl(source)
            status = "stopped" if stop.is_set() else "done"
        finally:
            client.close()
            archive.close()
            stats = CrawlStats(
                **tally.counts,
                bytes=client.bytes,
                seconds=round(time.monotonic() - started, 3),
                run_id=run_id,
                stopped=stop.is_set(),
                messages=tuple(tally.messages),
            )
            store.finish_run(run_id, status, asdict(stats))
    return stats


def choose(config, names) -> list:
    """The configured sources named in ``names`` (all for none); ``CrawlerError`` naming an unknown one."""
    if not config.sources:
        where = config.path or "the configuration"
        raise CrawlerError(f"No [[sources]] in {where}; add one (see config.toml) or pass --config")
    if not names:
        return list(config.sources)
    known = {source.name: source for source in config.sources}
    for name in names:
        if name not in known:
            raise CrawlerError(
                f"No source named '{name}' in {config.path or 'the configuration'}; known sources: {', '.join(known)}"
            )
    return [known[name] for name in names]


class _SourceCrawler:
    """Crawls one source at a time with a shared client, store and archive."""

    def __init__(
        self,
        config,
        store: Store,
        archive: Archive,
        client: Client,
        run_id: int,
        tally: _Tally,
        progress: Progress | None,
        stop: threading.Event,
    ) -> None:
        self.config, self.store, self.archive, self.client = config, store, archive, client
        self.run_id, self.tally, self.progress, self.stop = run_id, tally, progress, stop
        self.max_list_pages = config["crawl.max_list_pages"]
        self.workers = config["crawl.concurrency"]
        self.aliases = _aliases(store.urls())

    def _key(self, url: str) -> str:
        """The store's key of ``url``: its normal form, or the other spelling an older store keeps it under."""
        key = urls.normal(url)
        return self.aliases.get(key, key)

    def crawl(self, source) -> None:
        adapter = ADAPTERS[source.kind]
        wanted = wanted_title(source.include)
        targets: dict[str, str | None] = {}
        try:
            for list_path in source.lists:
                self._read_list(source, adapter, list_path, wanted, targets)
                if self.stop.is_set():
                    return
        except (ChallengeError, UnreachableError) as error:
            self._fail(f"{source.name}: {error}")
            return  # the site cannot be crawled this run: asking it for more would only repeat the answer
        for seed in source.seeds:
            absolute = urls.join(source.base_url + "/", seed if "://" in seed else seed.lstrip("/"))
            targets.setdefault(self._key(absolute), None)
        for url, category in self.store.pending(source.name):
            if urls.is_page_link(url):  # an older store may hold a javascript: link as failed
                targets.setdefault(self._key(url), category)
        self._fetch_articles(source, adapter, targets)

    def _read_list(self, source, adapter: ModuleType, list_path: str, wanted: Callable[[str], bool],
                   targets: dict[str, str | None]) -> None:
        """Pages through one list, recording its links and adding the wanted ones to ``targets``."""
        category = adapter.category(list_path)
        caught_up = self.store.caught_up(source.name, list_path)
        url = urls.normal(adapter.list_url(source.base_url, list_path))
        seen = set()
        for _ in range(self.max_list_pages):
            if self.stop.is_set() or url in seen:
                return
            seen.add(url)
            try:
                response = self.client.get(url)
            except (ChallengeError, UnreachableError):
                raise
            except FetchError as error:
                self._fail(f"{source.name}: list page {error}")
                return
            self.tally.counts["fetched"] += 1
            self.archive.write(response, source.name, category)
            listing = adapter.parse_list(response.text, url)
            self.tally.messages.extend(f"{source.name}: list page {warning}" for warning in listing.warnings)
            if not listing.links:
                self.tally.messages.append(
                    f"{source.name}: list page '{url}' shows no article links; if the list should have some, "
                    "its layout changed or it is filled by script (add the articles as seeds)"
                )
                break
            rows = [(self._key(link.url), link.title, wanted(link.title)) for link in listing.links]
            added = self.store.add_links(source.name, category, rows, self.run_id)
            for link_url, _, is_wanted in rows:
                if is_wanted:
                    targets.setdefault(link_url, category)
            if added == 0 and caught_up:
                break  # nothing new here, and everything older was read before
            if listing.next_url is None:
                break
            url = listing.next_url
        else:
            return  # stopped by crawl.max_list_pages: the rest of the list is still unread
        self.store.mark_caught_up(source.name, list_path)

    def _fetch_articles(self, source, adapter: ModuleType, targets: dict[str, str | None]) -> None:
        queue = deque(targets.items())
        total, done = len(queue), 0
        if self.progress:
            self.progress(source.name, 0, total)
        blocked = False
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="wrqa-fetch") as pool:
            running: set[Future] = set()
            while queue or running:
                while queue and len(running) < self.workers and not self.stop.is_set() and not blocked:
                    url, category = queue.popleft()
                    state = self.store.state(url)
                    validators = (
                        (state.etag, state.last_modified)
                        if state and state.status == "stored"
                        else (None, None)
                    )
                    running.add(pool.submit(self._fetch, source, adapter, url, category, *validators))
                if not running:
                    break
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    blocked |= self._keep(source, future.result())
                    done += 1
                    if self.progress:
                        self.progress(source.name, done, total)

    def _fetch(
        self,
        source,
        adapter: ModuleType,
        url: str,
        category: str | None,
        etag: str | None,
        last_modified: str | None,
    ) -> _Fetched:
        """Runs in a worker thread: fetch, parse and compress for the archive, never touch the store."""
        try:
            response = self.client.get(urls.normal(url), etag=etag, last_modified=last_modified)
            if response.status == 304:
                return _Fetched(url, category, not_modified=response)
            responses = [response]
            page = _read(adapter, response.text, url, source.name, category, response.warnings)
            parts = []
            following = adapter.continuation(response.text, url)
            while following and len(responses) < MAX_PARTS and following not in {r.url for r in responses}:
                part = self.client.get(following)
                responses.append(part)
                parts.append(_read(adapter, part.text, following, source.name, category, part.warnings))
                following = adapter.continuation(part.text, following)
            records = tuple(encode(r, source.name, category) for r in responses)
            return _Fetched(url, category, tuple(responses), records, extract.merge(page, *parts) if parts else page)
        except FetchError as error:
            return _Fetched(url, category, error=error)

    def _keep(self, source, fetched: _Fetched) -> bool:
        """Archives and stores what a worker fetched; True when the source can no longer be crawled this run."""
        counts = self.tally.counts
        if fetched.error is not None:
            self.store.record_failure(fetched.url, source.name, fetched.category, str(fetched.error))
            self._fail(f"{source.name}: {fetched.error}")
            return isinstance(fetched.error, ChallengeError | UnreachableError)
        if fetched.not_modified is not None:
            self.store.mark_unchanged(
                fetched.url, fetched.not_modified.etag, fetched.not_modified.last_modified
            )
            counts["unchanged"] += 1
            return False
        refs = [self.archive.append(record) for record in fetched.records]
        counts["fetched"] += len(fetched.responses)
        first = fetched.responses[0]
        outcome = self.store.save(
            fetched.page, source.name, self.run_id, first.etag, first.last_modified, refs
        )
        counts[outcome] += 1
        return False

    def _fail(self, message: str) -> None:
        self.tally.counts["failed"] += 1
        self.tally.messages.append(message)


def _read(adapter: ModuleType, text: str, url: str, site: str, category: str | None,
          warnings: tuple[str, ...] = ()) -> Page:
    """The page ``adapter`` reads off ``text``, with the decoding's ``warnings``, and one more for a title or
    body that is mojibake."""
    page = adapter.parse_article(text, url, site, category)
    if garbled := mojibake("\n".join((page.title, *page.paragraphs))):
        warnings += (
            f"Title or body of '{url}' reads as UTF-8 decoded as GB18030 ('{garbled[0]}' for '{garbled[1]}'); "
            "the page itself is garbled or its charset was misread: check it in a browser",
        )
    return replace(page, warnings=page.warnings + warnings) if warnings else page


def _aliases(keys: set[str]) -> dict[str, str]:
    """Normal form → key, for the keys an older store wrote otherwise (``a0.html#top``) and never normally."""
    return {normal: key for key in keys if (normal := urls.normal(key)) != key and normal not in keys}


def reextract(config, source: str | None = None) -> dict[str, int]:
    """Parses every stored document again from its archived responses, without fetching; a page whose
    extraction changed (a better adapter) gets a new version. Returns counts of ``changed``/``unchanged``."""
    kinds = {s.name: s.kind for s in config.sources}
    counts = {"changed": 0, "unchanged": 0, "missing": 0}
    folder = config.path_of("store.warc_dir")
    with Store(config.path_of("store.path")) as store:
        for stored in list(store.stored(source)):
            adapter = ADAPTERS.get(kinds.get(stored.source, ""))
            if adapter is None or not stored.warc:
                counts["missing"] += 1
                continue
            records = [read(folder, name, offset) for name, offset in stored.warc]
            old = stored.page
            # The first response is the document, under its key; an older store may spell that otherwise.
            pages = []
            for index, r in enumerate(records):
                text, warnings = decode(r.content, r.encoding or "utf-8", r.url)
                pages.append(_read(adapter, text, old.url if index == 0 else r.url, old.site, old.category,
                                   warnings))
            page = extract.merge(pages[0], *pages[1:])
            state = store.state(old.url)
            outcome = store.save(page, stored.source, None, state.etag, state.last_modified, stored.warc)
            counts["unchanged" if outcome == "unchanged" else "changed"] += 1
    return counts
