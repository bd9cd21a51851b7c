"""Excel workbooks (`--format xlsx`): any listing as a sheet, and the roster as a wall grid.

openpyxl is imported inside these functions only: a command that never writes xlsx does not
pay for it at startup. Text cells are always stored as text, and one that a spreadsheet would
take for a formula (a leading = + - @, output.FORMULA_START) is marked as typed with a quote
(Excel's quotePrefix: shown as written, still text when edited), so a note from another desk
never runs as a formula and a lone "-" shows as "-", not "'-" as in CSV; numbers stay numbers
and times become Excel times in the site zone.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Any, Iterable, Sequence

from dutyctl.messages import NP_, pgettext, t, tp
from dutyctl.output import FORMULA_START, cell, column_label, spread_rows, weekday_word
from dutyctl.safetext import one_line
from dutyctl.timeutil import days_between

HEADER_FILL = "D9E1F2"
WEEKEND_FILL = "FCE4D6"   # a Saturday or Sunday off
HOLIDAY_FILL = "F8CBAD"   # a day of a statutory break
WORKDAY_FILL = "E2EFDA"   # a 调休 make-up working day (a weekend day worked)
LEAVE_FILL = "DDEBF7"     # a person's day of leave (the rules' leave)
MAX_WIDTH = 40
SCALARS = (str, int, float, date)  # datetime is a date
#: A moment a row holds as ISO text (a deadline, a handover item's time): an Excel time too.
ISO_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)")

#: Each command's sheet in the site's language (English keeps the command's own name).
SHEET_TITLES = {
    "attendance": NP_("sheet", "attendance"), "who": NP_("sheet", "who"),
    "list": NP_("sheet", "list"), "search": NP_("sheet", "search"),
    "show": NP_("sheet", "show"), "check": NP_("sheet", "check"),
    "caller": NP_("sheet", "caller"), "room": NP_("sheet", "room"),
    "clock status": NP_("sheet", "clock status"),
    "checklist problems": NP_("sheet", "checklist problems"),
    "handover pending": NP_("sheet", "handover pending"),
    "handover show": NP_("sheet", "handover show"),
    "callback list": NP_("sheet", "callback list"),
    "resident list": NP_("sheet", "resident list"),
    "notify outbox": NP_("sheet", "notify outbox"),
    "emergency open": NP_("sheet", "emergency open"),
    "repair schedule": NP_("sheet", "repair schedule"),
    "roster check": NP_("sheet", "roster check"), "roster show": NP_("sheet", "roster show"),
    "roster explain": NP_("sheet", "roster explain"),
    "roster stats": NP_("sheet", "roster stats"),
}


def sheet_title(command: str) -> str:
    """The sheet a command's listing is written to: SHEET_TITLES, else the command."""
    return pgettext(*SHEET_TITLES[command]) if command in SHEET_TITLES else command


def cell_value(value: Any) -> Any:
    """What a cell holds: numbers as numbers, moments as naive local times, the rest as safe
    text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return cell(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, datetime):  # Excel has no zones: the wall-clock time it was given in
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_MOMENT.fullmatch(value):
        try:
            return datetime.fromisoformat(value).replace(tzinfo=None)  # written in the site zone
        except ValueError:  # text shaped so, no moment (a name 2026-02-30T10:00Z): text
            pass
    return cell(value)


def put(sheet, row: int, column: int, value: Any):
    """Write one cell; text is stored as text even when it looks like a formula."""
    target = sheet.cell(row=row, column=column)
    shown = cell_value(value)
    target.value = shown
    if isinstance(shown, str):
        target.data_type = "s"
        if shown.startswith(FORMULA_START):
            target.quotePrefix = True
    elif isinstance(shown, datetime):
        target.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(shown, date):
        target.number_format = "yyyy-mm-dd"
    return target


def wrapped(target) -> None:
    """The cell's text wrapped in its column, from the top: its lines and a text longer than
    the widest column, which showed on one line, cut by the next cell."""
    from openpyxl.styles import Alignment

    target.alignment = Alignment(wrap_text=True, vertical="top")


def header_style(target) -> None:
    from openpyxl.styles import Font, PatternFill

    target.font = Font(bold=True)
    target.fill = PatternFill("solid", fgColor=HEADER_FILL)


DAY_WIDTH_MOST = 10  # a roster grid's day column: a shift name of five Chinese characters


def set_widths(sheet, widths: dict[int, int]) -> None:
    from openpyxl.utils import get_column_letter

    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, width + 2)


def text_width(value: Any) -> int:
    from dutyctl.textwidth import display_width

    if isinstance(value, datetime):
        return 16
    return display_width(str(value)) if value is not None else 0


def new_book():
    """An empty workbook (openpyxl's first sheet taken away): add_sheet adds the sheets."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    return book


def book_bytes(book) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_names(titles: list[str]) -> list[str]:
    """Each title as a sheet name Excel takes: no []:*?/\\, at most 31 characters, no quote
    at either end, not "History" (Excel's own), and none twice (Excel ignores case): a
    repeated one gets (2), (3)."""
    names: list[str] = []
    for title in titles:
        base = "".join("_" if ch in "[]:*?/\\" else ch for ch in title.strip().strip("'"))
        base = base[:31].strip("'") or "Sheet"
        if base.casefold() == "history":
            base += " (1)"
        name, count = base, 1
        while name.casefold() in {used.casefold() for used in names}:
            count += 1
            suffix = f" ({count})"
            name = base[:31 - len(suffix)] + suffix
        names.append(name)
    return names


def add_sheet(book, title: str):
    """A new last sheet of the book, named after the title as Excel takes it (sheet_names:
    never the name of a sheet the book has)."""
    return book.create_sheet(sheet_names([*book.sheetnames, title])[-1])


#: Hours as a decimal number (7.5 is seven and a half hours) shown to one place, as every
#: screen and the reports say them (output.hours_text): a sheet's `hours`, `hours_worked`,
#: `hours_rostered`… columns, summed as numbers (the cell keeps the figure: 12.17 shows 12.2)
HOURS_FORMAT = "0.0"


def is_hours(key: str) -> bool:
    """A column of hours (`hours`, `hours_worked`, `hours_call_out`, `waiting_hours`)."""
    return key == "hours" or key.startswith("hours_") or key.endswith("_hours")


def add_rows_sheet(book, title: str, rows: Iterable[dict], columns: Sequence[tuple[str, str]],
                   totals: Sequence[str] = (), words=None, print_title: str | None = None) -> Any:
    """A sheet of one row per entity: the translated column titles, frozen and filtered; a
    mapping spread into `key.sub` columns as in CSV; `totals`: keys summed by a formula (not one with an empty, unknown, cell);
    `words` (dutyctl.cli.cellwords): (key, value, row, keys) → what the cell shows (the ids of
    a cell as words)."""
    from openpyxl.utils import get_column_letter

    sheet = add_sheet(book, title)
    labels = dict(columns)
    rows = list(rows)
    keys, spread = spread_rows(rows, columns)
    flat_rows = list(zip(spread, rows))
    widths = {}
    for column, key in enumerate(keys, start=1):
        label = labels.get(key) or column_label(key)
        header_style(put(sheet, 1, column, label))
        widths[column] = text_width(label)
    for number, (flat, row) in enumerate(flat_rows, start=2):
        for column, key in enumerate(keys, start=1):
            raw = row.get(key)  # typed (a number, a moment) unless spread or a list
            value = raw if isinstance(raw, SCALARS) else flat.get(key)
            if words is not None:
                value = words(key, raw if isinstance(raw, (list, tuple)) else value, row, keys)
            target = put(sheet, number, column, value)
            if is_hours(key) and isinstance(target.value, (int, float)):
                target.number_format = HOURS_FORMAT
            if isinstance(target.value, str) and (
                    "\n" in target.value or text_width(target.value) > MAX_WIDTH):
                wrapped(target)  # a typed line break, a long complaint: shown whole
            widths[column] = max(widths[column], text_width(cell_value(value)))
    last = len(flat_rows) + 1
    if totals and flat_rows:
        header_style(put(sheet, last + 1, 1, t("total")))
        for column, key in enumerate(keys, start=1):
            # a column with an unknown cell (null: a statutory day not known) has no total:
            # SUM would count it as nothing and give a figure short of the truth
            if key in totals and all(row.get(key) is not None for row in rows):
                letter = get_column_letter(column)
                total = sheet.cell(row=last + 1, column=column)
                total.value = f"=SUM({letter}2:{letter}{last})"
                if is_hours(key):
                    total.number_format = HOURS_FORMAT
    sheet.freeze_panes = "A2"
    if keys:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{last}"
    set_widths(sheet, widths)
    for_paper(sheet, print_title or title)
    return sheet


def _header_text(text: str) -> str:
    """Words for a printed page's header (at most 255 characters with its codes): shown safe,
    & doubled (it starts a code there)."""
    from dutyctl.output import visible

    return visible(text)[:120].replace("&", "&&")


def for_paper(sheet, title: str) -> None:
    """Printed as the HTML report is: A4, `title` over each page, landscape and one page
    wide (a wide table is shrunk, never cut into a second column of pages), the header rows
    repeated on every page: a report's sheets and every listing's (`考勤`, `排班 统计`: three
    pages of figures without the names before)."""
    sheet.oddHeader.center.text = _header_text(title)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.freeze_panes:
        sheet.print_title_rows = f"1:{int(sheet.freeze_panes[1:]) - 1}"


def rows_workbook(rows: Iterable[dict], columns: Sequence[tuple[str, str]], title: str,
                  totals: Sequence[str] = (), words=None, printed=lambda title: title,
                  more: Sequence[tuple] = ()) -> bytes:
    """Any listing as a workbook: a sheet of `rows`, then one for each (title, rows, columns)
    of `more` (`roster stats`' spreads); `words`: add_rows_sheet's; `printed`: a sheet's
    title -> the words over its printed pages."""
    book = new_book()
    add_rows_sheet(book, title, list(rows), columns, totals, words, printed(title))
    for sheet, sheet_rows, sheet_columns in more:
        add_rows_sheet(book, sheet, sheet_rows, sheet_columns, words=words,
                       print_title=printed(sheet))
    return book_bytes(book)


# -- the roster on the wall -------------------------------------------------------------------

def _day_fill(day: date, calendar) -> str | None:
    if calendar.in_statutory_break(day):
        return HOLIDAY_FILL
    if day.weekday() >= 5:
        return WORKDAY_FILL if calendar.is_working_day(day) else WEEKEND_FILL
    return None


def roster_grid(book, rules, slots, first: date, last: date, title: str, names) -> Any:
    # the sheet is named by the period; the title (site and period) heads it
    """People x days: each person by name (`names`: staff id → 李娜, with the id only for a
    namesake), shift names in the cells (on-call duties too), a day of leave by its kind (年假,
    else 请假) in its own colour, weekends, holidays and 调休 working days coloured, and per
    person the shifts and on-call duties counted by formulas
    (COUNTIF over the row), so a hand edit on the wall copy updates the totals."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from dutyctl.output import date_label

    sheet = add_sheet(book, t("roster {first} to {last}", first=date_label(first),
                              last=date_label(last)))
    days = days_between(first, last)
    on_call_names = {shift.name for shift in rules.shifts if shift.on_call}
    first_day_col, last_day_col = 2, 1 + len(days)
    totals = [(t("shifts"), False), (t("on call"), True)]
    total_cols = list(range(last_day_col + 1, last_day_col + 1 + len(totals)))
    width = total_cols[-1]
    # row 1: the title over the whole grid; row 2: month headers merged over their days
    put(sheet, 1, 1, title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    header_style(put(sheet, 2, 1, t("name")))
    sheet.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    start = first_day_col
    for index, day in enumerate(days):
        column = first_day_col + index
        if index == len(days) - 1 or days[index + 1].month != day.month:
            header_style(put(sheet, 2, start, t("{year}-{month:02d}", year=day.year,
                                                    month=day.month)))
            if column > start:
                sheet.merge_cells(start_row=2, start_column=start, end_row=2, end_column=column)
            start = column + 1
        top = put(sheet, 3, column, f"{day.day}\n{weekday_word(day)}")
        top.alignment = Alignment(horizontal="center", wrap_text=True)
        header_style(top)
        fill = _day_fill(day, rules.calendar)
        if fill:
            top.fill = PatternFill("solid", fgColor=fill)
    for column, (label, _) in zip(total_cols, totals):
        header_style(put(sheet, 2, column, label))
        sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    cells: dict[tuple[str, date], list[str]] = {}
    for slot in slots:
        if slot.staff and first <= slot.date <= last:
            cells.setdefault((slot.staff, slot.date), []).append(_shown(slot.shift_name))
    people = [member.id for member in rules.staff]
    people += sorted({slot.staff for slot in slots if slot.staff} - set(people))
    work_names = sorted({shift.name for shift in rules.shifts if not shift.on_call})
    for number, staff in enumerate(people, start=4):
        put(sheet, number, 1, names(staff))
        member = rules.member(staff)
        for index, day in enumerate(days):
            column = first_day_col + index
            on_leave = member is not None and day in member.leave
            shown = "\n".join(cells.get((staff, day), [])) or (
                _leave_word(member, day, rules) if on_leave else "")
            target = put(sheet, number, column, shown or None)
            target.alignment = Alignment(horizontal="center", wrap_text=True)
            fill = LEAVE_FILL if on_leave else _day_fill(day, rules.calendar)
            if fill:
                target.fill = PatternFill("solid", fgColor=fill)
        span = (f"{get_column_letter(first_day_col)}{number}:"
                f"{get_column_letter(last_day_col)}{number}")
        held = [name for (who, _), shown in cells.items() if who == staff for name in shown]
        worked = "+".join(_count(span, name, held) for name in work_names) or "0"
        on_call = "+".join(_count(span, name, held) for name in sorted(on_call_names)) or "0"
        sheet.cell(row=number, column=total_cols[0]).value = f"={worked}"
        sheet.cell(row=number, column=total_cols[1]).value = f"={on_call}"
    legend_row = len(people) + 5
    for offset, (label, fill) in enumerate(((t("weekend"), WEEKEND_FILL),
                                            (t("holiday"), HOLIDAY_FILL),
                                            (t("调休 workday"), WORKDAY_FILL),
                                            (tp("roster cell", "leave"), LEAVE_FILL))):
        target = put(sheet, legend_row + offset, 1, label)
        target.fill = PatternFill("solid", fgColor=fill)
    sheet.freeze_panes = sheet.cell(row=4, column=first_day_col)
    # a day as wide as its widest shift name (夜间备班: 8), none cut mid-word; a name of
    # another desk's as long as a sentence wraps as before (the month stays one page wide)
    day_width = min(DAY_WIDTH_MOST, max([5, *(text_width(name) for shown in cells.values()
                                              for name in shown)]))
    set_widths(sheet, {1: 10, **{c: day_width for c in range(first_day_col, last_day_col + 1)},
                    **{c: 8 for c in total_cols}})
    for_paper(sheet, title)  # the wall copy: a month's 31 days on one landscape A4 page wide
    return sheet


def _leave_word(member, day: date, rules) -> str:
    """What a day of leave shows in the grid: its kind (年假, 病假), else 请假, on one line;
    nothing (the fill alone) when it is a shift's name in any case (a leave kind `day` beside
    a shift Day), so the COUNTIF totals, which ignore case as Excel does, never count it."""
    word = _shown(member.leave_kind(day) or tp("roster cell", "leave"))
    folded = word.casefold()
    return "" if any(_shown(shift.name).casefold() == folded for shift in rules.shifts) else word


def _shown(name: str) -> str:
    """A shift name or leave word as a grid cell shows it: one line (control characters,
    line breaks and tabs visibly escaped), so the line break that joins the shifts of one day
    bounds each name."""
    return one_line(name)


# Excel's COUNTIF refuses a criterion longer than this (#VALUE!)
CRITERION_MOST = 255


def _count(span: str, name: str, held: list[str]) -> str:
    """The formula counting the shift `name` in a row (`held`: the names its cells show):
    the cells that are the name or hold it as their first, last or a middle line (a line per
    shift), never a name that only contains it (白班加班 is not 白班, Sunday cover not Day);
    wildcards escaped, a name starting = < > not read as a comparison. A name too long for
    a criterion is the number of times `held` shows it when exported: no formula matches it."""
    name = _shown(name)
    quoted = _quote(name)
    if len(_wild(name)) + 4 > CRITERION_MOST:
        return str(held.count(name))
    lead = "=" if name.startswith(("=", "<", ">")) else ""  # a name, not a comparison
    patterns = (f'"{lead}{quoted}"', f'"{lead}{quoted}"&CHAR(10)&"*"',
                f'"*"&CHAR(10)&"{quoted}"', f'"*"&CHAR(10)&"{quoted}"&CHAR(10)&"*"')
    return "+".join(f"COUNTIF({span},{pattern})" for pattern in patterns)


def _wild(name: str) -> str:
    """A name inside a COUNTIF criterion: Excel's wildcards (~ * ?) escaped with ~."""
    return name.replace("~", "~~").replace("*", "~*").replace("?", "~?")


def _quote(name: str) -> str:
    """A shown name inside a COUNTIF pattern of a formula: wildcards escaped, quotes doubled."""
    return _wild(name).replace('"', '""')


def roster_workbook(rules, slots, first: date, last: date, title: str, names,
                    places: list[dict], place_columns, words=None) -> bytes:
    """The wall grid, then the places one per row (the columns of the CSV export, `words`:
    add_rows_sheet)."""
    book = new_book()
    roster_grid(book, rules, slots, first, last, title, names)
    add_rows_sheet(book, t("places"), places, place_columns, words=words)
    return book_bytes(book)
