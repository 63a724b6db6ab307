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


def test_back_to_results_returns_to_the_same_filtered_sorted_page(page: Page, live_server):
    page.goto(live_server + "/search?q=Lukashenko")
    page.locator('[data-facet="person"] a.facet-value', has_text="Alexander Lukashenko").click()
    page.locator("nav.sort a", has_text="oldest").click()
    page.locator('.pager a[rel="next"]').click()
    expect(page).to_have_url(re.compile(r"person=person%3Aalexander-lukashenko.*sort=date.*page=2"))
    search_url, total = page.url, page.locator("#total").inner_text()
    titles = page.locator(".hit h2 a").all_inner_texts()
    page.locator(".hit h2 a").first.click()
    expect(page).to_have_url(re.compile(r"/doc/[^?]+\?q=Lukashenko&back="))
    expect(page.locator("article.document .text mark").first).to_be_visible()  # the query still highlights
    page.get_by_role("link", name="← Back to results").click()
    expect(page).to_have_url(search_url)
    expect(page.locator('[data-facet="person"] a.selected')).to_contain_text("Alexander Lukashenko")
    expect(page.locator("#total")).to_have_text(total)
    assert page.locator(".hit h2 a").all_inner_texts() == titles  # the same page, in the same order
    chip = page.locator("#active-filters a.chip")
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text("Alexander Lukashenko")
    chip.click()  # the filter is removed, the sort kept, back to the first page
    expect(page).to_have_url(re.compile(r"/search\?q=Lukashenko&sort=date$"))
    expect(page.locator('[data-facet="person"] a.selected')).to_have_count(0)


def test_on_a_phone_the_filters_come_first_folded_and_on_a_desktop_they_are_open(page: Page, live_server):
    fold = page.locator("details.facets-fold > summary")
    source = page.locator('[data-facet="source"] a.facet-value').first
    first_hit = page.locator(".hit").first
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/search?q=Kyiv&lang=en")
    expect(fold).to_be_visible()
    expect(fold).to_contain_text("Filters (1)")
    expect(source).to_be_hidden()  # folded: the results are one screen down, not ten
    assert fold.bounding_box()["y"] < first_hit.bounding_box()["y"]
    fold.click()
    expect(source).to_be_visible()
    facets, hit = page.locator("aside.facets").bounding_box(), first_hit.bounding_box()
    assert facets["y"] + facets["height"] <= hit["y"]  # the filters come before the first result
    source.click()  # and work
    expect(page).to_have_url(re.compile(r"&source="))

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/search?q=Kyiv&lang=en")
    expect(fold).to_be_hidden()
    expect(source).to_be_visible()  # without a click
    assert page.locator("aside.facets").bounding_box()["x"] + 100 < first_hit.bounding_box()["x"]  # beside results
    page.locator("#find-place").fill("Київ")
    page.keyboard.press("Enter")
    expect(page.locator('[data-facet="place"] a.selected')).to_contain_text("Kyiv")


# Where each visible text of a chart is drawn, and the lowest bottom of its bars (issue 17).
CHART_LAYOUT = """chart => {
  const box = e => { const b = e.getBoundingClientRect();
    return {text: e.textContent, left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
  const shown = sel => [...chart.querySelectorAll(sel)].filter(e => getComputedStyle(e).display !== 'none').map(box);
  return {labels: shown('.labels text'), counts: shown('.counts text, .undated text'),
          bars: Math.max(...[...chart.querySelectorAll('a.bar rect')].map(e => box(e).bottom)),
          plot: box(chart.querySelector('svg.plot'))};
}"""


def _open_filters(page: Page) -> None:
    """On a phone the filters (and the date chart) are folded away until opened."""
    fold = page.locator("details.facets-fold > summary")
    if fold.count() and fold.is_visible():
        fold.click()


def test_chart_labels_sit_under_the_bars_and_never_overlap_on_desktop_and_phone(page: Page, live_server):
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in ("/search?q=Lukashenko", "/search?q=&from=2022-01&to=2022-12",  # by year, by month
                     "/search?q=&from=2022-02-01&to=2022-03", "/entity/place:kyiv",  # by day, a timeline
                     "/entity/person:alexander-lukashenko"):
            page.goto(live_server + path)
            _open_filters(page)
            chart = page.locator(".histogram .chart").first
            expect(chart).to_be_visible()
            layout = chart.evaluate(CHART_LAYOUT)
            labels, texts = layout["labels"], layout["labels"] + layout["counts"]
            where = f"{path} at {width} px"
            assert len(labels) >= 3 and layout["counts"], f"labels and counts on {where}"
            for i, a in enumerate(texts):
                for b in texts[i + 1:]:
                    assert not (a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"]
                                and b["top"] < a["bottom"]), f"{a['text']!r} overlaps {b['text']!r} on {where}"
            for a in labels:
                assert a["top"] >= layout["bars"], f"{a['text']!r} is not under the bars on {where}"
                assert layout["plot"]["left"] - 1 <= a["left"] and a["right"] <= layout["plot"]["right"] + 1, where


def test_clicking_a_bar_of_the_chart_drills_down_on_a_phone(page: Page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/search?q=Lukashenko")
    _open_filters(page)
    bar = page.locator('[data-facet="date"] svg a.bar').last
    expect(bar).to_have_attribute("aria-label", re.compile(r"^\d{4}: \d+ documents?$"))
    bar.click()
    expect(page).to_have_url(re.compile(r"from=(\d{4})-01-01&to=\1-12-31"))
    year = re.search(r"from=(\d{4})", page.url).group(1)
    _open_filters(page)
    expect(page.locator('[data-facet="date"] h3')).to_contain_text(re.compile("by (month|day)"))
    page.locator('[data-facet="date"] svg a.bar').first.click()
    expect(page).to_have_url(re.compile(rf"from={year}-(\d\d)-\d\d&to={year}-\1-\d\d"))
    assert int(page.locator("#total").inner_text()) >= 1


def test_spellings_on_an_entity_page_keep_each_name_on_one_line(page: Page, live_server):
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server + "/entity/person:alexander-lukashenko")
        names = page.locator(".spellings .spelling")
        expect(names.first).to_be_visible()
        heights = names.evaluate_all("els => els.map(e => e.getBoundingClientRect().height / "
                                     "parseFloat(getComputedStyle(e).lineHeight))")
        assert len(heights) >= 20 and max(heights) < 1.5, f"a name wraps at {width} px"
        expect(page.locator(".spellings dt", has_text="the archive's name list")).to_be_visible()
