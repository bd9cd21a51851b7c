"""A laid-out report as an Excel workbook (`report daily|weekly|monthly -f xlsx`).

The same document the text, markdown and HTML renderers draw (dutyctl.reports.blocks), written
through the one workbook writer (dutyctl.xlsx: text stored as text, a leading = + - @ marked as
typed, control characters shown): a first sheet with the title, the subtitle (the period, how
complete it is, what was read) and a link to each section; then one sheet per section, named by
its title, its blocks one under the other — facts as figure / value / change rows, tables under
their caption, notes as lines, a chart as the table text shows for it. A cell that says one
value (blocks.Said) keeps it: counts are numbers, shares percentages, moments and days Excel
times and dates, lengths of time Excel durations; everything else is the words the text report
prints. The header row of the first block is frozen; the columns are as wide as their
contents on a Chinese screen (display width, capped).
"""

from __future__ import annotations

from typing import Any

from dutyctl import xlsx
from dutyctl.messages import NP_, pgettext, t
from dutyctl.reports.blocks import Chart, Document, Facts, Note, Said, Section, Table

#: the Excel number format of each kind of value a cell says (Said.form)
NUMBER_FORMATS = {"share": "0.0%", "hours": xlsx.HOURS_FORMAT, "score": "0.00",
                  "moment": "yyyy-mm-dd hh:mm", "day": "yyyy-mm-dd"}
MINUTES_PER_DAY = 24 * 60
TITLE_SIZE = 14
ALERT_COLOUR = "B00020"  # the HTML report's alert red
#: the words of the sheet itself (a section's own come from the layout)
SHEET, CONTENTS = NP_("column", "sheet"), NP_("sheet", "Contents")
#: a length of time as hours and minutes, past 24 (Excel's [h]), in the site's words
DURATION = NP_("excel duration", '[h]"h"mm"m"')


def _duration_format() -> str:
    return pgettext(*DURATION)


class _Sheet:
    """One worksheet filled from the top, row by row, measuring its columns as it goes."""

    def __init__(self, book, title: str):
        self.sheet = book.create_sheet(title)
        self.row = 1
        self.widths: dict[int, int] = {}
        self.frozen = False

    def put(self, column: int, value: Any, measure: bool = True):
        """One cell of the current row: a Said as its value, the rest as safe text."""
        if isinstance(value, Said) and value.value is not None:
            if value.form == "minutes":
                target = xlsx.put(self.sheet, self.row, column, value.value / MINUTES_PER_DAY)
                target.number_format = _duration_format()
                width = xlsx.text_width(str(value)) + 2
            else:
                target = xlsx.put(self.sheet, self.row, column, value.value)
                if value.form in NUMBER_FORMATS:
                    target.number_format = NUMBER_FORMATS[value.form]
                width = max(xlsx.text_width(str(value)), xlsx.text_width(target.value))
        else:
            target = xlsx.put(self.sheet, self.row, column, str(value) if value is not None
                               else None)
            width = xlsx.text_width(target.value)
        if measure:
            self.widths[column] = max(self.widths.get(column, 0), width)
        return target

    def header(self, labels, freeze: bool = True) -> None:
        """A header row; the first one of the sheet stays in view (frozen) as it scrolls."""
        for column, label in enumerate(labels, start=1):
            xlsx.header_style(self.put(column, label))
        self.row += 1
        if freeze and not self.frozen:
            self.sheet.freeze_panes = f"A{self.row}"
            self.frozen = True

    def line(self, text: str, bold: bool = False, alert: bool = False,
             size: float | None = None) -> None:
        """A line of words in the first column (a caption, a note), over the cells beside it."""
        from openpyxl.styles import Font

        target = self.put(1, text, measure=False)
        if bold or alert or size:
            target.font = Font(bold=bold or alert, size=size,
                               color=ALERT_COLOUR if alert else None)
        self.row += 1

    def skip(self) -> None:
        self.row += 1

    def finish(self) -> None:
        xlsx.set_widths(self.sheet, self.widths)


def _alert(target) -> None:
    from openpyxl.styles import Font

    target.font = Font(bold=True, color=ALERT_COLOUR)


def _facts(sheet: _Sheet, facts: Facts) -> None:
    with_changes = bool(facts.changes)
    sheet.header([t("figure"), t("value"), *([t("change")] if with_changes else [])])
    for label, value in facts.items:
        sheet.put(1, label)
        shown = sheet.put(2, value)
        if label in facts.alerts:
            _alert(shown)
        change = facts.change_of(label)
        if change is not None:
            text, verdict = change
            changed = sheet.put(3, text)
            if verdict == "worse":
                _alert(changed)
        sheet.row += 1


def _link(target, href: str) -> None:
    """A site report's link (portfolio): an http(s) address or a relative path, as HTML."""
    from dutyctl.reports.render import link_target

    target.hyperlink = link_target(href)
    target.style = "Hyperlink"


def _table(sheet: _Sheet, table: Table) -> None:
    if table.caption:
        sheet.line(table.caption, bold=True)
    sheet.header(table.columns)
    links = {(row, column): href for row, column, href in table.links}
    for number, row in enumerate(table.rows):
        for index, value in enumerate(row):
            target = sheet.put(index + 1, value)
            if (number, index) in links:
                _link(target, links[number, index])
            if (number, index) in table.marked:
                _alert(target)
        sheet.row += 1


def _shown(block):
    """What a block shows on a sheet, as in the text report: a chart its table (or that
    nothing was recorded) when text shows it as one, else nothing; no empty table or facts."""
    if isinstance(block, Chart):
        if not (block.as_table and block.labels):
            return None  # drawn in HTML only; its figures are in a table beside it
        chart = block.table()
        return chart if chart.rows else Note(t("{chart}: nothing recorded.", chart=block.title))
    if isinstance(block, Facts):
        return block if block.items else None
    if isinstance(block, Table):
        return block if block.rows else None
    return block


def _block(sheet: _Sheet, block) -> None:
    if isinstance(block, Facts):
        _facts(sheet, block)
    elif isinstance(block, Table):
        _table(sheet, block)
    elif isinstance(block, Note):
        sheet.line(block.text, alert=block.alert)
    else:  # pragma: no cover
        raise TypeError(block)


def _section(book, name: str, section: Section, print_title: str) -> None:
    sheet = _Sheet(book, name)
    blocks = [shown for shown in map(_shown, section.blocks) if shown is not None]
    for index, block in enumerate(blocks):
        if index and not isinstance(block, Note):
            sheet.skip()  # a blank row before each table
        _block(sheet, block)
    if not blocks:
        sheet.line(section.title, bold=True)
    xlsx.for_paper(sheet.sheet, print_title)
    sheet.finish()




def _cover(book, name: str, document: Document, sections: list[tuple[str, str]]) -> None:
    """The report's title and subtitle, then each section's sheet, linked."""
    from openpyxl.worksheet.hyperlink import Hyperlink

    sheet = _Sheet(book, name)
    sheet.line(document.title, bold=True, size=TITLE_SIZE)
    sheet.line(document.subtitle)
    sheet.skip()
    sheet.header([pgettext(*SHEET)], freeze=False)
    for sheet_name, title in sections:
        target = sheet.put(1, title)
        target.hyperlink = Hyperlink(ref=target.coordinate,
                                     location="'{}'!A1".format(sheet_name.replace("'", "''")))
        target.style = "Hyperlink"
        sheet.row += 1
    sheet.finish()


def document_workbook(document: Document) -> bytes:
    """The report as a workbook: a cover sheet, then a sheet per section (module docstring)."""
    from dutyctl.output import visible

    book = xlsx.new_book()
    names = xlsx.sheet_names([pgettext(*CONTENTS)]
                        + [section.title for section in document.sections])
    book.properties.title = visible(document.title)[:250]  # no control character in XML
    book.properties.subject = visible(document.subtitle)[:250]
    book.properties.creator = "dutyctl"
    _cover(book, names[0], document, list(zip(names[1:], (section.title for section
                                                          in document.sections))))
    for name, section in zip(names[1:], document.sections):
        _section(book, name, section, document.title)
    return xlsx.book_bytes(book)
