"""The interface in English, Ukrainian and Russian: complete catalogs, the language chosen from the
browser or the switcher, dates, numbers, language names and entity labels in the reader's language."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import render_template_string
from helpers import PASSWORD, add_accounts, csrf_token

import searchapp

ROOT = Path(searchapp.__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "searchapp" / "translations"
LOCALES = ("uk", "ru")
# gettext's names and ours, as KEYWORDS in the Makefile's `messages` target
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "ParamError": None, "Message": None}


def _source_messages() -> set[str | tuple[str, str]]:
    """Every translatable string in the code and templates, found as `make messages` finds them."""
    with open(ROOT / "babel.cfg") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, options_map,
                                                                       keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("locale", LOCALES)
def test_every_interface_string_is_translated(locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh, locale=locale)
    source = _source_messages()
    assert len(source) > 150  # the extraction itself works
    translated = {m.id if isinstance(m.id, str) else tuple(m.id): m for m in catalog if m.id}
    missing = [m for m in source if m not in translated]
    assert not missing, f"not in the {locale} catalog (run make messages and translate): {missing}"
    empty = [k for k, m in translated.items() if k in source and (m.fuzzy or not all(
        m.string if isinstance(m.string, tuple) else (m.string,)))]
    assert not empty, f"untranslated or fuzzy in {locale}: {empty}"
    problems = [(m.id, errors) for m, errors in catalog.check()]  # placeholders kept, plural forms complete
    assert not problems


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogs_match_their_sources(locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh, locale=locale)
    compiled = Translations.load(str(TRANSLATIONS), [locale])
    assert isinstance(compiled, Translations), "compile the catalogs: make install"
    for message in catalog:
        if message.id and isinstance(message.id, str):
            assert compiled.gettext(message.id) == message.string, "stale .mo: make install"


@pytest.mark.parametrize(("header", "expected", "search_label"), [
    ("uk-UA,uk;q=0.9,en;q=0.5", "uk", "Пошук в архіві"),
    ("ru,en;q=0.5", "ru", "Поиск по архиву"),
    ("de-DE,de;q=0.9", "en", "Search the archive"),
    ("", "en", "Search the archive"),
])
def test_the_browser_language_chooses_the_interface(client, header, expected, search_label):
    r = client.get("/search?q=Lukashenko", headers={"Accept-Language": header} if header else {})
    html = r.get_data(as_text=True)
    assert f'<html lang="{expected}">' in html and search_label in html
    assert r.headers["Content-Language"] == expected
    assert {"Accept-Language", "Cookie"} <= set(r.vary)


def test_the_switcher_is_remembered_over_the_browser_language(app):
    client = app.test_client()
    r = client.get("/language/ru?next=/search%3Fq%3DKyiv")
    assert r.status_code == 302 and r.headers["Location"] == "/search?q=Kyiv"
    assert "Max-Age=31536000" in r.headers["Set-Cookie"]
    later = client.get("/doc/nope", headers={"Accept-Language": "uk"})
    assert "Нет документа с идентификатором «nope»" in later.get_data(as_text=True)
    switched = client.get("/language/en?next=https://evil.example/")
    assert switched.headers["Location"] == "/"
    assert client.get("/language/xx").status_code == 404


def test_a_ukrainian_page_has_ukrainian_labels_dates_and_names(client):
    uk = {"Accept-Language": "uk"}
    html = client.get("/search?q=Lukashenko&from=2020-08&to=2020-08", headers=uk).get_data(as_text=True)
    text = _text(html)
    for label in ("Джерело", "Мова", "Особи", "Місця", "Сортувати:", "Шукали також:", "документ"):
        assert label in text
    assert "Олександр Лукашенко" in text  # the entity's Ukrainian label, in facets and expansions
    assert re.search(r"\d+ серпня 2020 р\.", text)  # a hit's date, written the Ukrainian way
    assert "Англійська" in text or "Російська" in text  # language facet in Ukrainian
    for english in ("Source", "People", "Also searched", "Sort:", "Date unknown", "relevance"):
        assert english not in text


def test_numbers_and_months_follow_the_locale(client):
    """Histogram buckets are month names; thousands are grouped the locale's way."""
    html = client.get("/search?q=&from=2023-01&to=2023-12", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "по месяцам" in html and re.search(r"(январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь"
                                              r"|ноябрь|декабрь)\s2023\sг\.", html)
    with client.application.test_request_context(headers={"Accept-Language": "uk"}):

        assert render_template_string("{{ 1234567 | number }}") == "1\xa0234\xa0567"
        assert render_template_string("{{ '2024-02' | local_date }}") == "лютий 2024\u202fр."


def test_errors_are_translated_on_pages_but_english_in_the_api(client):
    page = client.get("/search?q=Kyiv&from=2024-99", headers={"Accept-Language": "uk"})
    assert page.status_code == 400
    assert "«2024-99» — це не дата" in page.get_data(as_text=True)
    api = client.get("/api/search?q=Kyiv&from=2024-99", headers={"Accept-Language": "uk"})
    assert api.status_code == 400 and api.get_json()["error"].startswith("'2024-99' is not a date")


def test_notices_and_match_kinds_are_translated(client):
    html = client.get("/search?q=the+Lukashenka", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Частые слова не учтены в поиске: the" in html
    assert "(известное написание)" in html


def test_upload_results_are_told_in_the_archivists_language(fresh, make_app):
    add_accounts(fresh["DB"])
    client = make_app(fresh).test_client()
    uk = {"Accept-Language": "uk"}
    client.post("/login", data={"username": "ada", "password": PASSWORD, "csrf_token": csrf_token(client, "/login")})
    r = client.post("/upload", headers=uk, content_type="multipart/form-data",
                    data={"csrf_token": csrf_token(client, "/upload"), "file": [(io.BytesIO(b""), "empty.txt")]})
    assert r.status_code == 422
    assert "помилка: файл порожній" in _text(r.get_data(as_text=True))
