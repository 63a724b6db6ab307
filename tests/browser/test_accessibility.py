"""Accessibility checks measured in the browser: text contrast (WCAG AA), a name for every form
control, one main landmark and headings, on the reader's pages in each interface language."""

import pytest
from conftest import page_in

PAGES = ["/search?q=Lukashenko", "/search?q=Kherson&from=2022", "/entity/place:kyiv", "/login",
         "/search?q=grian%20deal"]

# For each element with its own text: its colour, the first opaque background behind it, and the
# WCAG contrast ratio between them (4.5:1 for normal text, 3:1 for large or bold text >= 18.66px).
CONTRAST = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const c = [r, g, b].map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
  const background = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0.9) return c.slice(0, 3); } return [255, 255, 255]; };
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    if (!own || style.visibility === 'hidden' || el.getClientRects().length === 0) continue;
    if (el.closest('.visually-hidden, svg')) continue;
    const [a, b] = [lum(rgb(style.color)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const large = parseFloat(style.fontSize) >= 18.66 && parseInt(style.fontWeight) >= 700
                  || parseFloat(style.fontSize) >= 24;
    if (ratio < (large ? 3 : 4.5))
      bad.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
  }
  return bad;
}"""

UNNAMED_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(el => el.type !== 'hidden')
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby') && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map(el => el.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize("locale", ["en-GB", "uk-UA"])
def test_reader_pages_have_contrast_names_and_landmarks(browser, live_server, locale):
    with page_in(browser, locale) as page:
        for path in PAGES:
            page.goto(live_server + path)
            assert page.evaluate(CONTRAST) == [], f"low contrast on {path}"
            assert page.evaluate(UNNAMED_CONTROLS) == [], f"form controls without a name on {path}"
            assert page.locator("main").count() == 1 and page.locator("h1, h2, h3").count() >= 1, path
            assert page.locator("html").get_attribute("lang") == locale[:2]
            images = page.locator("svg[role=img]")
            for i in range(images.count()):
                assert images.nth(i).get_attribute("aria-label"), f"a chart without a text alternative on {path}"
