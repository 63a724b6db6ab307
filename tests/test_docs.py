"""The README documents every setting and every search parameter."""

from pathlib import Path

import pytest

from searchapp.search.params import FILTER_PARAMS
from searchapp.settings import SETTINGS, load

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_with_its_help(setting):
    assert f"`SEARCHAPP_{setting.name}`" in README
    assert setting.help in README


@pytest.mark.parametrize("param", [*FILTER_PARAMS, "q", "from", "to", "sort", "page", "expand", "more"])
def test_every_search_parameter_is_documented(param):
    assert f"`{param}`" in README


def test_settings_come_from_the_environment_then_overrides():
    config = load({"PER_PAGE": 5}, environ={"SEARCHAPP_PER_PAGE": "20", "SEARCHAPP_DB": "/tmp/x.db"})
    assert config["PER_PAGE"] == 5 and config["DB"] == "/tmp/x.db"
    assert load(environ={"SEARCHAPP_PER_PAGE": "20"})["PER_PAGE"] == 20
