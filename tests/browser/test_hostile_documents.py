"""Documents crafted to attack their readers are shown inert: no script runs anywhere."""

import shutil

import pytest
from conftest import serve
from helpers import write_jsonl
from playwright.sync_api import Page, expect

from searchapp.docstore import DocStore
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
    yield from serve(paths)


def test_no_script_runs_in_results_facets_or_documents(page: Page, hostile_server):
    for path in ["/search?q=Kyiv", "/search?q=script", "/search?q=Kyiv&source=" + ATTACKS[0], "/doc/evil0?q=Kyiv",
                 "/entity/place:kyiv",
                 "/doc/evil1?q=onerror", "/doc/evil4"]:
        page.goto(hostile_server + path)
        page.mouse.move(200, 300)
        for link in page.locator("a:not(.skip)").all()[:40]:
            link.hover()
        assert page.evaluate("window.__pwned") is None, path
    page.goto(hostile_server + "/search?q=Kyiv")
    expect(page.locator(".hit h2", has_text="<script>")).to_have_count(1)  # the markup is shown as text
    page.goto(hostile_server + "/doc/evil4")
    assert page.locator("article.document a[rel]").first.get_attribute("href") == "#"  # no javascript: link
