"""The configuration: ``config.toml`` read once, at the edge, into a frozen and validated ``Config``.

Every key has a default and a one-line help in ``KEYS``, the one table of settings (the README's
table is tested against it). A bad key or value raises ``ConfigError`` naming the key and the file.
Nothing here reads configuration at import time.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file, the key and the fix."""


@dataclass(frozen=True)
class Key:
    """One setting: its dotted name, default, accepted type(s) and a one-line help."""

    name: str
    default: Any
    types: tuple[type, ...]
    help: str
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    parse: Callable[[Any, str], Any] | None = None


def _rule_ids(ids: Any, where: str) -> tuple[str, ...]:
    """Rule ids, each known to the catalogue."""
    from validators.catalogue import RULES

    if isinstance(ids, str) or not all(isinstance(rule, str) for rule in ids):
        raise ConfigError(f"{where} must be a list of rule ids such as [\"placeholder\"]")
    unknown = [rule for rule in ids if rule not in RULES]
    if unknown:
        raise ConfigError(f"{where} names the unknown rule '{unknown[0]}'; 'wrqa rules' lists them: {', '.join(RULES)}")
    return tuple(ids)


def _severities(table: dict[str, Any], where: str) -> dict[str, Any]:
    """Rule id → severity, both known."""
    from validators.records import Severity

    _rule_ids(list(table), where)
    try:
        return {rule: Severity.parse(value) if isinstance(value, str) else Severity.parse(repr(value))
                for rule, value in table.items()}
    except ValueError as error:
        raise ConfigError(f"{where}: {error}") from None


def _per_path(table: dict[str, Any], where: str) -> dict[str, tuple[str, ...]]:
    """Glob → rule ids not reported for the files it matches."""
    return {glob: _rule_ids(ids, f"{where}: '{glob}'") for glob, ids in table.items()}


KEYS: tuple[Key, ...] = (
    Key("validate.max_file_bytes", 20 * 1024 * 1024, (int,), "Largest input file read, in bytes.", minimum=1),
    Key("validate.max_pages", 2000, (int,), "Most pages read from a PDF; a longer one is refused before it is read.",
        minimum=1, maximum=1_000_000),
    Key("validate.fail_on", "error", (str,), "Lowest severity that makes the exit code 1.",
        choices=("info", "warning", "error", "never")),
    Key("validate.suite", "auto", (str,),
        "Which engines judge: auto (pandera, plus GX for batches), pandera, or gx (both).",
        choices=("auto", "pandera", "gx")),
    Key("validate.duplicate_threshold", 0.8, (float, int),
        "Shingle similarity at or above which two documents are near-copies.", minimum=0, maximum=1),
    Key("validate.rate_tolerance", 1.0, (float, int),
        "Percentage points a stated share may differ from part/whole before it is flagged.", minimum=0,
        maximum=100),
    Key("validate.trend_factor", 5.0, (float, int),
        "How many times larger or smaller a committee's count may be than in its previous report before it is "
        "flagged.", minimum=1.1, maximum=1000),
    Key("store.path", "var/wrqa.sqlite3", (str,), "SQLite store of documents, crawl state and runs."),
    Key("store.warc_dir", "var/warc", (str,), "Folder of the compressed WARC files of every response."),
    Key("report.dir", "out/report", (str,), "Folder the HTML data-quality report is written to."),
    Key("report.page_size", 200, (int,), "Documents per page of the report's document table.", minimum=1,
        maximum=100_000),
    Key("report.late_after_days", 30, (int,),
        "Days after its meeting an annual report may be published before the coverage calls it late.", minimum=0,
        maximum=3650),
    Key("crawl.user_agent", "wrqa/0.1 (+data-quality crawler of street NPC committee reports)", (str,),
        "User-Agent sent with every request."),
    Key("crawl.delay", 2.0, (float, int), "Seconds to pause between requests to the same host.", minimum=0,
        maximum=3600),
    Key("crawl.timeout", 20.0, (float, int),
        "Seconds a server may stay silent (to connect, between bytes) before a request times out.", minimum=0.1,
        maximum=600),
    Key("crawl.max_page_seconds", 30.0, (float, int),
        "Longest a request may take in all, connect to last byte; a slower page is left for the next run.",
        minimum=0.1, maximum=3600),
    Key("crawl.retries", 3, (int,), "Retries of a request after a timeout, a reset or a 5xx.", minimum=0,
        maximum=20),
    Key("crawl.max_page_bytes", 5 * 1024 * 1024, (int,), "Largest response body kept, after decompression.",
        minimum=1024),
    Key("crawl.max_attachment_bytes", 20 * 1024 * 1024, (int,),
        "Largest attachment (.docx, .pdf, .doc) fetched from a wanted page, after decompression.", minimum=1024,
        maximum=512 * 1024 * 1024),
    Key("crawl.concurrency", 1, (int,), "Requests under way at once per host.", minimum=1, maximum=64),
    Key("crawl.max_list_pages", 50, (int,), "Most list pages read per list and run.", minimum=1),
    Key("crawl.obey_robots", True, (bool,), "Honour robots.txt."),
    Key("crawl.backoff", 1.0, (float, int), "Seconds of the first pause before a retry; doubled each time.",
        minimum=0),
    Key("crawl.max_retry_after", 300.0, (float, int),
        "Longest Retry-After obeyed, in seconds; a longer one leaves the page for the next run.", minimum=0),
    Key("crawl.repeat_every", 0, (int, float),
        "Seconds between passes of 'wrqa crawl' without --once; 0 for a single pass.", minimum=0),
    Key("schedule.cron", "30 6 * * *", (str,), "When the daemon runs the main job (crontab syntax)."),
    Key("schedule.timezone", "Asia/Shanghai", (str,), "Timezone of the cron schedule."),
    Key("schedule.misfire_grace", 3600, (int,), "Seconds a late run may still start.", minimum=1),
    Key("alerts.min_severity", "error", (str,), "Lowest severity of a new finding that alerts.",
        choices=("info", "warning", "error")),
    Key("alerts.webhook_url", "", (str,), "URL a JSON alert is POSTed to; empty for none."),
    Key("alerts.smtp_host", "", (str,), "SMTP server for e-mail alerts; empty for none."),
    Key("alerts.smtp_port", 25, (int,), "SMTP server port.", minimum=1, maximum=65535),
    Key("alerts.mail_from", "wrqa@localhost", (str,), "Sender of e-mail alerts."),
    Key("alerts.mail_to", [], (list,), "Recipients of e-mail alerts."),
    Key("waivers.path", "", (str,), "TOML file of waived finding fingerprints; empty for none."),
    Key("rules.select", [], (list,), "Rule ids judged; empty: every rule ('wrqa rules' lists them).",
        parse=_rule_ids),
    Key("rules.ignore", [], (list,), "Rule ids not judged, even when selected.", parse=_rule_ids),
    Key("rules.severity", {}, (dict,), "A severity per rule id instead of its default: { committee-name = \"info\" }.",
        parse=_severities),
    Key("rules.per-path", {}, (dict,), "Rule ids not reported for files whose path matches a glob: "
        "{ \"drafts/*\" = [\"section-missing\"] }.", parse=_per_path),
)

SOURCE_KEYS: tuple[Key, ...] = (
    Key("name", None, (str,), "Short unique name of the source."),
    Key("kind", None, (str,), "Site adapter: epoint (district site) or hppc (provincial site).",
        choices=("epoint", "hppc")),
    Key("base_url", None, (str,), "Scheme and host of the site, e.g. http://wcrd.wuchang.gov.cn."),
    Key("lists", [], (list,), "List pages to start from, relative to base_url; paged by the adapter."),
    Key("seeds", [], (list,), "Article URLs to fetch directly."),
    Key("include", "", (str,), "Regular expression a title must match; empty: street-committee documents."),
)

_BY_NAME = {key.name: key for key in KEYS}
_SOURCE_BY_NAME = {key.name: key for key in SOURCE_KEYS}


@dataclass(frozen=True)
class Source:
    """A site to crawl: the ``[[sources]]`` table's keys, validated."""

    name: str
    kind: str
    base_url: str
    lists: tuple[str, ...] = ()
    seeds: tuple[str, ...] = ()
    include: str = ""


@dataclass(frozen=True)
class Config:
    """The validated settings: ``values`` by dotted key, ``sources`` in file order, ``path`` it came from.

    Relative paths in values are resolved against the config file's folder by ``path_of``.
    """

    values: dict[str, Any] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    path: Path | None = None

    def __getitem__(self, name: str) -> Any:
        if name not in _BY_NAME:
            raise KeyError(name)
        return self.values.get(name, _BY_NAME[name].default)

    def rule_selection(self, select=(), ignore=(), severity=None, per_path=None):
        """The ``validators.plan.RuleSelection`` of ``[rules]``, with the command line's choices on top:
        ``select`` replaces the configured selection when given; the others add to what is configured."""
        from validators.plan import RuleSelection

        return RuleSelection(
            select=tuple(select) or tuple(self["rules.select"]),
            ignore=(*self["rules.ignore"], *ignore),
            severity={**self["rules.severity"], **(severity or {})},
            per_path={**self["rules.per-path"], **(per_path or {})},
        )

    def report_settings(self) -> dict[str, Any]:
        """The settings every HTML report is written with (``reports.html.write_report``'s keywords)."""
        from reports.words import site_names

        return {"page_size": self["report.page_size"], "timezone": self["schedule.timezone"],
                "sites": site_names(self.sources), "late_after_days": self["report.late_after_days"]}

    def path_of(self, name: str) -> Path:
        """The setting ``name`` as a path, relative ones taken from the config file's folder."""
        value = Path(self[name])
        base = self.path.parent if self.path else Path.cwd()
        return value if value.is_absolute() else base / value


def _check(key: Key, value: Any, where: str) -> Any:
    if isinstance(value, bool) and bool not in key.types:
        raise ConfigError(f"{where}: '{key.name}' must be {_type_name(key)}, not {value!r}")
    if not isinstance(value, key.types):
        raise ConfigError(f"{where}: '{key.name}' must be {_type_name(key)}, not {value!r}")
    if key.choices and value not in key.choices:
        choices = ", ".join(str(choice) for choice in key.choices)
        raise ConfigError(f"{where}: '{key.name}' is {value!r}; use one of {choices}")
    if key.minimum is not None and value < key.minimum:
        raise ConfigError(f"{where}: '{key.name}' is {value!r}; it must be at least {key.minimum}")
    if key.maximum is not None and value > key.maximum:
        raise ConfigError(f"{where}: '{key.name}' is {value!r}; it must be at most {key.maximum}")
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{where}: '{key.name}' must be a list of strings")
        value = tuple(value)
    return key.parse(value, f"{where}: '{key.name}'") if key.parse else value


def _type_name(key: Key) -> str:
    names = {int: "a whole number", float: "a number", str: "a string", bool: "true or false", list: "a list",
             dict: "a table such as { placeholder = \"error\" }"}
    return " or ".join(dict.fromkeys(names[t] for t in key.types))


def _source(table: Any, index: int, where: str) -> Source:
    label = f"{where}: [[sources]] #{index + 1}"
    if not isinstance(table, dict):
        raise ConfigError(f"{label} must be a table")
    unknown = sorted(set(table) - set(_SOURCE_BY_NAME))
    if unknown:
        raise ConfigError(f"{label} has unknown key '{unknown[0]}'; known keys: {', '.join(_SOURCE_BY_NAME)}")
    values = {}
    for key in SOURCE_KEYS:
        if key.name not in table:
            if key.default is None:
                raise ConfigError(f"{label} lacks '{key.name}' ({key.help})")
            values[key.name] = tuple(key.default) if isinstance(key.default, list) else key.default
            continue
        values[key.name] = _check(key, table[key.name], label)
    if not values["base_url"].startswith(("http://", "https://")):
        raise ConfigError(f"{label}: 'base_url' is {values['base_url']!r}; write it as http://host")
    values["base_url"] = values["base_url"].rstrip("/")
    return Source(**values)


def parse_config(data: dict[str, Any], path: Path | None = None) -> Config:
    """The validated ``Config`` of a parsed TOML document ``data`` read from ``path``."""
    where = str(path) if path else "config"
    values: dict[str, Any] = {}
    for section, table in data.items():
        if section == "sources":
            continue
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: '{section}' must be a table such as [{section}]")
        for name, value in table.items():
            dotted = f"{section}.{name}"
            if dotted not in _BY_NAME:
                raise ConfigError(f"{where}: unknown key '{dotted}'; see the settings table in the README")
            values[dotted] = _check(_BY_NAME[dotted], value, where)
    sources_data = data.get("sources", [])
    if not isinstance(sources_data, list):
        raise ConfigError(f"{where}: 'sources' must be written as [[sources]] tables")
    sources = tuple(_source(table, index, where) for index, table in enumerate(sources_data))
    names = [source.name for source in sources]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise ConfigError(f"{where}: two [[sources]] are named '{duplicated[0]}'; give each a unique name")
    return Config(values=values, sources=sources, path=path)


def read_toml(path: Path, what: str, missing: str, error: type[Exception]) -> dict[str, Any]:
    """The TOML document in the file at ``path``; ``error`` naming the file (``what`` it is) if it cannot be read.

    ``missing`` is the fix to suggest when the file does not exist.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: no such {what}; {missing}") from None
    except OSError as failure:
        raise error(f"{path}: cannot read the {what} ({failure.strerror})") from None
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise error(f"{path}: the {what} is not UTF-8; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as failure:
        raise error(f"{path}: not valid TOML ({failure})") from None


def load_config(path: str | Path | None) -> Config:
    """The ``Config`` read from ``path``; with None, the defaults (and no sources)."""
    if path is None:
        return Config()
    path = Path(path)
    data = read_toml(path, "config file", "pass --config with an existing file", ConfigError)
    return parse_config(data, path)
