"""Settings are checked where they are read: type, range and rule ids, each refusal naming the key and the file."""

from __future__ import annotations

import pytest

from validators.records import Severity
from wrqa.config import ConfigError, load_config


def _load(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path, lambda: load_config(path)


@pytest.mark.parametrize(("text", "message"), [
    ("[validate]\nduplicate_threshold = 1.5\n", "'validate.duplicate_threshold' is 1.5; it must be at most 1"),
    ("[validate]\nrate_tolerance = -1\n", "'validate.rate_tolerance' is -1; it must be at least 0"),
    ("[crawl]\nretries = 1000\n", "'crawl.retries' is 1000; it must be at most 20"),
    ("[alerts]\nsmtp_port = 70000\n", "'alerts.smtp_port' is 70000; it must be at most 65535"),
    ("[rules]\nselect = [\"placeholders\"]\n", "'rules.select' names the unknown rule 'placeholders'"),
    ("[rules]\nignore = \"artifact\"\n", "'rules.ignore' must be a list, not 'artifact'"),
    ("[rules]\nseverity = { artifact = \"fatal\" }\n", "'rules.severity': unknown severity 'fatal'"),
    ("[rules]\nseverity = { artefact = \"info\" }\n", "'rules.severity' names the unknown rule 'artefact'"),
    ("[rules.per-path]\n\"drafts/*\" = [\"section-missing\", \"sections\"]\n",
     "'rules.per-path': 'drafts/*' names the unknown rule 'sections'"),
])
def test_a_value_out_of_range_or_an_unknown_rule_is_refused_naming_key_and_file(tmp_path, text, message):
    path, load = _load(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load()
    assert (True, True) == (str(caught.value).startswith(f"{path}: "), message in str(caught.value)), str(caught.value)


def test_the_rules_table_becomes_the_selection_the_command_line_adds_to(tmp_path):
    _, load = _load(tmp_path, "[rules]\nignore = [\"artifact\"]\nseverity = { committee-name = \"info\" }\n"
                              "per-path = { \"drafts/*\" = [\"section-missing\"] }\n")
    selection = load().rule_selection(ignore=["duplicate-report"], severity={"artifact": Severity.ERROR})
    assert (("artifact", "duplicate-report"), {"committee-name": Severity.INFO, "artifact": Severity.ERROR},
            {"drafts/*": ("section-missing",)}) == (selection.ignore, dict(selection.severity), dict(selection.per_path))
    assert (False, True, False) == (selection.judges("artifact"), selection.judges("placeholder"),
                                    selection.reports("section-missing", "drafts/a.txt"))
