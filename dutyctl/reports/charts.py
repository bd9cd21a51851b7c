"""Inline SVG bar charts: no script, no font or file fetched, the same bytes for the same data.

Colours are the Okabe–Ito palette (told apart under every common colour blindness), and the
bad tone (late, emergencies) also carries a hatch pattern and differs in lightness from the
good one, so on time and late stay apart in grey print too. Every chart has a value-axis
title with its unit; counts get whole-number ticks only.
"""

from __future__ import annotations

import math

from dutyctl.messages import t
from dutyctl.textwidth import display_width
from dutyctl.output import html_safe as escape
from dutyctl.reports.blocks import Chart

#: Okabe–Ito colours. good (dark blue) and bad (orange) differ 2.5:1 in lightness.
TONES = {"primary": "#56B4E9", "good": "#0072B2", "bad": "#E69F00", "warn": "#CC79A7",
         "muted": "#BBBBBB"}
HATCHED = frozenset({"bad"})
HATCH_ID = "dutyctl-hatch"
INK, GRID = "#333", "#ddd"
#: Drawn 440 units wide and shown at most ~560 px (CSS): on a 390 px phone the text is still
#: about 10 px, at full width about 15 px.
WIDTH = 440
FONT_SIZE = 12
FONT = f'font-family="sans-serif" font-size="{FONT_SIZE}" fill="{INK}"'


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above `value` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover


def ticks(ceiling: float, whole: bool) -> list[float]:
    """Tick values from 0 to `ceiling` (a nice_ceiling) in at most 5 equal 1-2-5 steps;
    `whole` (counts) never gets a fractional tick such as 0.5."""
    step = ceiling
    for candidate in (ceiling / 5, ceiling / 4, ceiling / 2):
        if (not whole or candidate >= 1) and _is_nice(candidate):
            step = candidate
            break
    count = round(ceiling / step)
    return [step * index for index in range(count + 1)]


def _is_nice(value: float) -> bool:
    power = 10 ** math.floor(math.log10(value))
    return any(math.isclose(value, step * power) for step in (1, 2, 5))


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def _text_width(text: str) -> float:
    """Estimated width in SVG units of `text` in a sans-serif face (a little generous)."""
    return FONT_SIZE * sum(_em(char) for char in text)


def _em(char: str) -> float:
    if display_width(char) == 2:
        return 1.0  # CJK
    if char in "MWmw@%":
        return 0.9
    if char.isupper():
        return 0.72
    return 0.32 if char in "il.,:;|!'()[] " else 0.58


def _fit(text: str, width: float) -> str:
    """`text` cut with an ellipsis to about `width` units (the bar's tooltip keeps it whole)."""
    if _text_width(text) <= width:
        return text
    while text and _text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def value_title(chart: Chart) -> str:
    if chart.value_title:
        return chart.value_title
    return t("Share (%)") if chart.unit == "%" else t("Number (items)")


def whole_numbers(chart: Chart) -> bool:
    return chart.unit != "%" and all(float(value).is_integer()
                                     for series in chart.series for value in series.values)


def _defs(chart: Chart) -> str:
    if not any(series.tone in HATCHED for series in chart.series) and not any(_missed(chart)):
        return ""
    return (f'<defs><pattern id="{HATCH_ID}" width="6" height="6" '
            f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<rect width="6" height="6" fill="{TONES["bad"]}"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-opacity="0.45" '
            f'stroke-width="2"/></pattern></defs>')


def _fill(tone: str) -> str:
    return f"url(#{HATCH_ID})" if tone in HATCHED else TONES[tone]


def _bar(x: float, y: float, w: float, h: float, tone: str, tip: str) -> str:
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{_fill(tone)}" class="tone-{tone}"><title>{escape(tip)}</title></rect>')


TARGET = "target"  # a legend entry drawn as the target line, not a swatch
LEGEND_NAME = WIDTH - 40  # the widest a legend entry's name is drawn


def _missed(chart: Chart) -> list[bool]:
    """Per label: a rate below its target (drawn orange and hatched, the legend says so)."""
    if not chart.targets or len(chart.series) != 1:
        return [False] * len(chart.labels)
    return [value < target for value, target in zip(chart.series[0].values, chart.targets)]


def _legend_entries(chart: Chart) -> list[tuple[str, str]]:
    """(name, tone) per legend entry: the series, then 'below target' and 'target'."""
    entries = [(series.name, series.tone) for series in chart.series]
    if any(_missed(chart)):
        entries.append((t("below target"), "bad"))
    if chart.targets:
        entries.append((t("target"), TARGET))
    return entries if len(entries) > 1 else []


def _legend_places(chart: Chart) -> list[tuple[float, int]]:
    """(x, row) of each legend entry: wrapped to as many rows as the names need."""
    places, x, row = [], 8.0, 0
    for name, _ in _legend_entries(chart):
        width = 15 + _text_width(_fit(name, LEGEND_NAME)) + 12
        if x > 8 and x + width > WIDTH:
            x, row = 8.0, row + 1
        places.append((x, row))
        x += width
    return places


def _legend_rows(chart: Chart) -> int:
    places = _legend_places(chart)
    return places[-1][1] + 1 if places else 0


def _legend(chart: Chart, top: float) -> list[str]:
    """Swatches with the series names: the name is the cue that never depends on colour."""
    parts = []
    for (name, tone), (x, row) in zip(_legend_entries(chart), _legend_places(chart)):
        y = top + 22 * row + 14
        if tone == TARGET:
            parts.append(f'<line x1="{x + 5:.1f}" y1="{y - 12:.1f}" x2="{x + 5:.1f}" '
                         f'y2="{y + 2:.1f}" stroke="{INK}" stroke-width="2" class="target"/>')
        else:
            parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="11" height="11" '
                         f'fill="{_fill(tone)}" class="tone-{tone}"/>')
        parts.append(f'<text x="{x + 15:.1f}" y="{y:.1f}" {FONT}>{escape(_fit(name, LEGEND_NAME))}'
                     '</text>')
    return parts


def _totals(chart: Chart) -> list[float]:
    return [sum(series.values[index] for series in chart.series)
            for index in range(len(chart.labels))]


def vertical(chart: Chart) -> str:
    """Stacked columns, one per label (hours, days): value axis from 0 to a round maximum."""
    ceiling = nice_ceiling(max(_totals(chart), default=0))
    marks = ticks(ceiling, whole_numbers(chart))
    left = 26 + max(_text_width(_number(mark)) for mark in marks)
    top, plot_h = 10, 110
    axis_y = top + plot_h
    height = axis_y + 20 + (18 if chart.label_header else 0) + 22 * _legend_rows(chart) + 4
    plot_w = WIDTH - left - 8
    slot = plot_w / max(len(chart.labels), 1)
    bar = max(min(slot * 0.7, 36), 1)
    parts = [f'<line x1="{left:.1f}" y1="{axis_y}" x2="{WIDTH - 8}" y2="{axis_y}" '
             f'stroke="{INK}"/>',
             f'<text transform="translate(12 {top + plot_h / 2:.1f}) rotate(-90)" '
             f'text-anchor="middle" {FONT} class="axis-title">'
             f'{escape(_fit(value_title(chart), plot_h))}</text>']
    for mark in marks:
        y = axis_y - plot_h * mark / ceiling
        parts.append(f'<text x="{left - 4:.1f}" y="{y + 4:.1f}" text-anchor="end" {FONT} '
                     f'class="tick">{_number(mark)}</text>')
        if mark:
            parts.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" '
                         f'stroke="{GRID}"/>')
    labels = [_fit(label, plot_w / 4) for label in chart.labels]
    label_w = max((_text_width(label) for label in labels), default=0) + 6
    every = max(1, math.ceil(label_w / slot))  # keep the category labels apart
    for index, label in enumerate(chart.labels):
        x = left + slot * index + (slot - bar) / 2
        base = axis_y
        for series in chart.series:
            value = series.values[index]
            if value <= 0:
                continue
            h = plot_h * value / ceiling
            base -= h
            parts.append(_bar(x, base, bar, h, series.tone,
                              t("{label} {series}: {value}", label=label,
                                series=series.name, value=_number(value))))
        if index % every == 0:
            half = _text_width(labels[index]) / 2
            middle = min(max(x + bar / 2, half + 2), WIDTH - half - 2)
            parts.append(f'<text x="{middle:.1f}" y="{axis_y + 15}" '
                         f'text-anchor="middle" {FONT}>{escape(labels[index])}</text>')
    if chart.label_header:
        parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{axis_y + 33}" text-anchor="middle" '
                     f'{FONT} class="axis-title">{escape(_fit(chart.label_header, plot_w))}</text>')
    parts += _legend(chart, height - 4 - 22 * _legend_rows(chart))
    return _svg(chart, height, parts)


def horizontal(chart: Chart) -> str:
    """Stacked bars, one row per label (people, urgency classes), the total at the end."""
    row, top = 22, 6
    totals = _totals(chart)
    ends = [f"{_number(total)}{chart.unit}" for total in totals]
    left = min(max((_text_width(label) for label in chart.labels), default=0) + 12, WIDTH * 0.45)
    right = max((_text_width(end) for end in ends), default=0) + 10
    axis_y = top + row * max(len(chart.labels), 1)
    height = axis_y + 24 + 22 * _legend_rows(chart) + 4
    plot_w = WIDTH - left - right
    top_value = max([*totals, *chart.targets], default=0)
    ceiling = 100 if chart.unit == "%" and top_value <= 100 else nice_ceiling(top_value)
    missed = _missed(chart)
    parts = [f'<line x1="{left:.1f}" y1="{top}" x2="{left:.1f}" y2="{axis_y}" stroke="{INK}"/>',
             f'<text x="{left + plot_w / 2:.1f}" y="{axis_y + 16}" text-anchor="middle" {FONT} '
             f'class="axis-title">{escape(_fit(value_title(chart), plot_w))}</text>']
    for index, label in enumerate(chart.labels):
        y = top + row * index
        parts.append(f'<text x="{left - 6:.1f}" y="{y + 15}" text-anchor="end" {FONT}>'
                     f'{escape(_fit(label, left - 8))}</text>')
        x = left
        for series in chart.series:
            value = series.values[index]
            if value <= 0:
                continue
            w = plot_w * value / ceiling
            parts.append(_bar(x, y + 3, w, row - 6, "bad" if missed[index] else series.tone,
                              t("{label} {series}: {value}", label=label,
                                series=series.name, value=f"{_number(value)}{chart.unit}")))
            x += w
        if chart.targets:
            mark = left + plot_w * chart.targets[index] / ceiling
            parts.append(f'<line x1="{mark:.1f}" y1="{y + 1}" x2="{mark:.1f}" y2="{y + row - 1}" '
                         f'stroke="#fff" stroke-width="4"/>')  # stands out on a dark bar
            parts.append(f'<line x1="{mark:.1f}" y1="{y + 1}" x2="{mark:.1f}" y2="{y + row - 1}" '
                         f'stroke="{INK}" stroke-width="2" class="target"><title>'
                         + escape(t("{label}: {value}", label=t("target"),
                                    value=f"{_number(chart.targets[index])}{chart.unit}")) +
                         '</title></line>')
            x = max(x, mark)
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 15}" {FONT}>{escape(ends[index])}</text>')
    parts += _legend(chart, height - 4 - 22 * _legend_rows(chart))
    return _svg(chart, height, parts)


def _svg(chart: Chart, height: float, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}">'
            f'<title>{escape(chart.title)}</title>{_defs(chart)}' + "".join(parts) + "</svg>")


def svg(chart: Chart) -> str:
    return horizontal(chart) if chart.horizontal else vertical(chart)
