"""The SVG charts read directly: ticks, axis titles, a colour-blind-safe palette with a
second cue, legible text, in the reader's language."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from dutyctl.reports import charts
from dutyctl.reports.blocks import Chart, Series

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(charts.svg(chart))


def texts(root: ET.Element, css: str | None = None) -> list[str]:
    return [node.text or "" for node in root.iter(f"{SVG}text")
            if css is None or node.get("class") == css]


def hours(*counts: float, unit: str = "") -> Chart:
    return Chart("Volumes by hour", tuple(f"{hour:02d}" for hour in range(len(counts))),
                 (Series("calls", tuple(counts)),), unit=unit, label_header="hour")


def compliance(on_time=(3, 0, 12), late=(1, 2, 0)) -> Chart:
    return Chart("Deadline compliance", ("repair emergency arrive", "repair general complete",
                                         "complaint general resolve"),
                 (Series("on time", on_time, "good"), Series("late", late, "bad"),
                  Series("pending", (0, 1, 0), "muted")), horizontal=True)


@pytest.mark.parametrize("peak", [1, 2, 3, 7, 10, 13, 40, 99, 250])
def test_counts_get_whole_number_ticks_from_zero_to_a_round_maximum(peak):
    ticks = [float(text) for text in texts(parse(hours(0, peak, 1)), "tick")]
    assert ticks[0] == 0 and ticks[-1] >= peak and 2 <= len(ticks) <= 6
    assert all(tick == int(tick) for tick in ticks), ticks
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1  # evenly spaced


def test_a_day_with_one_call_has_ticks_0_and_1_only():
    assert texts(parse(hours(0, 1, 0)), "tick") == ["0", "1"]


def test_shares_may_get_fractional_ticks():
    assert charts.ticks(1, whole=False) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1])
    assert charts.ticks(1, whole=True) == [0, 1]
    assert charts.ticks(20, whole=True) == [0, 5, 10, 15, 20]


def test_both_axes_have_titles_with_the_unit():
    vertical = texts(parse(hours(2, 5)), "axis-title")
    assert vertical == ["Number (items)", "hour"]
    assert texts(parse(hours(20, 50, unit="%")), "axis-title")[0] == "Share (%)"
    named = Chart("Hours worked", ("Li Na",), (Series("hours", (7.5,)),), horizontal=True,
                  value_title="Hours (h)")
    assert texts(parse(named), "axis-title") == ["Hours (h)"]


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[index:index + 2], 16) for index in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_on_time_and_late_differ_in_lightness_not_only_in_hue():
    # Red-green colour blindness keeps lightness: 1.1:1 (the old green/red) reads as one colour.
    assert contrast(charts.TONES["good"], charts.TONES["bad"]) >= 2
    assert contrast(charts.TONES["good"], charts.TONES["muted"]) >= 2


def test_late_bars_carry_a_hatch_pattern_and_every_series_is_named_in_the_legend():
    root = parse(compliance())
    late = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "tone-bad"]
    assert late and all(rect.get("fill") == f"url(#{charts.HATCH_ID})" for rect in late)
    assert root.find(f".//{SVG}pattern[@id='{charts.HATCH_ID}']") is not None
    on_time = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "tone-good"]
    assert on_time and all(rect.get("fill") == charts.TONES["good"] for rect in on_time)
    assert {"on time", "late", "pending"} <= set(texts(root))
    assert "url(#" not in charts.svg(hours(1, 2))  # no pattern where no series is bad


def test_every_bar_has_a_tooltip_with_its_figure():
    titles = [node.text for node in parse(compliance()).iter(f"{SVG}title")]
    assert "repair emergency arrive late: 1" in titles
    assert "complaint general resolve on time: 12" in titles


def test_text_stays_inside_the_drawing():
    for chart in (hours(*range(24)), compliance(), hours(3, 4, unit="%")):
        root = parse(chart)
        width = float(root.get("viewBox").split()[2])
        for node in root.iter(f"{SVG}text"):
            if node.get("x") is None:
                continue  # the rotated value-axis title, placed by its transform
            x = float(node.get("x"))
            span = charts._text_width(node.text or "")
            anchor = node.get("text-anchor", "start")
            left = x - span if anchor == "end" else x - span / 2 if anchor == "middle" else x
            assert -1 <= left and left + span <= width + 1, (node.text, left, span)


def test_a_label_too_long_is_cut_with_an_ellipsis_and_kept_whole_in_the_tooltip():
    long = "报修 急修 到场 " * 8
    root = parse(Chart("Long", (long, "short"), (Series("kept", (50, 90), "good"),),
                       horizontal=True, unit="%"))
    drawn = [text for text in texts(root) if text.startswith("报修")]
    assert len(drawn) == 1 and drawn[0].endswith("…") and len(drawn[0]) < len(long)
    assert charts._text_width(drawn[0]) <= charts.WIDTH * 0.45
    assert any(node.text.startswith(long) for node in root.iter(f"{SVG}title"))
    assert "short" in texts(root)


def test_long_legends_wrap_instead_of_running_off_the_chart():
    names = [f"a rather long series name {index}" for index in range(5)]
    chart = Chart("Many", ("x",), tuple(Series(name, (1,)) for name in names))
    root = parse(chart)
    legend_y = {node.get("y") for node in root.iter(f"{SVG}text") if node.text in names}
    assert len(legend_y) > 1


def rates(*kept: float, targets=(95, 90, 80)) -> Chart:
    return Chart("Deadlines kept", ("repair emergency arrive", "repair general complete",
                                    "complaint general resolve")[:len(kept)],
                 (Series("kept", kept, "good"),), horizontal=True, unit="%",
                 targets=targets[:len(kept)])


def test_rates_are_drawn_against_their_target_line_and_a_miss_is_hatched():
    root = parse(rates(66.7, 100, 85.2))
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class", "").startswith("tone")
            and rect.find(f"{SVG}title") is not None]
    assert [bar.get("class") for bar in bars] == ["tone-bad", "tone-good", "tone-good"]
    assert bars[0].get("fill") == f"url(#{charts.HATCH_ID})"
    lines = [line for line in root.iter(f"{SVG}line") if line.get("class") == "target"]
    marks = [float(line.get("x1")) for line in lines[:3]]
    left = float(bars[0].get("x"))
    full = float(bars[1].get("width"))  # 100 % is the whole plot: rates run from 0 to 100
    assert marks == pytest.approx([left + full * share for share in (0.95, 0.90, 0.80)], abs=0.2)
    assert float(bars[0].get("width")) == pytest.approx(full * 0.667, abs=0.2)
    assert {"kept", "below target", "target"} <= set(texts(root))
    assert "66.7%" in texts(root)


def test_rates_that_all_meet_their_target_say_nothing_of_a_miss():
    root = parse(rates(96, 91))
    assert "below target" not in texts(root) and "url(#" not in charts.svg(rates(96, 91))
    assert "target" in texts(root)


def test_axis_titles_speak_chinese(monkeypatch):
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    assert texts(parse(hours(1, 3)), "axis-title")[0] == "数量（件）"
    assert texts(parse(hours(1, 3, unit="%")), "axis-title")[0] == "占比（%）"
    assert {"未达目标", "目标"} <= set(texts(parse(rates(50, 95))))


def test_tooltips_are_sentences_of_the_report_language(monkeypatch):
    """A bar's and a target's tooltip read `11-30 来电：2`, never an English colon glued on."""
    def tips(chart):
        return [node.text for node in parse(chart).iter(f"{SVG}title")][1:]

    assert tips(hours(0, 2)) == ["01 calls: 2"]
    assert "target: 95%" in tips(rates(50))
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    assert tips(hours(0, 2)) == ["01 calls：2"]
    assert "目标：95%" in tips(rates(50))


def test_the_html_page_numbers_speak_the_report_language(monkeypatch):
    from dutyctl.reports import render
    from dutyctl.reports.blocks import Document

    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    page = render.html(Document("日报", "2026-11-01"))
    assert '<html lang="zh-CN">' in page
    assert '@bottom-right { content: "第 " counter(page) " 页\\ff0c 共 " counter(pages) " 页"' in page
    hostile = render.html(Document('a"</style><script>x()</script>', "s"))
    assert "</style><script>" not in hostile.split("</style>", 1)[0]
