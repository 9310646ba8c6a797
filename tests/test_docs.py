"""The README and --help say what the code does."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.settings import SETTINGS, settings_table

from .conftest import ROOT


def test_readme_settings_table_is_the_declared_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- settings-table -->\n", 1)[1].split("\n<!-- /settings-table -->", 1)[0]
    assert table == settings_table()


def test_readme_opens_with_the_two_commands():
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:400]
    assert "make run" in head and "make test" in head


@pytest.mark.parametrize("command", ["build", "validate", "query", "dump", "demo-data"])
def test_every_command_has_help(command: str):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.output) > 200


def test_build_and_serve_help_list_every_setting_with_its_variable():
    text = "".join(CliRunner().invoke(main, [command, "--help"], terminal_width=200).output for command in ("build", "serve"))
    for setting in SETTINGS:
        assert setting.option in text and setting.env in text


def test_environment_variables_set_the_defaults(monkeypatch: pytest.MonkeyPatch):
    from publisher.settings import load_settings

    settings = load_settings({"PUBLISHER_BASE": "http://env.example/", "PUBLISHER_WORKERS": "3"}, base=None)
    assert (settings.base, settings.workers) == ("http://env.example/", 3)
    assert load_settings({"PUBLISHER_BASE": "http://env.example/"}, base="http://cli.example/").base == "http://cli.example/"
