"""``wrqa rules``, ``wrqa explain ID`` and ``wrqa waive``: the catalogue read aloud, and a baseline of waivers.

``rules`` and ``explain`` read ``validators.catalogue`` and nothing else; ``explain`` judges the rule's
own examples to show the finding it makes. ``waive`` writes the waivers file for the findings of a results
file, never twice for one fingerprint, by a temporary file renamed into place.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from pathlib import Path

import click

from wrqa.commands import config_option, fail, main, read_config


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="A line a rule, JSON, or the README's Markdown table.")
def rules(output_format) -> None:
    """List every rule: its id, default severity, Chinese name and what it catches."""
    from reports.rules import rules_table
    from validators.catalogue import RULES

    if output_format == "markdown":
        click.echo(rules_table(), nl=False)
        return
    if output_format == "json":
        click.echo(json.dumps([
            {"id": rule.id, "severity": rule.severity.value, "name": rule.name, "explanation": rule.explanation,
             "catches": rule.catches, "silent_on": rule.silent_on, "kinds": list(rule.kinds) if rule.kinds else None}
            for rule in RULES.values()], ensure_ascii=False, indent=2))
        return
    width = max(len(rule_id) for rule_id in RULES)
    for rule in RULES.values():
        click.echo(f"{rule.id:<{width}}  {rule.severity.value:<7}  {rule.name}  {rule.explanation}")


def _examples(texts) -> list[str]:
    return [texts] if isinstance(texts, str) else list(texts)


def _judged(texts: list[str], rule_id: str) -> list:
    from crawler.files import source_from_text
    from crawler.normalize import documents_from_source
    from validators import validate

    documents = [document for number, text in enumerate(texts)
                 for document in documents_from_source(source_from_text(f"例{number + 1}", text))]
    last = f"例{len(texts)}"
    return [f for f in validate(documents).findings if f.rule == rule_id and f.path == last]


@main.command()
@click.argument("rule_id", metavar="ID")
def explain(rule_id) -> None:
    """Explain rule ID: what it catches and stays silent on, with a text it flags and one it leaves alone."""
    from validators.catalogue import RULES

    if rule_id not in RULES:
        fail(f"unknown rule '{rule_id}'; 'wrqa rules' lists them: {', '.join(RULES)}")
    rule = RULES[rule_id]
    click.echo(f"{rule.id} ({rule.name}), {rule.severity.value} by default")
    click.echo(f"  {rule.explanation}")
    click.echo(f"  Catches: {rule.catches}")
    click.echo(f"  Silent on: {rule.silent_on}")
    click.echo(f"  Applies to: {', '.join(rule.kinds) if rule.kinds else 'every kind of document'}")
    for heading, texts in (("Flags", _examples(rule.example)), ("Leaves alone", _examples(rule.counter_example))):
        click.echo(f"\n{heading}:")
        for number, text in enumerate(texts, start=1):
            if len(texts) > 1:
                click.echo(f"  例{number}:")
            for line in text.rstrip("\n").split("\n"):
                click.echo(f"    {line}")
        for finding in _judged(texts, rule.id):
            click.echo(f"  → {finding.path}:{finding.line}:{finding.column}: {finding.message}")


@main.command()
@click.argument("results", type=click.Path(dir_okay=False))
@click.option("--reason", required=True, help="Why these findings are accepted, for the next reader.")
@click.option("--expires", required=True, metavar="YYYY-MM-DD", help="The last day the waivers apply.")
@click.option("--rule", "rules_", multiple=True, metavar="ID", help="Waive only findings of this rule (repeatable).")
@click.option("--waivers", "waivers_path", type=click.Path(dir_okay=False), default=None,
              help="The waivers file to add to [default: waivers.path].")
@config_option
def waive(results, reason, expires, rules_, waivers_path, config_path) -> None:
    """Add a waiver for each finding of RESULTS (the JSON 'wrqa validate --format json' wrote) to the waivers file.

    A baseline: findings already waived are not waived twice; the file keeps what it held.
    """
    from wrqa.cli_report import read_results
    from wrqa.waivers import WaiverError, load_waivers

    config = read_config(config_path)
    try:
        last_day = date.fromisoformat(expires)
    except ValueError:
        fail(f"--expires {expires!r}: write the last day the waivers apply as 2027-06-30")
    if not reason.strip():
        fail("--reason: say why these findings are accepted")
    target = Path(waivers_path) if waivers_path else config.path_of("waivers.path") if config["waivers.path"] else None
    if target is None:
        fail("no waivers file: give --waivers FILE, or set waivers.path in the config")
    run = read_results(results, "RESULTS")
    try:
        known = {waiver.fingerprint for waiver in load_waivers(target)} if target.exists() else set()
    except WaiverError as error:
        fail(str(error))
    fresh: dict[str, object] = {}
    for finding in run.findings:
        if rules_ and finding.rule not in rules_:
            continue
        if finding.fingerprint and finding.fingerprint not in known:
            fresh.setdefault(finding.fingerprint, finding)
    if fresh:
        _append(target, fresh, reason.strip(), last_day)
    click.echo(f"{len(fresh)} finding(s) waived in {target} until {last_day}"
               + (f"; {len(known & {f.fingerprint for f in run.findings})} already were" if known else ""))


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def _append(target: Path, findings: dict, reason: str, last_day: date) -> None:
    """Add a ``[[waiver]]`` table a finding to ``target``, replacing the file by rename."""
    try:
        before = target.read_text(encoding="utf-8") if target.exists() else ""
    except OSError as error:
        fail(f"{target}: cannot read the waivers file ({error.strerror})")
    tables = [before.rstrip("\n") + "\n"] if before.strip() else []
    for fingerprint, finding in findings.items():
        tables.append(f"\n# {finding.path}:{finding.line}:{finding.column} {finding.rule} 「{finding.excerpt[:40]}」\n"
                      f"[[waiver]]\nfingerprint = {_toml_string(fingerprint)}\nreason = {_toml_string(reason)}\n"
                      f"expires = {last_day.isoformat()}\n")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write("".join(tables))
        os.replace(temporary, target)
    except OSError as error:
        fail(f"{target}: cannot write the waivers file ({error.strerror})")
