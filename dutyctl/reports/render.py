"""A laid-out report as text, markdown or one self-contained HTML file.

HTML carries its CSS and SVG charts inline: no script, no network, no external font, and
an A4 print style, so the file can be mailed, opened anywhere and printed as it is.
"""

from __future__ import annotations

import re

from dutyctl.messages import t
from dutyctl.output import markdown_safe, narrow_header, pad, simple_table, visible, wrap
from dutyctl.textwidth import display_width
from dutyctl.output import html_safe as escape
from dutyctl.reports import charts
from dutyctl.reports.blocks import Chart, Document, Facts, Note, Section, Table, paged

FORMATS = ("text", "markdown", "json", "html")
TAKEN = (*FORMATS, "xlsx")  # what -f takes: the rendered ones and the workbook

RED, BOLD, RESET = "\033[31m", "\033[1m", "\033[0m"


# -- text -----------------------------------------------------------------------------------

TEXT_WIDTH = 100  # a cron mail: mail clients wrap past it
KEEP_WHOLE = 12  # a column whose cells all fit in this many columns is never shortened
# "陈静 (chenjing2)", "陈静（陈静2）": the id after a name two staff members share tells them
# apart (an id of any script, dutyctl.ruleids); a column of such people up to this wide is
# never shortened either
NAMED = re.compile(r"(?: \(|（)[\w.·-]+[)）](?=[,，、]|$)")
KEEP_NAMED = 24  # (the form Names.person gives a shared name)
# "完成 10-28 17:30", "响应 11-23 11:00": a deadline is a time to act by, never cut to
# "完成 10-28 17…"; a column of them (or "-") up to this wide stays whole
TIMED = re.compile(r"^(?:-|.{0,10}\d{1,2}-\d{2} \d{2}:\d{2})$")
KEEP_TIMED = 22


def _widest(text: str) -> int:
    return max(map(display_width, text.splitlines()), default=0)


def _tabulated(body: list[list[str]], headers: list[str], align: list[str],
               gap: int = 2) -> str:
    """A column as wide as its widest line (tabulate's "simple" table with no minimum
    padding); drawn here when the cells allow it (no tabulate import), else by tabulate."""
    drawn = simple_table(headers, body, padding=0, align=align, gap=gap)
    if drawn is not None:
        return drawn
    import tabulate

    tabulate.WIDE_CHARS_MODE = True  # a Chinese character is two columns wide
    padding, tabulate.MIN_PADDING = tabulate.MIN_PADDING, 0
    try:
        return tabulate.tabulate(body, headers=headers, tablefmt="simple",
                                 disable_numparse=True, colalign=align)
    finally:
        tabulate.MIN_PADDING = padding


def _text_table(table: Table) -> str:
    """A table within TEXT_WIDTH columns where it can be: long headers wrap onto a second
    line at their column's width, then free text is shortened (widest column first)."""
    table = paged(table)
    body = [[" ".join(visible(cell).split()) for cell in row] for row in table.rows]
    cells = [max((display_width(row[index]) for row in body), default=0)
             for index in range(len(table.columns))]
    # a column of deadlines stays whole while the other free text can give way; cut only
    # when nothing else can (a table of short contents and long English deadline words)
    text = _fitted(table, body, cells, keep_timed=True)
    if _widest(text) > TEXT_WIDTH:  # Chinese headers of numbers wrap too (工作时长 / （小时）)
        text = _fitted(table, body, cells, keep_timed=True, narrow=True)
    if _widest(text) > TEXT_WIDTH:
        text = _fitted(table, body, cells, keep_timed=False, narrow=True)
    if _widest(text) > TEXT_WIDTH and table.numeric:  # English words wrap no further
        text = min(text, _fitted(table, body, cells, keep_timed=False, narrow=True, gap=1),
                   key=_widest)
    caption = "\n".join(wrap(visible(table.caption), TEXT_WIDTH)) + "\n" if table.caption else ""
    return caption + text


def _fitted(table: Table, body: list[list[str]], cells: list[int], keep_timed: bool,
            narrow: bool = False, gap: int = 2) -> str:
    """The table drawn within TEXT_WIDTH where it can be. `narrow`: a header wider than its
    column breaks between Chinese characters too, first before a bracket (`工作时长` over
    `（小时）`), to lines of at most NARROW_HEADER columns: a staff table of twelve figures
    with call-out hours was 120 columns, its headers twice as wide as their numbers."""
    from dutyctl.output import fit

    count = len(table.columns)
    align = ["right" if index in table.numeric else "left" for index in range(count)]
    # ids, times, rooms and short words stay whole: someone acts on them
    flexible = [index for index in range(count)
                if index not in table.numeric and cells[index] > KEEP_WHOLE
                and not (cells[index] <= KEEP_NAMED
                         and any(NAMED.search(row[index]) for row in body))
                and not (keep_timed and cells[index] <= KEEP_TIMED
                         and all(TIMED.match(row[index]) for row in body))
                and not (cells[index] <= KEEP_ROOM and index in table.whole)]
    # a header wraps to its column (a column that may be shortened: to its longest word, to
    # make room for the others; the only column has none to make: `文件:行: 问题` stays whole)
    headers = ["\n".join(narrow_header(visible(column), cells[index]) if narrow
                          and index not in flexible else
                          wrap(visible(column), 1 if index in flexible and count > 1
                               else max(cells[index], 1), at_spaces_only=True))
               for index, column in enumerate(table.columns)]
    widest_line = [max(headers[index].split("\n"), key=display_width) for index in range(count)]
    text = _tabulated(body, headers, align, gap)
    # fit() counts a header two columns wider than tabulate draws it here: allow for that
    budget = TEXT_WIDTH + 2 * sum(display_width(line) + 2 > cell
                                  for line, cell in zip(widest_line, cells))
    for _ in range(4):
        over = _widest(text) - TEXT_WIDTH
        if over <= 0:
            break
        text = _tabulated(fit(widest_line, body, budget, flexible), headers, align, gap)
        budget -= over
    return text


#: a column of rooms and places (Table.whole) up to this wide is never shortened
#: (2号楼1单元楼道 was cut to 2号楼1单…, where the technician is to go)
KEEP_ROOM = 20


def _text_facts(block: Facts, paint) -> list[str]:
    """label  value  change: the changes in a column of their own when there are any."""
    width = max((display_width(visible(label)) for label, _ in block.items), default=0)
    values = max((display_width(visible(value)) for _, value in block.items), default=0)
    lines = []
    for label, value in block.items:
        shown = paint(value, RED) if label in block.alerts else visible(value)
        line = f"{pad(visible(label), width)}  {shown}"
        change = block.change_of(label)
        if change:
            text, verdict = change
            line += " " * (values - display_width(visible(value)) + 2) + (
                paint(text, RED) if verdict == "worse" else visible(text))
        lines.append(line.rstrip())
    return lines


def text(document: Document, colour: bool = False) -> str:
    """Plain text for a terminal or a cron mail; ANSI colour only when asked (a TTY)."""
    def paint(value: str, code: str) -> str:
        return f"{code}{visible(value)}{RESET}" if colour else visible(value)

    lines = [paint(document.title, BOLD), *wrap(visible(document.subtitle), TEXT_WIDTH)]
    for section in document.sections:
        lines += ["", paint(section.title, BOLD), "-" * max(display_width(section.title), 8)]
        for block in section.blocks:
            if isinstance(block, Facts):
                lines += _text_facts(block, paint)
            elif isinstance(block, Table):
                lines += ["", _text_table(table=block), ""] if block.rows else []
            elif isinstance(block, Note):
                lines += [paint(line, RED) if block.alert else line
                          for line in wrap(visible(block.text), TEXT_WIDTH)]
            elif isinstance(block, Chart) and block.as_table and block.labels:
                lines += _chart_as_text(block)
    return "\n".join(lines).rstrip() + "\n"


def _chart_as_text(chart: Chart) -> list[str]:
    """A chart's figures as a table; a chart with nothing to count (a quiet day's volumes by
    hour) says so instead of a header with no rows."""
    table = chart.table()
    if table.rows:
        return ["", _text_table(table), ""]
    return ["", *wrap(t("{chart}: nothing recorded.", chart=chart.title), TEXT_WIDTH), ""]


# -- markdown -------------------------------------------------------------------------------

def _md_cell(value: str) -> str:
    """One line of markdown showing `value` as written: no markup, no raw HTML."""
    return markdown_safe(visible(value)).replace("\n", " ") or " "


def _md_link(text: str, href: str) -> str:
    """A link whose target cannot end it early (spaces and brackets percent-encoded) and is
    an http(s) address or a path, as in HTML (link_target)."""
    return f"[{text}](<{link_target(href)}>)"


def _md_table(table: Table) -> list[str]:
    table = paged(table)
    aligns = ["---:" if index in table.numeric else "---" for index in range(len(table.columns))]
    links = {(row, column): href for row, column, href in table.links}
    lines = [f"*{_md_cell(table.caption)}*", ""] if table.caption else []
    lines.append("| " + " | ".join(_md_cell(column) for column in table.columns) + " |")
    lines.append("| " + " | ".join(aligns) + " |")
    lines += ["| " + " | ".join(_md_link(_md_cell(cell), links[number, index])
                                if (number, index) in links else _md_cell(cell)
                                for index, cell in enumerate(row)) + " |"
              for number, row in enumerate(table.rows)]
    return lines


def markdown(document: Document) -> str:
    lines = [f"# {_md_cell(document.title)}", "", _md_cell(document.subtitle)]
    for section in document.sections:
        lines += ["", f"## {_md_cell(section.title)}"]
        for block in section.blocks:
            if isinstance(block, Chart) and block.as_table and block.labels:
                block = block.table() if block.table().rows else Note(
                    t("{chart}: nothing recorded.", chart=block.title))
            lines += [""]  # a blank line ends the previous list or table
            if isinstance(block, Facts):
                lines += [f"- **{_md_cell(label)}**: {_md_cell(value)}"
                          + (f" ({_md_cell(change[0])})" if (change := block.change_of(label))
                             else "") for label, value in block.items]
            elif isinstance(block, Table) and block.rows:
                lines += _md_table(block)
            elif isinstance(block, Note):
                lines.append(f"**{_md_cell(block.text)}**" if block.alert else _md_cell(block.text))
    return "\n".join(line for index, line in enumerate(lines)
                     if line or (index and lines[index - 1])).rstrip() + "\n"


# -- html -----------------------------------------------------------------------------------

FONTS = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
STYLE = """
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font-family: FONTS; color: #222; margin: 0 auto; padding: 16px; max-width: 1000px;
       font-size: 10.5pt; line-height: 1.45; overflow-wrap: break-word; }
h1 { font-size: 17pt; margin: 0 0 2px; line-height: 1.25; }
h2 { font-size: 12.5pt; margin: 18px 0 6px; padding-bottom: 2px; border-bottom: 2px solid #0072B2;
     break-after: avoid; page-break-after: avoid; }
.subtitle { color: #555; margin: 0 0 8px; }
section { break-inside: avoid; page-break-inside: avoid; }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(15em, 1fr));
           gap: 2px 18px; margin: 4px 0; }
dl.facts > div { display: flex; justify-content: space-between; gap: 10px; min-width: 0;
                 border-bottom: 1px dotted #ccc; }
dl.facts dt { color: #555; min-width: 0; }
dl.facts dd { margin: 0; font-weight: 600; text-align: right; min-width: 0;
              overflow-wrap: anywhere; }
.alert, td.miss { color: #b00020; font-weight: 700; }
.change { font-weight: 400; font-size: 85%; color: #555; }
.change.worse { color: #b00020; font-weight: 600; }
.change.better { color: #0072B2; }
.alert::before { content: "\\25CF\\00A0"; font-size: 80%; }  /* not ▲, the arrow of "went up" */
.scroll { overflow-x: auto; max-width: 100%; margin: 6px 0 10px; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
caption { text-align: left; font-style: italic; color: #555; padding-bottom: 2px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #eef2fb; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.short, th.short { white-space: nowrap; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
figure { margin: 6px 0 12px; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 2px; }
svg.chart { display: block; width: 100%; max-width: 560px; height: auto; }
footer { margin-top: 20px; color: #777; font-size: 8.5pt; }
@media (min-width: 700px), print {
  .briefs { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0 18px; }
}
@media (max-width: 600px) {
  body { padding: 10px; font-size: 10pt; }
  h1 { font-size: 14pt; }
  th, td { padding: 2px 4px; }
}
@media print {
  body { padding: 0; max-width: none; font-size: 8.5pt; line-height: 1.25; }
  h1 { font-size: 14pt; }
  h2 { font-size: 10.5pt; margin: 6px 0 3px; }
  .subtitle { margin-bottom: 4px; }
  table { font-size: 7.5pt; }
  th, td { padding: 1px 4px; }
  .scroll { overflow: visible; margin: 4px 0 6px; break-inside: avoid; }
  section { display: flow-root; }
  dl.facts { grid-template-columns: repeat(auto-fill, minmax(11em, 1fr)); gap: 0 14px; }
  /* A chart sits beside the section's figures and tables instead of above them. */
  figure { float: right; clear: right; width: 46%; margin: 2px 0 4px 4mm; }
  h2 + figure:last-child { float: none; width: 80mm; margin: 0; }
  svg.chart { max-width: 100mm; }
  table { width: auto; min-width: 50%; }
  /* No table starts in the last 15 % of a page: an invisible block as tall as that share
     (less the bottom margin), that cannot break, goes first and the table overlaps it. */
  .scroll::before { content: ""; display: block; height: 34mm; margin-bottom: -34mm;
                    break-inside: avoid; }
  footer { margin-top: 8px; }
  figure.screen { display: none; }
  /* a fact whose value and change are long takes two columns instead of three lines */
  dl.facts > div.wide { grid-column: span 2; }
  a { color: inherit; text-decoration: none; }
}
""".replace("FONTS", FONTS)


def _css_string(text: str) -> str:
    """`text` as a quoted CSS string: nothing in it can end the string or the style sheet."""
    return '"' + "".join(char if char.isalnum() or char in " -_.,:()/" else f"\\{ord(char):x} "
                         for char in visible(text)) + '"'


MARGIN_TEXT = f"font-family: {FONTS}; font-size: 8pt; color: #666;"


def _page_style(title: str) -> str:
    """A4 with the report title and 'page N of M' in the page margin (CSS margin boxes)."""
    import re

    parts = re.split(r"\{(page|pages)\}", t("Page {page} of {pages}"))
    numbers = " ".join(f"counter({part})" if index % 2 else _css_string(part)
                       for index, part in enumerate(parts) if part)
    return ("@page { size: A4; margin: 10mm 11mm 12mm;"
            f" @bottom-left {{ content: {_css_string(title)}; {MARGIN_TEXT} }}"
            f" @bottom-right {{ content: {numbers}; {MARGIN_TEXT} }} }}")


_ALERT = ' class="alert"'
SHORT_CELL = 20  # display columns


def _html_change(facts: Facts, label: str) -> str:
    change = facts.change_of(label)
    if change is None:
        return ""
    text, verdict = change
    return f' <span class="change {verdict or "none"}">{escape(text)}</span>'


WIDE_FACT = 23  # display columns of label, value and change together


def _wide(facts: Facts, label: str, value: str) -> str:
    change = facts.change_of(label)
    width = display_width(label) + display_width(value) + (display_width(change[0]) if change
                                                           else 0)
    return ' class="wide"' if width > WIDE_FACT else ""


def _html_facts(facts: Facts) -> str:
    rows = "".join(f"<div{_wide(facts, label, value)}><dt>{escape(label)}</dt>"
                   f"<dd{_ALERT if label in facts.alerts else ''}>"
                   f"{escape(value)}{_html_change(facts, label)}</dd></div>"
                   for label, value in facts.items)
    return f'<dl class="facts">{rows}</dl>'


def _html_table(table: Table) -> str:
    table = paged(table)
    links = {(row, column): href for row, column, href in table.links}

    def cell(tag: str, index: int, value: str, row: int = -1) -> str:
        # Short values (ids, times, names) keep to one line; long text wraps instead.
        classes = " ".join(name for name, wanted in (
            ("num", index in table.numeric),
            ("short", index not in table.numeric and display_width(value) <= SHORT_CELL),
            ("miss", (row, index) in table.marked)) if wanted)
        css = f' class="{classes}"' if classes else ""
        text = escape(value)
        if (row, index) in links:
            text = f'<a href="{_href(links[row, index])}">{text}</a>'
        return f"<{tag}{css}>{text}</{tag}>"

    head = "".join(cell("th", index, column) for index, column in enumerate(table.columns))
    body = "".join("<tr>" + "".join(cell("td", index, value, number)
                                    for index, value in enumerate(row))
                   + "</tr>" for number, row in enumerate(table.rows))
    caption = f"<caption>{escape(table.caption)}</caption>" if table.caption else ""
    # A table wider than the screen scrolls inside its own box, never the page.
    return (f'<div class="scroll" tabindex="0"><table>{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _href(target: str) -> str:
    """A link target as an HTML attribute."""
    return escape(link_target(target))


def link_target(target: str) -> str:
    """An http(s) address, else a path, percent-encoded (a colon too: `javascript:` becomes a
    harmless relative path; spaces and brackets cannot end a markdown link early)."""
    from urllib.parse import quote

    target = visible(target)
    if re.match(r"https?://", target):
        return quote(target, safe=":/#?&=%@~+,;")
    return quote(target, safe="/#?&=%@~+,;")


def _html_block(block) -> str:
    if isinstance(block, Facts):
        return _html_facts(block)
    if isinstance(block, Table):
        return _html_table(block) if block.rows else ""
    if isinstance(block, Note):
        return f"<p{_ALERT if block.alert else ''}>{escape(block.text)}</p>"
    if isinstance(block, Chart):
        screen = ' class="screen"' if block.screen_only else ""
        return (f"<figure{screen}><figcaption>{escape(block.title)}</figcaption>"
                f"{charts.svg(block)}</figure>")
    raise TypeError(block)  # pragma: no cover


def _html_section(section: Section) -> str:
    return (f"<section><h2>{escape(section.title)}</h2>"
            + "".join(_html_block(block) for block in section.blocks) + "</section>")


def _brief(section: Section) -> bool:
    return all(isinstance(block, (Facts, Note)) for block in section.blocks)


def _html_sections(sections) -> str:
    """Runs of brief sections (facts and notes only) go in a grid: two share a row when wide."""
    from itertools import groupby

    parts = []
    for brief, run in groupby(sections, key=_brief):
        run = [_html_section(section) for section in run]
        parts.append(f'<div class="briefs">{"".join(run)}</div>' if brief and len(run) > 1
                     else "\n".join(run))
    return "\n".join(parts)


def _language_tag() -> str:
    from dutyctl.messages import current_language

    return current_language().replace("_", "-")


def html(document: Document, footer: str = "") -> str:
    sections = _html_sections(document.sections)
    return ("<!DOCTYPE html>\n"
            f'<html lang="{_language_tag()}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(document.title)}</title>\n"
            f"<style>{STYLE}{_page_style(document.title)}\n</style>\n</head>\n<body>\n"
            f"<header><h1>{escape(document.title)}</h1>"
            f'<p class="subtitle">{escape(document.subtitle)}</p></header>\n'
            f"{sections}\n"
            + (f"<footer>{escape(footer)}</footer>\n" if footer else "")
            + "</body>\n</html>\n")
