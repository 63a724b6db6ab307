"""A reader in a real browser: search, narrow by a facet, open a document."""

import re

from playwright.sync_api import Page, expect


def test_search_click_facet_and_open_document(page: Page, live_server):
    page.goto(live_server + "/")
    page.get_by_label("Search the archive").fill("Prigozhin")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=Prigozhin"))
    total = int(page.locator("#total").inner_text())
    assert total >= 3
    # every spelling of the name is searched and highlighted (Prigozhin, Prigożyn, Пригожин)
    expect(page.locator(".hit mark").first).to_have_text(re.compile("Prigo[zż]|Пригожин", re.I))
    expect(page.locator("#expansions")).to_contain_text("Пригожин")

    source = page.locator('[data-facet="source"] a.facet-value', has_text="Atlantic Daily")
    count = int(source.locator(".count").inner_text())
    source.click()
    expect(page).to_have_url(re.compile(r"source=Atlantic\+Daily"))
    expect(page.locator("#total")).to_have_text(str(count))
    expect(page.locator('[data-facet="source"] a.selected')).to_contain_text("Atlantic Daily")
    assert count < total

    page.locator(".hit h2 a").first.click()
    expect(page).to_have_url(re.compile(r"/doc/.+\?q=Prigozhin"))
    expect(page.locator("article.document h1")).to_contain_text("Wagner")
    expect(page.locator("article.document .text mark").first).to_have_text("Prigozhin")


def test_date_histogram_drills_down(page: Page, live_server):
    page.goto(live_server + "/search?q=Kherson")
    expect(page.locator('[data-facet="date"] h3')).to_contain_text("by")
    first_bucket = page.locator(".buckets a").first
    label = first_bucket.inner_text()
    first_bucket.click()
    expect(page).to_have_url(re.compile(r"from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}"))
    for date in page.locator(".hit time").all_inner_texts():
        assert date.startswith(label)


def test_name_autocomplete(page: Page, live_server):
    page.goto(live_server + "/")
    page.get_by_label("Search the archive").type("Prigo", delay=50)
    options = page.locator("#name-suggestions option")
    expect(options.first).to_have_attribute("label", re.compile("Yevgeny Prigozhin"))


def test_did_you_mean_leads_to_results(page: Page, live_server):
    page.goto(live_server + "/search?q=grian%20deal")
    expect(page.locator("#total")).to_have_text("0")
    page.locator("#did-you-mean a").click()
    expect(page).to_have_url(re.compile(r"q=grain\+deal"))
    assert int(page.locator("#total").inner_text()) >= 1
