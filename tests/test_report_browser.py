"""The HTML reports in a real headless Chromium: phone and desktop layouts, A4 print.

The bundled demo workspace is reported (in-process: Chinese, as its site speaks, and English;
the installed binary is the manual tests' to run), then one browser, launched once for the
module, measures every page at 390 px and 1280 px and prints four of them to PDF. Skipped only when no
Chromium can be found (`.ci/run` installs Debian's `chromium`); select them with `-m browser`.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.browser import Browser, find_chromium
from tests.conftest import Cli

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
DAY, WEEK, MONTH = "2026-11-01", "2026-W44", "2026-11"  # the demo's records
REPORTS = {"daily": ("--date", DAY), "weekly": ("--week", WEEK), "monthly": ("--month", MONTH)}
WIDTHS = (390, 1280)


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Browser:
    binary = find_chromium()
    if binary is None:
        pytest.skip("no Chromium found (install Debian's `chromium` or set DUTYCTL_CHROMIUM)")
    running = Browser(binary, tmp_path_factory.mktemp("chromium"))
    running.launch()  # starting while `pages` makes the reports (asked for after this)
    yield running
    running.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    """{'daily zh_CN': html, ...}: the demo's three reports in Chinese, the daily in English."""
    demo = tmp_path_factory.mktemp("demo") / "demo"
    shutil.copytree(REPO / "examples" / "demo", demo)
    made = {}
    for language, kinds in (("zh_CN", REPORTS), ("en", ("daily",))):
        for kind in kinds:
            done = Cli(demo)("--lang", language, "report", kind, *REPORTS[kind],
                             "--format", "html")
            assert done.exit_code == 0, done.stderr
            made[f"{kind} {language}"] = done.stdout
    made.update(busy_pages(tmp_path_factory.mktemp("busy") / "site"))
    made["portfolio zh_CN"] = portfolio_page(tmp_path_factory.mktemp("sites"), demo)
    made["portfolio many"] = many_sites_page()
    made["hostile"] = hostile_page()
    return made


def hostile_page() -> str:
    """Worst-case text from another desk: unbroken 200-character values in facts, notes,
    table cells and captions, a table of 12 id columns, chart labels and names far too long."""
    from dutyctl.reports import render
    from dutyctl.reports.blocks import Chart, Document, Facts, Note, Section, Series, Table

    long = "https://example.invalid/" + "x" * 180
    wide = tuple(f"label {index} " * 4 for index in range(3))
    return render.html(Document("T " * 40, long, (Section(long, (
        Facts((("label " * 12, "value " * 8), ("a", long), ("楼" * 60, "1"))),
        Note(long, alert=True),
        Table(tuple(f"column {index}" for index in range(12)),
              ((long, *["01M5GNCC0YZ5W1KHH30F76BYHY"] * 11),), "caption " * 20),
        Chart("c", wide, (Series("s " * 30, (1, 2, 3)),), horizontal=True),
        Chart("v", tuple("W" * 30 for _ in range(40)),
              (Series("s " * 30, tuple(range(40))), Series("WWWW", tuple(range(40)), "bad")),
              label_header="h" * 100, value_title="V" * 80))),)), footer=long)


def portfolio_page(root: Path, demo: Path) -> str:
    """The review across the demo and a copy of it under a long name, one folder missing,
    each site's own report written beside it and linked."""
    copy = root / "south"
    shutil.copytree(demo, copy, ignore=shutil.ignore_patterns(".dutyctl"))
    config = copy / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "阳光花园小区物业客户服务中心", "翠湖苑" * 12 + "物业客户服务中心"), encoding="utf-8")
    (root / "reports").mkdir()
    done = Cli(demo)("--lang", "zh_CN", "report", "portfolio", str(demo), str(copy),
                     str(root / "west"), "--month", "2026-10", "--format", "html",
                     "--site-reports", str(root / "reports"), "--output",
                     str(root / "review.html"))
    assert done.exit_code == 1 and "west" in done.stderr, done.stderr
    return (root / "review.html").read_text(encoding="utf-8")


def many_sites_page() -> str:
    """40 sites (made-up figures): long tables that must not start at a page's foot."""
    from datetime import datetime, timezone

    from dutyctl.messages import speaking
    from dutyctl.reports import portfolio, portfolio_layout, render

    def row(number: int) -> dict:
        judged = {key: {"value": (50 + number) / 100, "target": 0.9,
                        "meets": 50 + number >= 90} for key in portfolio.RATES}
        return {"folder": f"site{number}", "site": f"第{number}区物业服务中心", "status": "ok",
                "error": None, "period": "2026-10", "first": "2026-10-01",
                "last": "2026-10-31", "timezone": "Asia/Shanghai", "complete": True,
                "as_of": "2026-11-01T00:00:00+08:00", "records_read": 4000 + number,
                "volumes": {"calls": 900, "complaints_filed": 80, "repairs_filed": 300,
                            "emergencies": 2}, "rates": judged, "covered_in_fact": 0.99,
                "alerts": dict.fromkeys(("emergency", "overdue", "absent", "unaccepted",
                                         "unfilled", "readiness", "dissatisfied"), number % 3),
                "misses": [key for key in judged if not judged[key]["meets"]], "skipped": 0,
                "report": f"reports/site{number}-2026-10.html"}

    with speaking("zh_CN"):
        data = portfolio.document("monthly", "2026-10", [row(number) for number in range(40)],
                                  lambda tz: datetime(2026, 11, 20, tzinfo=timezone.utc))
        return render.html(portfolio_layout.document(data), footer="dutyctl")


def busy_pages(root: Path) -> dict[str, str]:
    """A generated week of 30 items a day: long lists of open and overdue tickets."""
    from benchmarks.workspace_gen import generate

    generate(root, date(2026, 10, 19), date(2026, 10, 25), per_day=30)
    made = {}
    for name, args in (("busy weekly zh_CN", ("--lang", "zh_CN", "report", "weekly", "--week",
                                              "2026-W43")),
                       ("busy daily en", ("--lang", "en", "report", "daily", "--date",
                                          "2026-10-23"))):
        done = Cli(root)(*args, "--format", "html")
        assert done.exit_code == 0, done.stderr
        made[name] = done.stdout
    return made


@pytest.fixture(scope="module")
def layouts(browser, pages) -> dict[str, dict]:
    return browser.measure({f"{name} @{width}": (page, width)
                            for name, page in pages.items() for width in WIDTHS})


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["daily zh_CN", "weekly zh_CN", "monthly zh_CN", "daily en",
                                  "busy weekly zh_CN", "busy daily en", "hostile",
                                  "portfolio zh_CN", "portfolio many"])
def test_no_sideways_scrolling_and_nothing_overflows_its_container(layouts, name, width):
    measured = layouts[f"{name} @{width}"]
    assert measured["viewport"] == width
    assert measured["scrollWidth"] <= measured["clientWidth"], "the page scrolls sideways"
    assert measured["overflows"] == []
    if width >= 1280:  # on a desktop even the widest table fits its column, no inner scroll
        assert measured["scrolling"] == []
    if not name.startswith("portfolio"):  # the review across sites draws no chart
        assert measured["chartText"] >= 9, "chart text shrinks below 9 px"
    assert measured["pageText"] >= 10


def test_a_wide_table_scrolls_inside_its_own_box_on_a_phone(layouts):
    measured = layouts["daily zh_CN @390"]
    assert measured["scrolling"] and all(box.startswith("div.scroll")
                                         for box in measured["scrolling"])


# Wrap each table's first header, each section's heading and its last text in a link: the
# printed PDF then says on which page and where each starts and ends. Links change no layout.
MARK = """<script>
const mark = (node, href) => { const a = document.createElement('a'); a.href = href;
  node.replaceWith(a); a.append(node); };
document.querySelectorAll('table').forEach((table, n) => {
  mark(table.querySelector('caption, th').firstChild, 'https://table.invalid/' + n);
  const cells = [...table.querySelectorAll('td')].filter(cell => cell.firstChild);
  if (cells.length) mark(cells[cells.length - 1].firstChild, 'https://table-end.invalid/' + n); });
document.querySelectorAll('section').forEach((section, n) => {
  mark(section.querySelector('h2').firstChild, 'https://start.invalid/' + n);
  const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT);
  let last = null; while (walker.nextNode()) if (walker.currentNode.data.trim()) last = walker.currentNode;
  if (last.parentNode.closest('svg')) return;
  mark(last, 'https://end.invalid/' + n); });
</script></body>"""


def places(pdf, kind: str) -> dict[str, tuple[int, float]]:
    """{mark: (page index, distance of its top from the page top as a share of the page)}."""
    found = {}
    for index, page in enumerate(pdf.pages):
        for uri, (_, _, _, top) in page.links:
            if uri.startswith(f"https://{kind}.invalid/"):
                found.setdefault(uri.rsplit("/", 1)[1], (index, (page.height - top) / page.height))
    return found


@pytest.fixture(scope="module")
def printed(browser, pages):
    return {name: browser.print_pdf(pages[name].replace("</body>", MARK, 1),
                                    name.replace(" ", "-"))
            for name in ("daily zh_CN", "daily en", "busy weekly zh_CN", "portfolio many")}


@pytest.mark.parametrize("name", ["daily zh_CN", "daily en"])
def test_the_demo_daily_report_prints_on_three_a4_pages_with_room_to_spare(printed, name):
    """Two pages until "Needs attention" listed the demo's night never clocked out (孙丽,
    11-01): its table moved the last section, whole, to a third page."""
    pdf = printed[name]
    assert 1 <= len(pdf.pages) <= 3
    assert all(round(page.width) == 595 and round(page.height) == 842 for page in pdf.pages)
    # a busier day still fits: the last section ends in the first 80 % of the last page
    page, top = max(places(pdf, "end").values())
    assert page == len(pdf.pages) - 1 and (len(pdf.pages) == 1 or top < 0.8)


def test_the_portfolio_links_each_site_to_its_own_report(pages):
    page = pages["portfolio zh_CN"]
    assert page.count('<a href="reports/demo-2026-10.html">阳光花园小区物业客户服务中心</a>') == 2
    assert "west：目录不存在" in page  # a folder not there


def test_every_printed_page_is_numbered_in_the_report_language(printed):
    chinese = printed["daily zh_CN"].pages
    for number, page in enumerate(chinese, 1):
        assert f"第 {number} 页，共 {len(chinese)} 页" in page.text
    english = printed["daily en"].pages
    assert [f"Page {number} of {len(english)}" in page.text
            for number, page in enumerate(english, 1)] == [True] * len(english)


@pytest.mark.parametrize("name", ["daily zh_CN", "daily en", "busy weekly zh_CN",
                                  "portfolio many"])
def test_no_table_starts_in_the_last_15_percent_of_a_page(printed, name):
    tables = places(printed[name], "table")
    assert len(tables) >= 4
    assert [mark for mark, (_, top) in tables.items() if top > 0.85] == []


@pytest.mark.parametrize("name", ["daily zh_CN", "daily en", "busy weekly zh_CN",
                                  "portfolio many"])
@pytest.mark.parametrize("what", ["section", "table"])
def test_a_section_or_table_that_fits_on_a_page_is_not_split(printed, name, what):
    starts = places(printed[name], "start" if what == "section" else "table")
    ends = places(printed[name], "end" if what == "section" else "table-end")
    assert len(ends) >= 4 and set(ends) <= set(starts)
    split = [mark for mark in ends if ends[mark][0] != starts[mark][0]]
    # One that is split must have started at the top of its page: it is taller than a page.
    assert [mark for mark in split if starts[mark][1] > 0.1] == []
