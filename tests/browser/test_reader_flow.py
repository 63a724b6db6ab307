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
    page.goto(live_server + "/search?q=Lukashenko")  # mentioned from 2020 to 2024
    expect(page.locator('[data-facet="date"] h3')).to_contain_text("by year")
    page.locator('[data-facet="date"] svg a.bar').first.click()  # a bar of the chart, not the list
    expect(page).to_have_url(re.compile(r"from=(\d{4})-01-01&to=\1-12-31"))
    year = re.search(r"from=(\d{4})", page.url).group(1)
    expect(page.locator('[data-facet="date"] h3')).to_contain_text(re.compile("by (month|day)"))
    days = page.locator(".hit time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert days and all(d.startswith(year) for d in days)
    page.locator(".buckets a").first.click()  # one step further down
    expect(page).to_have_url(re.compile(rf"from={year}-\d{{2}}-\d{{2}}&to={year}-\d{{2}}-\d{{2}}"))
    lo, hi = re.search(r"from=([\d-]+)&to=([\d-]+)", page.url).groups()
    days = page.locator(".hit time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert days and all(lo <= d <= hi for d in days) and (lo, hi) != (f"{year}-01-01", f"{year}-12-31")


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


def test_facet_value_search_selects_the_entity_in_any_spelling(page: Page, live_server):
    page.goto(live_server + "/search?q=")
    everything = int(page.locator("#total").inner_text().replace(",", ""))
    page.locator("#find-person").fill("Лукашэнка")  # Belarusian Cyrillic, not shown in the facet list
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"person=person%3A"))
    selected = page.locator('[data-facet="person"] a.selected')
    expect(selected).to_contain_text("Alexander Lukashenko")
    assert int(page.locator("#total").inner_text()) == int(selected.locator(".count").inner_text()) < everything
    page.locator("#find-person").fill("Nobody Atall")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("No person is known by the name 'Nobody Atall'")


def test_entity_page_draws_mentions_per_month_and_links_to_them(page: Page, live_server):
    page.goto(live_server + "/search?q=Tsikhanouskaya")
    page.locator(".hit h2 a").first.click()
    page.locator("article.document dd").get_by_role("link", name="Sviatlana Tsikhanouskaya").click()
    expect(page).to_have_url(re.compile(r"/entity/person"))
    expect(page.locator("article.entity h1")).to_contain_text("Sviatlana Tsikhanouskaya")
    bars = page.locator(".timeline svg a.bar rect")
    heights = bars.evaluate_all("els => els.map(e => e.getBBox().height)")
    boxes = bars.evaluate_all("els => els.map(e => [e.getBBox().x, e.getBBox().width])")
    assert len(heights) >= 2 and all(h > 0 for h in heights)  # a real chart, drawn
    steps = [b[0] - a[0] for a, b in zip(boxes, boxes[1:], strict=False)]
    assert min(steps) > 0 and max(steps) > 2 * boxes[0][1]  # months without mentions are gaps: a time axis
    expect(page.locator(".entity aside")).to_contain_text("Ціханоўская")  # spellings by script and system
    expect(page.locator(".entity .passage mark").first).to_be_visible()
    busiest = max(range(len(heights)), key=heights.__getitem__)
    page.locator(".timeline svg a.bar").nth(busiest).click()
    expect(page).to_have_url(re.compile(r"/search\?person=person%3A[^&]+&from=(\d{4}-\d{2})&to=\1"))
    assert int(page.locator("#total").inner_text()) >= 1


def test_the_interface_switches_to_ukrainian_and_stays(page: Page, live_server):
    page.goto(live_server + "/search?q=Lukashenko")
    page.locator("nav.ui-languages a", has_text="Українська").click()
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page).to_have_url(re.compile(r"/search\?q=Lukashenko$"))
    expect(page.get_by_label("Пошук в архіві")).to_have_value("Lukashenko")
    expect(page.locator('[data-facet="person"] h3')).to_have_text("Особи")
    expect(page.locator('[data-facet="person"]')).to_contain_text("Олександр Лукашенко")
    expect(page.locator("#expansions")).to_contain_text("Шукали також:")
    dates = page.locator(".hit time").all_inner_texts()
    assert dates and all(re.fullmatch(r"\d{1,2} [а-яєіїʼ’]+ \d{4}\s?р\.", d) for d in dates)
    page.locator(".hit h2 a").first.click()  # remembered on the next page
    expect(page.get_by_role("link", name="← Назад до результатів")).to_be_visible()
    page.goto(live_server + "/")
    expect(page.get_by_role("button", name="Шукати")).to_be_visible()
    page.locator("nav.ui-languages a", has_text="English").click()
    expect(page.get_by_role("button", name="Search")).to_be_visible()


def test_keyboard_and_phone_width(page: Page, live_server):
    """The skip link comes first; the search page and an entity page fit a 390 px phone screen."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/search?q=Kyiv")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
    for path in ("/search?q=Kyiv", "/entity/place:kyiv"):
        page.goto(live_server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px on a phone"
