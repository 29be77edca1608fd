"""The docs stay honest: every command has help and is in the README, every rule id and config key too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from validators.catalogue import RULES
from wrqa.cli import main
from wrqa.config import KEYS, SOURCE_KEYS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_opens_with_the_two_commands_a_newcomer_needs():
    first_block = README.split("```")[1]
    assert ["make demo", "make test"] == [line.split("#")[0].strip() for line in first_block.strip().splitlines()]


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help_and_is_in_the_readme(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert (0, True) == (result.exit_code, f"wrqa {command}" in README), result.output
    assert len(main.commands[command].help or "") > 20


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_id_is_documented_with_its_severity(rule):
    assert re.search(rf"^\| `{re.escape(rule)}` \| {RULES[rule].severity.value} \|", README, re.MULTILINE)


@pytest.mark.parametrize("key", [key.name for key in KEYS])
def test_every_config_key_is_in_the_settings_table(key):
    assert f"| `{key}` |" in README


@pytest.mark.parametrize("key", [key.name for key in SOURCE_KEYS])
def test_every_source_key_is_documented(key):
    assert f"| `{key}` |" in README


def test_the_shipped_config_reads_without_error():
    from wrqa.config import load_config

    config = load_config(ROOT / "config.toml")
    assert {"epoint", "hppc"} == {source.kind for source in config.sources}
