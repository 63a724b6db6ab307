"""Documents crafted to attack their readers are shown inert: no script runs anywhere."""

import shutil

import pytest
from conftest import page_in, serve
from helpers import write_jsonl
from playwright.sync_api import expect

from searchapp.docstore import DocStore
from searchapp.names.registry import Registry
from searchapp.pipeline import import_paths

ATTACKS = [
    "<script>window.__pwned = 1</script>",
    "<img src=x onerror=\"window.__pwned = 2\">",
    "\"><svg onload=\"window.__pwned = 3\">",
    "' onmouseover='window.__pwned = 4",
    "javascript:window.__pwned = 5",
]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, seeded_db):
    root = tmp_path_factory.mktemp("hostile")
    paths = {"DB": str(root / "store.db"), "INDEX_DIR": str(root / "index")}
    shutil.copy(seeded_db, paths["DB"])
    records = [{"id": f"evil{i}", "title": f"Kyiv {attack}", "text": f"Kyiv report. {attack}\nMore {attack}",
                "source": attack, "url": "javascript:window.__pwned = 6", "lang": "en", "date": f"2023-01-0{i + 1}"}
               for i, attack in enumerate(ATTACKS)]
    import_paths([str(write_jsonl(root / "evil.jsonl", records))], DocStore(paths["DB"]), paths["INDEX_DIR"])
    registry = Registry(paths["DB"])
    for attack in ATTACKS:  # an archivist's careless (or malicious) spellings show on the entity page
        registry.add_spelling("place:kyiv", f"Kyiv {attack}")
    registry.close()
    yield from serve(paths)


PAGES = ["/search?q=Kyiv", "/search?q=script", "/search?q=Kyiv&source=" + ATTACKS[0], "/doc/evil0?q=Kyiv",
         "/entity/place:kyiv", "/doc/evil1?q=onerror", "/doc/evil4", "/search?q=" + ATTACKS[1],
         "/search?q=Kyiv&from=" + ATTACKS[2], "/language/uk?next=" + ATTACKS[4], "/entity/" + ATTACKS[0]]


@pytest.mark.parametrize("locale", ["en-GB", "uk-UA", "ru-RU"])
def test_no_script_runs_in_results_facets_or_documents(browser, hostile_server, locale):
    with page_in(browser, locale) as page:
        for path in PAGES:
            page.goto(hostile_server + path)
            page.mouse.move(200, 300)
            for link in page.locator("a:not(.skip)").all()[:40]:
                link.hover()
            assert page.evaluate("window.__pwned") is None, path
        page.goto(hostile_server + "/search?q=Kyiv")
        expect(page.locator(".hit h2", has_text="<script>")).to_have_count(1)  # the markup is shown as text
        expect(page.locator('[data-facet="source"] .label', has_text="<img src=x")).to_have_count(1)
        page.goto(hostile_server + "/entity/place:kyiv")
        expect(page.locator(".entity aside dd", has_text="<script>")).to_have_count(1)  # shown, as text
        page.goto(hostile_server + "/doc/evil4")
        assert page.locator("article.document a[rel]").first.get_attribute("href") == "#"  # no javascript: link
        page.goto(hostile_server + "/language/ru?next=" + ATTACKS[4])
        assert page.url == hostile_server + "/"  # the switcher only goes back to this site
        expect(page.locator("html")).to_have_attribute("lang", "ru")
