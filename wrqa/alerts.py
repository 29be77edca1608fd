"""Alerts about new findings: a JSON POST to a webhook and an e-mail over SMTP, as ``config.toml`` asks.

Which findings alert is decided here (``due``): not waived, at or above ``alerts.min_severity``, and new
since the last run or left unalerted by a delivery that failed. Delivery failures raise ``AlertError``
with one sentence naming the server; the job records them and tries again on its next run.
The webhook goes through ``crawler.http.post_json`` (the one module that speaks HTTP); mail through smtplib.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from validators.records import Severity
from wrqa.history import StoredFinding

MAIL_TIMEOUT = 30.0
MAIL_LISTED = 50  # findings listed in one e-mail; the rest are counted


class AlertError(Exception):
    """An alert that could not be delivered; the message names the webhook or mail server."""


@dataclass(frozen=True)
class Alert:
    """What one run has to say: its ``run_id``, one-line ``summary``, the ``findings`` due and the report."""

    run_id: int
    summary: str
    findings: tuple[StoredFinding, ...]
    report: str | None = None


def due(findings: Iterable[StoredFinding], min_severity: str,
        pending: Iterable[str] = ()) -> list[StoredFinding]:
    """The findings to alert about: unwaived, at or above ``min_severity``, new or still ``pending``."""
    floor = Severity.parse(min_severity)
    waiting = set(pending)
    return [
        finding for finding in findings
        if not finding.waived
        and Severity.parse(finding.severity) >= floor
        and (finding.new or finding.fingerprint in waiting)
    ]


def payload(alert: Alert) -> dict[str, Any]:
    """The JSON body of the webhook POST."""
    return {
        "tool": "wrqa",
        "run_id": alert.run_id,
        "summary": alert.summary,
        "report": alert.report,
        "count": len(alert.findings),
        "findings": [
            {
                "fingerprint": f.fingerprint, "rule": f.rule, "severity": f.severity, "path": f.path,
                "line": f.line, "column": f.column, "message": f.message, "excerpt": f.excerpt,
            }
            for f in alert.findings
        ],
    }


def subject(alert: Alert) -> str:
    errors = sum(1 for f in alert.findings if f.severity == "error")
    return f"wrqa 第{alert.run_id}次运行：{len(alert.findings)} 个新问题（其中 {errors} 个错误）"


def mail_body(alert: Alert) -> str:
    lines = [alert.summary, ""]
    if alert.report:
        lines += [f"报告 / report: {alert.report}", ""]
    for f in alert.findings[:MAIL_LISTED]:
        lines.append(f"{f.path}:{f.line}:{f.column}: {f.severity} [{f.rule}] {f.message}")
        lines.append(f"    「{f.excerpt}」  fingerprint {f.fingerprint}")
    if len(alert.findings) > MAIL_LISTED:
        more = len(alert.findings) - MAIL_LISTED
        lines.append(f"… 另有 {more} 个，见报告 / {more} more in the report")
    return "\n".join(lines) + "\n"


def send_webhook(url: str, alert: Alert, *, user_agent: str, timeout: float) -> None:
    """POST the alert as JSON to ``url``; ``AlertError`` unless the server answers 2xx."""
    from crawler.http import post_json

    try:
        status = post_json(url, payload(alert), user_agent=user_agent, timeout=timeout)
    except Exception as error:  # any transport failure is one undelivered alert, never a crash
        raise AlertError(
            f"The webhook {url} could not be reached ({error}); check 'alerts.webhook_url'"
        ) from None
    if not 200 <= status < 300:
        raise AlertError(
            f"The webhook {url} answered HTTP {status}; check 'alerts.webhook_url' and the receiver"
        )


def send_mail(host: str, port: int, sender: str, recipients: tuple[str, ...], alert: Alert,
              *, timeout: float = MAIL_TIMEOUT) -> None:
    """Send the alert as a UTF-8 e-mail through the SMTP server at ``host``:``port``."""
    message = EmailMessage()
    message["Subject"] = subject(alert)
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message.set_content(mail_body(alert))
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise AlertError(
            f"The mail server {host}:{port} did not take the alert ({error}); check 'alerts.smtp_host'"
        ) from None


def send_alerts(config, alert: Alert) -> tuple[list[str], list[str]]:
    """Deliver ``alert`` on every configured channel: the channels delivered, and the failures' messages."""
    delivered: list[str] = []
    failures: list[str] = []
    if not alert.findings:
        return delivered, failures
    if config["alerts.webhook_url"]:
        try:
            send_webhook(config["alerts.webhook_url"], alert, user_agent=config["crawl.user_agent"],
                         timeout=float(config["crawl.timeout"]))
            delivered.append("webhook")
        except AlertError as error:
            failures.append(str(error))
    if config["alerts.smtp_host"]:
        recipients = tuple(config["alerts.mail_to"])
        if not recipients:
            failures.append("No recipients for the e-mail alert; list them in 'alerts.mail_to'")
        else:
            try:
                send_mail(config["alerts.smtp_host"], config["alerts.smtp_port"], config["alerts.mail_from"],
                          recipients, alert)
                delivered.append("mail")
            except AlertError as error:
                failures.append(str(error))
    return delivered, failures
