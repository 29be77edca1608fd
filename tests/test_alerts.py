"""Alerts: which findings are due, and their delivery to a real webhook and a real SMTP server on loopback."""

from __future__ import annotations

import pytest

from wrqa.alerts import Alert, AlertError, due, send_alerts, send_mail, send_webhook
from wrqa.config import parse_config
from wrqa.history import StoredFinding


def finding(fingerprint: str, severity: str = "error", *, new: bool = True,
            waived: bool = False) -> StoredFinding:
    return StoredFinding(
        source="http://127.0.0.1/zyfb/1.html", fingerprint=fingerprint, rule="placeholder", severity=severity,
        path="http://127.0.0.1/zyfb/1.html", line=12, column=5, message="模板占位符“***”未替换",
        excerpt="人大***街道工委", waived=waived, new=new,
    )


ALERT = Alert(run_id=7, summary="run 7: 2 new findings", findings=(finding("f1"), finding("f2", "warning")),
              report="/tmp/report/index.html")


@pytest.mark.parametrize(
    ("findings", "floor", "pending", "expected"),
    [
        ([finding("a"), finding("b", "warning"), finding("c", "info")], "error", (), ["a"]),
        ([finding("a"), finding("b", "warning"), finding("c", "info")], "warning", (), ["a", "b"]),
        ([finding("a"), finding("b", "warning"), finding("c", "info")], "info", (), ["a", "b", "c"]),
        ([finding("a", waived=True), finding("b")], "info", (), ["b"]),
        ([finding("a", new=False), finding("b", new=False)], "info", ("b",), ["b"]),
    ],
)
def test_due_keeps_new_or_pending_unwaived_findings_at_or_above_the_floor(findings, floor, pending, expected):
    assert expected == [f.fingerprint for f in due(findings, floor, pending)]


def test_the_webhook_receives_the_alert_as_json(webhook):
    url = f"http://127.0.0.1:{webhook.server_port}/hook"
    send_webhook(url, ALERT, user_agent="wrqa-test", timeout=5)
    path, content_type, body = webhook.received[0]
    expected = ("/hook", "application/json", 7, 2, ["f1", "f2"], "人大***街道工委")
    actual = (path, content_type.split(";")[0], body["run_id"], body["count"],
              [f["fingerprint"] for f in body["findings"]], body["findings"][0]["excerpt"])
    assert expected == actual


def test_a_failing_webhook_is_one_sentence_naming_it(webhook):
    url = f"http://127.0.0.1:{webhook.server_port}/broken"
    with pytest.raises(AlertError) as raised:
        send_webhook(url, ALERT, user_agent="wrqa-test", timeout=5)
    expected = f"The webhook {url} answered HTTP 500; check 'alerts.webhook_url' and the receiver"
    assert expected == str(raised.value)


def test_the_mail_reaches_the_smtp_server_with_every_finding(smtp):
    send_mail("127.0.0.1", smtp.port, "wrqa@example.org", ("editor@example.org", "npc@example.org"), ALERT)
    sender, recipients, message = smtp.messages[0]
    body = message.get_content()
    expected = ("wrqa@example.org", ["editor@example.org", "npc@example.org"],
                "wrqa 第7次运行：2 个新问题（其中 1 个错误）", True, True)
    actual = (sender, recipients, str(message["Subject"]), "http://127.0.0.1/zyfb/1.html:12:5: error" in body,
              "fingerprint f2" in body)
    assert expected == actual


def test_an_unreachable_mail_server_is_one_sentence_naming_it(unused_port):
    port = unused_port
    with pytest.raises(AlertError) as raised:
        send_mail("127.0.0.1", port, "wrqa@example.org", ("a@example.org",), ALERT, timeout=2)
    message = str(raised.value)
    assert (True, True) == (message.startswith(f"The mail server 127.0.0.1:{port} did not take the alert"),
                            message.endswith("check 'alerts.smtp_host'"))


def test_send_alerts_uses_every_configured_channel_and_reports_failures(webhook, smtp):
    config = parse_config({"alerts": {
        "webhook_url": f"http://127.0.0.1:{webhook.server_port}/broken",
        "smtp_host": "127.0.0.1", "smtp_port": smtp.port, "mail_to": ["editor@example.org"],
    }})
    delivered, failures = send_alerts(config, ALERT)
    expected = (["mail"], 1, 1, 1)
    assert expected == (delivered, len(failures), len(smtp.messages), len(webhook.received))


def test_nothing_is_sent_when_nothing_is_due(webhook):
    config = parse_config({"alerts": {"webhook_url": f"http://127.0.0.1:{webhook.server_port}/hook"}})
    assert (([], []), []) == (send_alerts(config, Alert(1, "run 1", ())), webhook.received)
