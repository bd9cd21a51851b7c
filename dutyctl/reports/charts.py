"""Inline SVG bar charts: no script, no font or file fetched, the same bytes for the same data."""

from __future__ import annotations

import math

from dutyctl.output import html_safe as escape
from dutyctl.reports.blocks import Chart

TONES = {"primary": "#3867d6", "good": "#2e7d32", "bad": "#c62828", "warn": "#ef6c00",
         "muted": "#9e9e9e"}
WIDTH = 640
FONT = 'font-family="sans-serif" font-size="11"'


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above `value` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def _legend(chart: Chart, y: float) -> list[str]:
    if len(chart.series) < 2:
        return []
    parts, x = [], 8.0
    for series in chart.series:
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" '
                     f'fill="{TONES[series.tone]}"/>')
        parts.append(f'<text x="{x + 14:.1f}" y="{y:.1f}" {FONT}>{escape(series.name)}</text>')
        x += 24 + 7 * len(series.name) + 6 * sum(1 for char in series.name if ord(char) > 0x2e80)
    return parts


def _totals(chart: Chart) -> list[float]:
    return [sum(series.values[index] for series in chart.series)
            for index in range(len(chart.labels))]


def vertical(chart: Chart) -> str:
    """Stacked columns, one per label (days): y axis from 0 to a round maximum."""
    height, left, top, bottom = 230, 40, 24, 46
    plot_w, plot_h = WIDTH - left - 10, height - top - bottom
    ceiling = nice_ceiling(max(_totals(chart), default=0))
    slot = plot_w / max(len(chart.labels), 1)
    bar = max(min(slot * 0.7, 40), 1)
    parts = [f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - 10}" y2="{top + plot_h}" '
             f'stroke="#555"/>']
    for tick in (0, 0.5, 1):
        y = top + plot_h - plot_h * tick
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" {FONT}>'
                     f'{_number(ceiling * tick)}</text>')
        if tick:
            parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - 10}" y2="{y:.1f}" '
                         f'stroke="#ddd"/>')
    every = max(1, math.ceil(len(chart.labels) / 16))  # keep day labels legible
    for index, label in enumerate(chart.labels):
        x = left + slot * index + (slot - bar) / 2
        base = top + plot_h
        for series in chart.series:
            value = series.values[index]
            if value <= 0:
                continue
            h = plot_h * value / ceiling
            base -= h
            parts.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{TONES[series.tone]}"><title>{escape(label)} '
                         f'{escape(series.name)}: {_number(value)}</title></rect>')
        if index % every == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 14}" '
                         f'text-anchor="middle" {FONT}>{escape(label)}</text>')
    parts += _legend(chart, height - 8)
    return _svg(chart, height, parts)


def horizontal(chart: Chart) -> str:
    """Stacked bars, one row per label (people, urgency classes), value at the end."""
    row, left, top = 22, 170, 8
    height = top + row * max(len(chart.labels), 1) + (28 if len(chart.series) > 1 else 8)
    plot_w = WIDTH - left - 50
    totals = _totals(chart)
    ceiling = nice_ceiling(max(totals, default=0))
    parts = []
    for index, label in enumerate(chart.labels):
        y = top + row * index
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" {FONT}>'
                     f'{escape(label)}</text>')
        x = float(left)
        for series in chart.series:
            value = series.values[index]
            if value <= 0:
                continue
            w = plot_w * value / ceiling
            parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" '
                         f'fill="{TONES[series.tone]}"><title>{escape(label)} '
                         f'{escape(series.name)}: {_number(value)}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" {FONT}>'
                     f'{_number(totals[index])}{escape(chart.unit)}</text>')
    parts += _legend(chart, height - 6)
    return _svg(chart, height, parts)


def _svg(chart: Chart, height: int, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">'
            f'<title>{escape(chart.title)}</title>' + "".join(parts) + "</svg>")


def svg(chart: Chart) -> str:
    return horizontal(chart) if chart.horizontal else vertical(chart)
