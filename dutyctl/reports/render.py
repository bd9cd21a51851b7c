"""A laid-out report as text, markdown or one self-contained HTML file.

HTML carries its CSS and SVG charts inline: no script, no network, no external font, and
an A4 print style, so the file can be mailed, opened anywhere and printed as it is.
"""

from __future__ import annotations

from dutyctl.output import display_width, markdown_safe, pad, visible
from dutyctl.output import html_safe as escape
from dutyctl.reports import charts
from dutyctl.reports.blocks import Chart, Document, Facts, Note, Table

FORMATS = ("text", "markdown", "json", "html")

RED, BOLD, RESET = "\033[31m", "\033[1m", "\033[0m"


# -- text -----------------------------------------------------------------------------------

def _text_table(table: Table) -> str:
    import tabulate

    tabulate.WIDE_CHARS_MODE = True  # a Chinese character is two columns wide
    align = ["right" if index in table.numeric else "left" for index in range(len(table.columns))]
    body = tabulate.tabulate([[visible(cell) for cell in row] for row in table.rows],
                             headers=[visible(column) for column in table.columns],
                             tablefmt="simple", disable_numparse=True, colalign=align)
    return (f"{visible(table.caption)}\n" if table.caption else "") + body


def text(document: Document, colour: bool = False) -> str:
    """Plain text for a terminal or a cron mail; ANSI colour only when asked (a TTY)."""
    def paint(value: str, code: str) -> str:
        return f"{code}{visible(value)}{RESET}" if colour else visible(value)

    lines = [paint(document.title, BOLD), visible(document.subtitle)]
    for section in document.sections:
        lines += ["", paint(section.title, BOLD), "-" * max(display_width(section.title), 8)]
        for block in section.blocks:
            if isinstance(block, Facts):
                width = max((display_width(visible(label)) for label, _ in block.items),
                            default=0)
                lines += [f"{pad(visible(label), width)}  "
                          f"{paint(value, RED) if label in block.alerts else visible(value)}"
                          for label, value in block.items]
            elif isinstance(block, Table):
                lines += ["", _text_table(table=block), ""] if block.rows else []
            elif isinstance(block, Note):
                lines.append(paint(block.text, RED) if block.alert else visible(block.text))
            elif isinstance(block, Chart) and block.as_table and block.labels:
                lines += ["", _text_table(block.table()), ""]
    return "\n".join(lines).rstrip() + "\n"


# -- markdown -------------------------------------------------------------------------------

def _md_cell(value: str) -> str:
    """One line of markdown showing `value` as written: no markup, no raw HTML."""
    return markdown_safe(visible(value)).replace("\n", " ") or " "


def _md_table(table: Table) -> list[str]:
    aligns = ["---:" if index in table.numeric else "---" for index in range(len(table.columns))]
    lines = [f"*{_md_cell(table.caption)}*", ""] if table.caption else []
    lines.append("| " + " | ".join(_md_cell(column) for column in table.columns) + " |")
    lines.append("| " + " | ".join(aligns) + " |")
    lines += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in table.rows]
    return lines


def markdown(document: Document) -> str:
    lines = [f"# {_md_cell(document.title)}", "", _md_cell(document.subtitle)]
    for section in document.sections:
        lines += ["", f"## {_md_cell(section.title)}"]
        for block in section.blocks:
            if isinstance(block, Chart) and block.as_table and block.labels:
                block = block.table()
            lines += [""]  # a blank line ends the previous list or table
            if isinstance(block, Facts):
                lines += [f"- **{_md_cell(label)}**: {_md_cell(value)}"
                          for label, value in block.items]
            elif isinstance(block, Table) and block.rows:
                lines += _md_table(block)
            elif isinstance(block, Note):
                lines.append(f"**{_md_cell(block.text)}**" if block.alert else _md_cell(block.text))
    return "\n".join(line for index, line in enumerate(lines)
                     if line or (index and lines[index - 1])).rstrip() + "\n"


# -- html -----------------------------------------------------------------------------------

STYLE = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       color: #222; margin: 0 auto; padding: 16px; max-width: 186mm; font-size: 10.5pt;
       line-height: 1.45; }
h1 { font-size: 17pt; margin: 0 0 2px; }
h2 { font-size: 12.5pt; margin: 18px 0 6px; padding-bottom: 2px; border-bottom: 2px solid #3867d6; }
.subtitle { color: #555; margin: 0 0 8px; }
section { break-inside: avoid-page; page-break-inside: avoid; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 14px; margin: 4px 0; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; font-weight: 600; }
.alert, td.miss { color: #c62828; font-weight: 700; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 9.5pt; }
caption { text-align: left; font-style: italic; color: #555; padding-bottom: 2px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #eef2fb; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 6px 0 12px; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 2px; }
svg.chart { width: 100%; height: auto; max-width: 100%; }
footer { margin-top: 20px; color: #777; font-size: 8.5pt; }
@media print { body { padding: 0; } a { color: inherit; text-decoration: none; } }
"""


_ALERT = ' class="alert"'


def _html_facts(facts: Facts) -> str:
    rows = "".join(f"<dt>{escape(label)}</dt><dd{_ALERT if label in facts.alerts else ''}>"
                   f"{escape(value)}</dd>" for label, value in facts.items)
    return f'<dl class="facts">{rows}</dl>'


def _html_table(table: Table) -> str:
    def cell(tag: str, index: int, value: str, row: int = -1) -> str:
        classes = " ".join(name for name, wanted in (("num", index in table.numeric),
                                                     ("miss", (row, index) in table.marked))
                           if wanted)
        css = f' class="{classes}"' if classes else ""
        return f"<{tag}{css}>{escape(value)}</{tag}>"

    head = "".join(cell("th", index, column) for index, column in enumerate(table.columns))
    body = "".join("<tr>" + "".join(cell("td", index, value, number)
                                    for index, value in enumerate(row))
                   + "</tr>" for number, row in enumerate(table.rows))
    caption = f"<caption>{escape(table.caption)}</caption>" if table.caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_block(block) -> str:
    if isinstance(block, Facts):
        return _html_facts(block)
    if isinstance(block, Table):
        return _html_table(block) if block.rows else ""
    if isinstance(block, Note):
        return f"<p{_ALERT if block.alert else ''}>{escape(block.text)}</p>"
    if isinstance(block, Chart):
        return (f"<figure><figcaption>{escape(block.title)}</figcaption>"
                f"{charts.svg(block)}</figure>")
    raise TypeError(block)  # pragma: no cover


def html(document: Document, footer: str = "") -> str:
    sections = "\n".join(
        f"<section><h2>{escape(section.title)}</h2>"
        + "".join(_html_block(block) for block in section.blocks) + "</section>"
        for section in document.sections)
    return ("<!DOCTYPE html>\n"
            '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(document.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f"<header><h1>{escape(document.title)}</h1>"
            f'<p class="subtitle">{escape(document.subtitle)}</p></header>\n'
            f"{sections}\n"
            + (f"<footer>{escape(footer)}</footer>\n" if footer else "")
            + "</body>\n</html>\n")
