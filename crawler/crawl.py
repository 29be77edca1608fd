"""The crawl: list pages → wanted article links → fetch (conditionally) → adapt → archive → store.

Incremental: a list is paged until a page brings no link the store has not seen (once the list has
been read to its end), articles already stored are asked for with their ETag / Last-Modified, and only
changed content makes a new version. Links of an interrupted or failed run are fetched on the next.
``stop``, a ``threading.Event``, ends the crawl within seconds: the pages under way are interrupted and
recorded as failed, so the next run fetches them. The sources' hosts are crawled at the same time, one
thread a host (each host still gets its delay, robots and concurrency on its own), so a crawl takes the
longest host's time, not the sum; the store, the archive and the tally are used by one thread at a time.
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
from urllib.parse import urlsplit

from crawler import domain, epoint, extract, hppc, urls
from crawler.archive import Archive, encode, read
from crawler.errors import ChallengeError, CrawlerError, FetchError, InputError, UnreachableError
from crawler.extract import Link
from crawler.http import Client, Response, Settings, decode, mojibake
from crawler.local import ZIP, documents_of, reading_of
from crawler.office import OLE, RTF
from crawler.records import Page, Reading
from crawler.store import Store

# How the files the readers read begin: a ZIP (.docx), an OLE container (.doc, .wps) or RTF; a PDF's %PDF- may
# come after some bytes.
READ_MAGIC = (ZIP, OLE, RTF)

ADAPTERS: dict[str, ModuleType] = {"epoint": epoint, "hppc": hppc}
MAX_PARTS = 20

Progress = Callable[[str, int, int], None]
"""Called as ``progress(source_names, articles_done, articles_to_do)`` while sources are crawled: the
names of the sources under way, joined by '+', and their articles together."""


@dataclass(frozen=True)
class CrawlStats:
    """What a crawl did: pages fetched (list and article pages and attachments answered 200), documents new,
    changed and unchanged (including 304 answers), pages failed, pages fetched once and judged no street
    committee's (``unwanted``), attachments on hosts not configured (``skipped``, never fetched), bytes
    received, seconds taken, the run's id, whether it was stopped early, one message a problem (a failed
    page, a challenge, a refused redirect) and one notice a thing left alone on purpose (a skipped attachment)."""

    fetched: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    unwanted: int = 0
    skipped: int = 0
    bytes: int = 0
    seconds: float = 0.0
    run_id: int | None = None
    stopped: bool = False
    messages: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()

    @property
    def errors(self) -> tuple[str, ...]:
        """The messages of the problems met (an alias the daemon's job reads)."""
        return self.messages

    def summary(self) -> str:
        """The one line ``wrqa crawl`` ends with."""
        return (
            f"{self.fetched} pages fetched, {self.new} new, {self.changed} changed, "
            f"{self.unchanged} unchanged, {self.failed} failed, {self.unwanted} judged unwanted, "
            f"{self.skipped} skipped, {self.bytes} bytes, {self.seconds:.1f} s"
        )


@dataclass
class _Tally:
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("fetched", "new", "changed", "unchanged", "failed", "unwanted", "skipped"), 0)
    )
    messages: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Target:
    """A URL to fetch: an article (``judge``: its title did not decide, so its words do once it is fetched;
    ``title``: as its list shows it) or an attachment (``attachment_of``: its page's URL; ``name``: the link's
    words; ``page``: that page, when it was read in this run)."""

    url: str
    category: str | None
    judge: bool = False
    title: str = ""
    attachment_of: str | None = None
    name: str = ""
    page: Page | None = None


@dataclass(frozen=True)
class _Fetched:
    """What a worker fetched for a target: its responses (the parts of a long article) compressed for the
    archive, and the page (an attachment's with its reader's ``reading``), a 304, the error, or ``unwanted``
    for a page its words showed to be no street committee's; ``attachments``: the files a page links."""

    target: _Target
    responses: tuple[Response, ...] = ()
    records: tuple[bytes, ...] = ()
    page: Page | None = None
    reading: Reading | None = None
    attachments: tuple[Link, ...] = ()
    not_modified: Response | None = None
    error: FetchError | None = None
    unwanted: bool = False


# What a list title must announce for its page to be kept, by default: a committee's own documents.
WANTED_KINDS = ("report", "half-year", "template", "article")
# The kinds a title alone decides; an article's title must also name its street or committee.
TITLE_KINDS = tuple(kind for kind in WANTED_KINDS if kind != "article")

Decision = Callable[[str], "bool | None"]
"""Whether a list title is wanted: True, False, or None when only the page's words can tell."""


def wanted_title(include: str, anywhere: bool = False) -> Decision:
    """Whether a list title is worth fetching: ``include``, if set, decides alone; else a committee's report,
    half-year report or template is wanted, and an article whose title names a street (any street when
    ``anywhere``) or its committee; a government's or a standing committee's report is not; any other title
    (武昌人大代表进社区…) does not decide: its page is fetched once and kept if ``domain.street_article`` finds the
    street whose congress work it tells of. The lists are small, so fetching each such item once is polite."""
    if include:
        pattern = re.compile(include)
        return lambda title: bool(pattern.search(title))

    def decide(title: str) -> bool | None:
        kind = domain.document_kind(title)
        if kind in TITLE_KINDS or (kind == "article" and (domain.committee_key(title)
                                                          or domain.street_of(title, anywhere))):
            return True
        return False if kind == "gov-report" else None

    return decide


def kept_after_reading(page: Page) -> bool:
    """Whether a page fetched because its title did not decide is kept: a committee's report, half-year report or
    template, or the article of the street ``domain.street_article`` found in its words. An article of the
    district's deputies that names no street is no committee's document, though its title reads like one."""
    return page.kind in TITLE_KINDS or (page.kind == "article" and page.committee is not None)


def crawl(
    config, sources=None, progress: Progress | None = None, stop: threading.Event | None = None
) -> CrawlStats:
    """Crawls ``sources`` (names; all configured sources when None) and stores what is new or changed."""
    started = time.monotonic()
    chosen = choose(config, sources)
    stop = stop or threading.Event()
    settings = Settings.from_config(config)
    tally = _Tally()
    with Store(config.path_of("store.path"), shared=True) as store:
        run_id = store.start_run(source.name for source in chosen)
        archive = Archive(config.path_of("store.warc_dir"), run_id)
        client = Client(settings, [urls.normal(source.base_url) for source in chosen], stop=stop)
        status = "failed"
        try:
            crawler = _SourceCrawler(config, store, archive, client, run_id, tally, _Together(progress), stop)
            _each_host_at_once(chosen, crawler.crawl, stop)
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
                notices=tuple(tally.notices),
            )
            store.finish_run(run_id, status, asdict(stats))
    return stats


def _each_host_at_once(sources: list, crawl_one: Callable, stop: threading.Event) -> None:
    """Crawls the sources of each host in turn and the hosts at the same time; the first error raised in any
    is raised here once every host's thread has ended (each page is stored whole or not at all, so nothing
    the others fetched is lost)."""
    hosts: dict[str, list] = {}
    for source in sources:
        hosts.setdefault(urlsplit(urls.normal(source.base_url)).netloc, []).append(source)

    def crawl_host(group: list) -> None:
        for source in group:
            if stop.is_set():
                return
            crawl_one(source)

    if len(hosts) == 1:
        crawl_host(next(iter(hosts.values())))
        return
    with ThreadPoolExecutor(max_workers=len(hosts), thread_name_prefix="wrqa-host") as pool:
        futures = [pool.submit(crawl_host, group) for group in hosts.values()]
    errors = [future.exception() for future in futures if future.exception() is not None]
    if errors:
        raise errors[0]


class _Together:
    """One progress line for the sources crawled at the same time: their names and their articles summed."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.sources: dict[str, tuple[int, int]] = {}
        self.lock = threading.Lock()

    def __call__(self, source: str, done: int, total: int) -> None:
        if self.progress is None:
            return
        with self.lock:
            self.sources[source] = (done, total)
            under_way = [name for name, (d, t) in self.sources.items() if d < t] or list(self.sources)
            self.progress("+".join(under_way), sum(d for d, _ in self.sources.values()),
                          sum(t for _, t in self.sources.values()))


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
        progress: _Together,
        stop: threading.Event,
    ) -> None:
        self.config, self.store, self.archive, self.client = config, store, archive, client
        self.run_id, self.tally, self.progress, self.stop = run_id, tally, progress, stop
        # Held around every use of the store, the archive and the tally: one thread crawls each host.
        self.lock = threading.RLock()
        self.max_list_pages = config["crawl.max_list_pages"]
        self.workers = config["crawl.concurrency"]
        self.aliases = _aliases(store.urls())
        self.limits = (config["validate.max_file_bytes"], config["validate.max_pages"])

    def _key(self, url: str) -> str:
        """The store's key of ``url``: its normal form, or the other spelling an older store keeps it under."""
        key = urls.normal(url)
        return self.aliases.get(key, key)

    def crawl(self, source) -> None:
        adapter = ADAPTERS[source.kind]
        wanted = wanted_title(source.include, adapter.ANY_STREET)
        with self.lock:
            judged = self.store.judged_unwanted(source.name)
        targets: dict[str, _Target] = {}
        try:
            for list_path in source.lists:
                self._read_list(source, adapter, list_path, wanted, targets, judged)
                if self.stop.is_set():
                    return
        except (ChallengeError, UnreachableError) as error:
            self._fail(f"{source.name}: {error}")
            return  # the site cannot be crawled this run: asking it for more would only repeat the answer
        with self.lock:
            for seed in source.seeds:
                absolute = urls.join(source.base_url + "/", seed if "://" in seed else seed.lstrip("/"))
                targets.setdefault(self._key(absolute), _Target(self._key(absolute), None))
            for url, category, title in self.store.pending(source.name):
                if urls.is_page_link(url):  # an older store may hold a javascript: link as failed
                    key = self._key(url)
                    targets.setdefault(key, _Target(key, category, judge=bool(title) and wanted(title) is None,
                                                    title=title or ""))
            for url, category, page_url in self.store.pending_attachments(source.name):
                targets.setdefault(url, _Target(url, category, attachment_of=page_url))
        self._fetch_all(source, adapter, targets)

    def _read_list(self, source, adapter: ModuleType, list_path: str, wanted: Decision,
                   targets: dict[str, _Target], judged: set[str]) -> None:
        """Pages through one list, recording its links and adding the wanted ones to ``targets`` (those whose
        title does not decide, unless their page was judged before)."""
        category = adapter.category(list_path)
        with self.lock:
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
            listing = adapter.parse_list(response.text, url)
            rows = [(self._key(link.url), link.title, wanted(link.title)) for link in listing.links]
            with self.lock:
                added = self._list_read(source, category, url, response, listing, rows, targets, judged)
            if added is None or (added == 0 and caught_up):
                break  # an empty list, or nothing new here and everything older was read before
            if listing.next_url is None:
                break
            url = listing.next_url
        else:
            return  # stopped by crawl.max_list_pages: the rest of the list is still unread
        with self.lock:
            self.store.mark_caught_up(source.name, list_path)

    def _list_read(self, source, category: str | None, url: str, response: Response, listing, rows: list,
                   targets: dict[str, _Target], judged: set[str]) -> int | None:
        """Archives a list page and records its links, adding the wanted ones to ``targets``; how many links
        were new, or None when the page shows none."""
        self.tally.counts["fetched"] += 1
        self.archive.write(response, source.name, category)
        self.tally.messages.extend(f"{source.name}: list page {warning}" for warning in listing.warnings)
        if not listing.links:
            self.tally.messages.append(
                f"{source.name}: list page '{url}' shows no article links; if the list should have some, "
                "its layout changed or it is filled by script (add the articles as seeds)"
            )
            return None
        added = self.store.add_links(source.name, category, rows, self.run_id)
        for link_url, title, decision in rows:
            if decision or (decision is None and link_url not in judged):
                targets.setdefault(link_url, _Target(link_url, category, judge=decision is None, title=title))
        return added

    def _fetch_all(self, source, adapter: ModuleType, targets: dict[str, _Target]) -> None:
        """Fetches the targets with ``crawl.concurrency`` workers, and the attachments of the pages kept."""
        queue = deque(targets.values())
        claimed = set(targets)  # an attachment linked from two pages is fetched once
        total, done = len(queue), 0
        self.progress(source.name, 0, total)
        blocked = False
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="wrqa-fetch") as pool:
            running: set[Future] = set()
            while queue or running:
                while queue and len(running) < self.workers and not self.stop.is_set() and not blocked:
                    target = queue.popleft()
                    with self.lock:
                        state = self.store.state(target.url)
                    stored = state is not None and state.status == "stored"
                    validators = (state.etag, state.last_modified) if stored else (None, None)
                    # A page kept once stays a document: its words are judged only before it is first stored.
                    target = replace(target, judge=target.judge and not stored)
                    running.add(pool.submit(self._fetch, source, adapter, target, *validators))
                if not running:
                    break
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    fetched = future.result()
                    with self.lock:
                        blocked |= self._keep(source, fetched)
                        for attachment in self._attachments(source, fetched, claimed):
                            queue.append(attachment)
                            total += 1
                    done += 1
                    self.progress(source.name, done, total)

    def _fetch(self, source, adapter: ModuleType, target: _Target, etag: str | None,
               last_modified: str | None) -> _Fetched:
        """Runs in a worker thread: fetch, parse (or read an attachment) and compress for the archive, never touch
        the store."""
        url, category = target.url, target.category
        try:
            response = self.client.get(urls.normal(url), etag=etag, last_modified=last_modified,
                                       attachment=target.attachment_of is not None)
            if response.status == 304:
                return _Fetched(target, not_modified=response)
            if target.attachment_of is not None:
                page, reading = read_attachment(response.content, target, source.name, *self.limits)
                return _Fetched(target, (response,), (encode(response, source.name, category),), page, reading)
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
            page = extract.merge(page, *parts) if parts else page
            if target.judge and not kept_after_reading(page):
                return _Fetched(target, tuple(responses), records, unwanted=True)
            found = {link.url: link for r in responses for link in extract.attachments(r.text, r.url,
                                                                                       adapter.ATTACHMENTS)}
            return _Fetched(target, tuple(responses), records, page, attachments=tuple(found.values()))
        except FetchError as error:
            return _Fetched(target, error=error)

    def _keep(self, source, fetched: _Fetched) -> bool:
        """Archives and stores what a worker fetched; True when the source can no longer be crawled this run."""
        counts, target = self.tally.counts, fetched.target
        if fetched.error is not None:
            self.store.record_failure(target.url, source.name, target.category, str(fetched.error),
                                      target.attachment_of)
            self._fail(f"{source.name}: {fetched.error}")
            return isinstance(fetched.error, ChallengeError | UnreachableError)
        if fetched.not_modified is not None:
            self.store.mark_unchanged(target.url, fetched.not_modified.etag, fetched.not_modified.last_modified)
            counts["unchanged"] += 1
            return False
        refs = [self.archive.append(record) for record in fetched.records]
        counts["fetched"] += len(fetched.responses)
        if fetched.unwanted:
            self.store.mark_unwanted(target.url, source.name, target.category, target.title)
            counts["unwanted"] += 1
            return False
        first = fetched.responses[0]
        kept = [link.url for link in fetched.attachments if self._allowed(link.url)]
        outcome = self.store.save(fetched.page, source.name, self.run_id, first.etag, first.last_modified, refs,
                                  attachment_of=target.attachment_of, reading=fetched.reading,
                                  attachments=map(self._key, kept))
        counts[outcome] += 1
        return False

    def _attachments(self, source, fetched: _Fetched, claimed: set[str]) -> list[_Target]:
        """The attachments of a page just stored that are still to fetch this run; one on a host not configured
        is skipped with a message, never fetched."""
        found = []
        for link in fetched.attachments:
            key = self._key(link.url)
            if not self._allowed(key):
                self.tally.counts["skipped"] += 1
                self.tally.notices.append(
                    f"{source.name}: attachment '{link.url}' of '{fetched.page.url}' is not on a configured host; "
                    "skipped, not fetched (add its site to [[sources]] if it is the site's own)")
            elif key not in claimed:
                claimed.add(key)
                found.append(_Target(key, fetched.page.category, attachment_of=fetched.page.url, name=link.title,
                                     page=fetched.page))
        return found

    def _allowed(self, url: str) -> bool:
        """Whether ``url`` is on a host this crawl fetches from."""
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and parts.netloc.lower() in self.client.allowed

    def _fail(self, message: str) -> None:
        with self.lock:
            self.tally.counts["failed"] += 1
            self.tally.messages.append(message)


def read_attachment(data: bytes, target: _Target, site: str, max_bytes: int,
                    max_pages: int) -> tuple[Page, Reading | None]:
    """The page and the reading of an attachment's bytes, read as the same file given to ``wrqa validate``:
    the page's paragraphs are the reader's lines, its title, committee, year and kind those of the file's
    first document. A file no reader can read is kept without text and with the reader's sentence as a
    warning (its bytes are in the archive: ``wrqa reextract`` reads them again, with LibreOffice once installed)."""
    published = target.page.published_at if target.page else None
    try:
        if not data.startswith(READ_MAGIC) and b"%PDF-" not in data[:1024]:
            raise InputError(target.url, f"{target.url}: is no Word, WPS, RTF or PDF file (the server sent "
                                         f"{len(data)} bytes of something else); open the link in a browser")
        reading = reading_of(data, target.url, max_bytes, max_pages)
    except InputError as error:
        title = target.name or target.url.rsplit("/", 1)[-1]
        warning = f"{error}; stored without text, 'wrqa reextract' reads it again from the archive"
        return Page(target.url, site, target.category, title, published, (), warnings=(warning,)), None
    first = next(iter(documents_of(reading, html=False)), None)
    page = Page(
        url=target.url, site=site, category=target.category, title=first.title if first else target.name,
        published_at=published, paragraphs=reading.source.lines, committee=first and first.committee,
        year=first and first.year, kind=first.kind if first else "other",
        meeting_date=first and first.meeting_date, session=first and first.session,
    )
    return page, reading


def _read(adapter: ModuleType, text: str, url: str, site: str, category: str | None,
          warnings: tuple[str, ...] = ()) -> Page:
    """The page ``adapter`` reads off ``text``, with the decoding's ``warnings``, and one more for a title or
    body that is mojibake; a page whose title names no committee but whose title or first paragraphs name a
    street with its congress's deputies or committee is an article of that street (``domain.street_article``)."""
    page = adapter.parse_article(text, url, site, category)
    if page.committee is None and page.kind in ("article", "other"):
        street = domain.street_article(page.title, page.paragraphs, adapter.ANY_STREET)
        if street:
            page = replace(page, committee=street, kind="article")
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
    extraction changed (a better adapter, a better reader of an attachment) gets a new version. Returns counts
    of ``changed``/``unchanged``, and ``missing`` for those without archive or adapter."""
    kinds = {s.name: s.kind for s in config.sources}
    counts = {"changed": 0, "unchanged": 0, "missing": 0}
    folder = config.path_of("store.warc_dir")
    limits = (config["validate.max_file_bytes"], config["validate.max_pages"])
    with Store(config.path_of("store.path")) as store:
        for stored in list(store.stored(source)):
            adapter = ADAPTERS.get(kinds.get(stored.source, ""))
            if adapter is None or not stored.warc:
                counts["missing"] += 1
                continue
            records = [read(folder, name, offset) for name, offset in stored.warc]
            old = stored.page
            reading = None
            if stored.attachment_of is not None:
                target = _Target(old.url, old.category, attachment_of=stored.attachment_of, name=old.title, page=old)
                page, reading = read_attachment(records[0].content, target, old.site, *limits)
            else:
                # The first response is the document, under its key; an older store may spell that otherwise.
                pages = []
                for index, r in enumerate(records):
                    text, warnings = decode(r.content, r.encoding or "utf-8", r.url)
                    pages.append(_read(adapter, text, old.url if index == 0 else r.url, old.site, old.category,
                                       warnings))
                page = extract.merge(pages[0], *pages[1:])
            state = store.state(old.url)
            outcome = store.save(page, stored.source, None, state.etag, state.last_modified, stored.warc,
                                 attachment_of=stored.attachment_of, reading=reading)
            counts["unchanged" if outcome == "unchanged" else "changed"] += 1
    return counts
