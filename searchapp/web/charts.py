"""Bar charts of counts over time: the search page's date histogram and an entity's mentions per
month, laid out here and drawn as inline SVG by templates/_chart.html (no script, no inline style:
the Content-Security-Policy forbids both, so every position is an SVG attribute).

Under the bars, a row of labels names the buckets (years; months; days) and, by month or by day, a
second row marks where each year (month) begins. A chart is as wide as its container, which the
server does not know: bars and labels are placed in percent of the width, texts are sized in px. How
many labels fit depends on that width, so each label gets a level, the narrowest container
(LEVEL_WIDTHS) from which it is shown, and style.css shows it from there with a container query.
Each level keeps the labels of the narrower ones and adds only labels that fit between them
(estimating text widths generously), so labels never overlap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_skeleton
from flask_babel import format_decimal, get_locale, gettext

LEVEL_WIDTHS = (260, 340, 480, 640, 800, 1000, 1200)  # container px from which labels of level n show (style.css)
LABEL_PX = 12  # font sizes of labels and counts (style.css)
COUNT_PX = 11
UNDATED_GAP = 12  # px between the dated bars and the undated one (style.css)
PAD = 6  # px kept between two labels
TOP = 16  # px above the highest bar, for its count
ROW = 16  # px from the axis down to the first row of labels' baseline, and from one row to the next
BOTTOM = 6  # px below the last row's baseline
# Label every Nth bucket, N the smallest of these that leaves room (each divides the next, so that a
# wider chart's labels include a narrower one's); a bucket's key says which Ns it falls on.
YEARS = (1, 5, 10, 50, 100)
STEPS = {"year": YEARS, "month": (1, 3, 6), "day": (1, 5, 10)}
_NARROW = set(" .,:;'’()-\u202f\xa0ijlrtfI")
_WIDE = set("mwMWшщжюмфыШЩЖЮМФЫ")
_DX = {"start": 1, "middle": 0, "end": -1}  # px off an edge of the chart (a glyph may overhang its box)


def text_width(text: str, px: float, bold: bool = False) -> float:
    """A generous estimate of the width of `text` in px (wide sans-serif fonts such as DejaVu Sans)."""
    em = sum(0.36 if c in _NARROW else 0.95 if c in _WIDE else 0.74 if c.isupper() else 0.65 for c in text)
    return px * em * (1.1 if bold else 1)


@dataclass
class _Label:
    i: int  # bucket
    text: str
    key: int  # position of the bucket on its steps: shown every Nth if key % N == 0
    row: int = 0  # 0: names the bucket; 1: the year (month) that begins there, in bold, from its start
    width: float = 0  # px
    level: int | None = None
    anchor: str = "middle"

    def __post_init__(self):
        self.width = text_width(self.text, LABEL_PX, bold=self.row == 1)

    def extent(self, slot: float, anchor: str) -> tuple[float, float]:
        left = self.i * slot if anchor == "start" else (self.i + 1) * slot - self.width if anchor == "end" else \
            (self.i + 0.5) * slot - self.width / 2
        return left, left + self.width

    def fitting_anchor(self, slot: float, width: float) -> str:
        """Centred under its bar (a year from where it starts), unless that would cut it at an edge."""
        left, right = self.extent(slot, "start" if self.row else "middle")
        return "start" if left < 0 else "end" if right > width else "start" if self.row else "middle"


@dataclass
class Chart:
    """Everything templates/_chart.html draws; x and widths in percent, y and heights in px."""

    height: int
    baseline: int
    bars: list[dict] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)
    counts: list[dict] = field(default_factory=list)
    undated: dict | None = None


def _collides(label: _Label, anchor: str, shown: list[_Label], slot: float, width: float) -> bool:
    left, right = label.extent(slot, anchor)
    return left < 0 or right > width or any(
        left < b + PAD and a < right + PAD for a, b in (s.extent(slot, s.anchor) for s in shown))


def _place(ends: list[_Label], pool: list[_Label], steps: tuple[int, ...], n: int, widths: list[float],
           unit: int = 1) -> None:
    """Give the labels of one row their level: `ends` whenever they fit, then every Nth of `pool` (N
    the first of `steps` that leaves room, counted in `unit`s of buckets), never overlapping."""
    need = {s: max((lb.width for lb in pool if lb.key % s == 0), default=0) + PAD for s in steps}
    shown: list[_Label] = []
    for level, width in enumerate(widths):
        slot = width / n
        step = next((s for s in steps if s * unit * slot >= need[s]), None)
        aligned = sorted((lb for lb in pool if step and lb.key % step == 0),
                         key=lambda lb: (-max(s for s in steps if lb.key % s == 0), lb.i))
        for label in ends + aligned:
            if label.level is None and not _collides(label, anchor := label.fitting_anchor(slot, width), shown,
                                                     slot, width):
                label.level, label.anchor = level, anchor
                shown.append(label)


def _labels(buckets: list[dict], granularity: str, widths: list[float]) -> list[_Label]:
    """The labels of a chart's buckets, in the UI language, with their levels (None: never shown).
    By year: 2023, 2024. By month: Sep, Oct, and below, 2023 from the first bucket and 2024 from January.
    By day: 30, 31, 1, and below, Aug 2024 from the first bucket and Sep from the 1st."""
    locale = get_locale()
    n = len(buckets)
    days = [date(*(int(p) for p in (b["value"].split("-") + ["1", "1"])[:3])) for b in buckets]
    ends = [0, n - 1] if n > 1 else [0]
    if granularity == "year":
        names = [_Label(i, format_skeleton("y", d, locale=locale), d.year) for i, d in enumerate(days)]
        _place([names[i] for i in ends], names[1:-1], YEARS, n, widths)
        return names
    by_month = granularity == "month"
    names = [_Label(i, format_skeleton("MMM" if by_month else "d", d, locale=locale),
                    12 * d.year + d.month - 1 if by_month else d.day - 1) for i, d in enumerate(days)]
    _place([names[i] for i in ends], names[1:-1], STEPS[granularity], n, widths)
    # Below: where each year (month) begins, every Nth; and the first bucket's, unless it crowds the next.
    begins = [_Label(i, format_skeleton("y" if by_month else "MMM", d, locale=locale), d.year if by_month else 0,
                     row=1) for i, d in enumerate(days) if i and (d.month == 1 if by_month else d.day == 1)]
    _place([], begins, YEARS, n, widths, unit=12 if by_month else 28)
    first = _Label(0, format_skeleton("y" if by_month else "yMMM", days[0], locale=locale), 0, row=1, anchor="start")
    crowded = [lv for lv, w in enumerate(widths)
               if _collides(first, "start", [b for b in begins if b.level is not None and b.level <= lv], w / n, w)]
    first.level = max(crowded) + 1 if crowded else 0  # from where it fits at every wider level too
    if first.level == len(widths):
        first.level = None
    return names + [first] + begins


def time_chart(buckets: list[dict], granularity: str | None, undated: int = 0, href: str = "",
               plot_height: int = 64) -> Chart:
    """Lay out a bar chart of `buckets` ({value, count, url}: every year, month or day of a span, empty
    ones too) and of `undated` documents, apart. A bucket without a url links to href.format(value=...)."""
    top = max([b["count"] for b in buckets] + [undated, 1])
    baseline = TOP + plot_height
    rows = 1 if granularity == "year" or not buckets else 2
    chart = Chart(height=baseline + rows * ROW + BOTTOM, baseline=baseline)

    def bar_height(count: int) -> float:
        return round(max(2.0, plot_height * count / top), 1)

    reserved = 0
    if undated:
        text = format_decimal(undated)
        label = gettext("unknown")
        width = round(max(text_width(label, LABEL_PX), text_width(text, COUNT_PX), 24) + 4)
        height = bar_height(undated)
        chart.undated = {"count": undated, "count_text": text, "label": label, "label_y": baseline + ROW,
                         "width": width, "x": round(width / 2 - 8, 1), "bar_width": 16, "y": baseline - height,
                         "height": height}
        reserved = width + UNDATED_GAP
    counted = [(i, b) for i, b in enumerate(buckets) if b["count"]]
    if not counted or not granularity:
        return chart
    n = len(buckets)
    widths = [w - reserved for w in LEVEL_WIDTHS]
    slot = 100 / n
    for lb in _labels(buckets, granularity, widths):
        if lb.level is None:
            continue
        x = {"start": lb.i * slot, "end": (lb.i + 1) * slot}.get(lb.anchor, (lb.i + 0.5) * slot)
        tick = lb.i * slot if lb.row else (lb.i + 0.5) * slot  # a year begins at the left of its first bar
        chart.labels.append({"x": round(x, 3), "dx": _DX[lb.anchor], "y": baseline + ROW * (1 + lb.row),
                             "tick": round(tick, 3), "tick_to": baseline + (6 if lb.row else 4), "anchor": lb.anchor,
                             "text": lb.text, "level": lb.level, "major": bool(lb.row)})

    texts = {i: format_decimal(b["count"]) for i, b in counted}
    widest = max(text_width(t, COUNT_PX) for t in texts.values()) + 2
    every = next((lv for lv, w in enumerate(widths) if w / n >= widest), None)  # a count above every bar
    highest = max(counted, key=lambda ib: ib[1]["count"])[0]
    for i, b in counted:
        height = bar_height(b["count"])
        chart.bars.append({"i": i, "x": round(i * slot + slot * 0.1, 3), "width": round(slot * 0.8, 3),
                           "y": round(baseline - height, 1), "height": height, "value": b["value"],
                           "count": b["count"], "url": b.get("url") or href.format(value=b["value"])})
        level = 0 if i == highest else every
        if level is None:
            continue
        count = _Label(i, texts[i], 0)
        count.width = text_width(texts[i], COUNT_PX)
        anchor = count.fitting_anchor(widths[level] / n, widths[level])
        x = {"start": i * slot, "end": (i + 1) * slot}.get(anchor, (i + 0.5) * slot)
        chart.counts.append({"x": round(x, 3), "dx": _DX[anchor], "y": round(baseline - height - 4, 1),
                             "anchor": anchor, "text": texts[i], "level": level})
    return chart
