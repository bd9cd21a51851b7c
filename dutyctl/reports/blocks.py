"""What a rendered report is made of: titled sections of facts, tables, notes and charts.

The layout turns the report document into these blocks once; each renderer (text, markdown,
HTML) only knows how to draw a block, so every format says the same thing.
"""

from __future__ import annotations

from typing import Any

from dutyctl.frozen import field, frozen, replace


class Said(str):
    """A cell's words with the value they say: `87.5%` with 0.875, `11-25 09:30` with the
    moment, `3` with 3. It is the words (text, markdown and HTML draw them as any text); a
    sheet (`--format xlsx`, dutyctl.xlsx.document_workbook) keeps the value, so a count is a
    number, a share a percentage and a moment an Excel time. `form` says which: number,
    share, hours, score, minutes (a length of time), moment (a naive wall-clock datetime in
    the site zone), day (a date). Words joined with others are plain text again."""

    value: Any
    form: str

    def __new__(cls, text: str = "", value: Any = None, form: str = "number") -> "Said":
        said = super().__new__(cls, text)
        said.value, said.form = value, form
        return said


@frozen
class Facts:
    """Label: value lines. `alert` marks values that need attention (coloured at a TTY)."""

    items: tuple[tuple[str, str], ...]
    alerts: frozenset[str] = frozenset()
    #: (label, change, verdict): beside a value, its change since the previous period
    #: ('▲ +2, worse'); verdict better | worse | same | neither | "" (no data)
    changes: tuple[tuple[str, str, str], ...] = ()

    def change_of(self, label: str) -> tuple[str, str] | None:
        return next(((text, verdict) for name, text, verdict in self.changes
                     if name == label), None)


@frozen
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    numeric: frozenset[int] = frozenset()  # column indexes aligned right
    marked: frozenset[tuple[int, int]] = frozenset()  # (row, column) cells below their target
    links: tuple[tuple[int, int, str], ...] = ()  # (row, column, href): HTML and markdown link
    whole: frozenset[int] = frozenset()  # column indexes of rooms and places: never shortened
    #: column indexes of a record's own words (content, note): a page (text, markdown, HTML)
    #: cuts them to PAGE_TEXT columns, a workbook keeps them whole, as JSON does
    free: frozenset[int] = frozenset()


PAGE_TEXT = 40  # columns of a record's words a page of a report shows (a Chinese character: 2)


def paged(table: Table) -> Table:
    """`table` as a page shows it: its free-text columns cut to PAGE_TEXT columns."""
    if not table.free:
        return table
    from dutyctl.textwidth import shorten

    return replace(table, rows=tuple(
        tuple(shorten(cell, PAGE_TEXT) if index in table.free else cell
              for index, cell in enumerate(row)) for row in table.rows))


@frozen
class Note:
    text: str
    alert: bool = False


@frozen
class Series:
    name: str
    values: tuple[float, ...]
    tone: str = "primary"  # primary | good | bad | muted | warn


@frozen
class Chart:
    """A bar chart: one bar group per label, series stacked. HTML draws it; text skips it."""

    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    horizontal: bool = False
    unit: str = ""
    as_table: bool = False  # text and markdown show its non-empty rows as a table instead
    label_header: str = ""  # names the labels: a table's first column, a chart's category axis
    value_title: str = ""  # the value axis title with its unit; charts default to a count
    targets: tuple[float, ...] = ()  # per label: the target line a rate is drawn against
    screen_only: bool = False  # its figures are in a table beside it: left off paper

    def table(self) -> "Table":
        rows = tuple((label, *(Said(f"{series.values[index]:g}", series.values[index])
                               for series in self.series))
                     for index, label in enumerate(self.labels)
                     if any(series.values[index] for series in self.series))
        return Table((self.label_header, *(series.name for series in self.series)), rows,
                     self.title, frozenset(range(1, len(self.series) + 1)))


@frozen
class Section:
    title: str
    blocks: tuple = ()


@frozen
class Document:
    title: str
    subtitle: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
