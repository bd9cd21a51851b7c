"""One output layer for every listing: --format table|json|yaml|csv|xlsx (xlsx: dutyctl.xlsx,
written by the CLI's Session.emit to --output FILE)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Sequence

from dutyctl.messages import N_, NP_
from dutyctl.patterns import lazy
from dutyctl.safetext import UNSAFE, visible  # (the desk's readers import them from here)
# the display width of text lives below this module (yamlfull cuts by it; this module dumps
# YAML through it): import it from there, never through here
from dutyctl.textwidth import ELLIPSIS, display_width, shorten

FORMATS = ("table", "json", "yaml", "csv", "xlsx")
EXPORT_FORMATS = ("ics", "csv", "xlsx")  # roster export's: a calendar, the places, the grid
# a format by the word a clerk uses for it (`-f 表格`, `-f 网页`, `-f Excel`): its id
FORMAT_WORDS = {"表格": "table", "文本": "text", "文字": "text", "网页": "html", "excel": "xlsx",
                "电子表格": "xlsx", "日历": "ics"}


def format_named(typed: str) -> str:
    """The format `typed` means: its id, or a word of FORMAT_WORDS (any case)."""
    return FORMAT_WORDS.get(typed.strip().casefold(), typed) if isinstance(typed, str) else typed


# a format as a refusal offers it, in the user's words (表格（table）): the ids are words too
_FORMAT_SAID = {"table": NP_("format", "table"), "text": NP_("format", "text"),
                "html": NP_("format", "html"), "xlsx": NP_("format", "xlsx"),
                "ics": NP_("format", "ics")}


def formats_said(formats: Iterable[str]) -> str:
    """The formats a command offers, listed as the user may type them: `表格（table）、json、
    Excel（xlsx）` in Chinese, `table, json, xlsx` in English."""
    from dutyctl.messages import pgettext, t

    said = []
    for name in formats:
        word = pgettext(*_FORMAT_SAID[name]) if name in _FORMAT_SAID else name
        said.append(name if word == name else t("{word} ({id})", word=word, id=name))
    return t(", ").join(said)

# a spreadsheet runs a cell starting with these as a formula (OWASP, CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN = lazy(r"([\\`*_\[\]<>#|!~&{}])")
# what a renderer links by itself (GFM's extended autolinks, markdown-it's linkify): a scheme's
# colon, the dot after www (after Chinese text too: 详见https://…), an address's @
_BARE_LINK = lazy(r"(?i)(https?|ftp|mailto)(:)|(www)(\.)|(?<=\w)(@)(?=\w)")


def json_safe(text: str) -> str:
    """JSON text with UNSAFE characters as \\u escapes: the same data, nothing raw (a tag
    character beyond U+FFFF as its two surrogates, as JSON writes it)."""
    return UNSAFE.sub(_json_escape, text)


def _json_escape(found) -> str:
    units = found[0].encode("utf-16-be")
    return "".join(f"\\u{units[n:n + 2].hex()}" for n in range(0, len(units), 2))


def spreadsheet_safe(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading = + - @ tab or CR gets a quote."""
    return "'" + text if text.startswith(FORMULA_START) else text


def html_safe(text: str) -> str:
    """HTML text showing `text` as written, UNSAFE characters visibly escaped."""
    from html import escape

    return escape(visible(text))


def markdown_safe(text: str) -> str:
    """Markdown showing `text` as written: no emphasis, link, table break or raw HTML, and no
    bare address a renderer links by itself (GitHub's and markdown-it's autolinks: the colon
    of `https:` and the dot of `www.` escaped, which ends the address they look for; an
    e-mail address's @ shown full-width, ＠)."""
    return _BARE_LINK.sub(_unlinked, _MARKDOWN.sub(r"\\\1", text))


def _unlinked(found) -> str:
    """A bare address's part escaped: the colon or dot backslashed, the @ full-width (GitHub
    links an address whatever escapes its @)."""
    if found[5]:
        return "\uff20"
    head = found[1] or found[3]
    return head + "\\" + (found[2] or found[4])


def _plain(value: Any) -> Any:
    """JSON/YAML-ready data: datetimes as ISO text, mappings and tuples as dicts and lists."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def pad(text: str, width: int) -> str:
    """`text` filled with spaces to `width` terminal columns (str.ljust counts characters)."""
    return text + " " * max(0, width - display_width(text))


def cell(value: Any) -> str:
    """One value as one line of safe text for a table or CSV cell."""
    return visible(_cell(value)) if value is not None else ""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        from dutyctl.messages import t

        return t("yes") if value else t("no")
    value = _plain(value)
    if isinstance(value, dict):
        return " ".join(f"{key}={item}" for key, item in value.items() if item not in (None, ""))
    if isinstance(value, list):
        return ", ".join(_cell(item) for item in value)
    return str(value)


def _screen_cell(value: Any) -> str:
    """A table shows a moment to the minute in its own zone (the site's); data keeps ISO."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return cell(value)


DEFAULT_WIDTH = 100  # a pipe or a cron mail: no terminal to ask, and mail clients wrap past it
GAP = 2  # tabulate's "simple" format puts two spaces between columns
#: Columns of free text: shortened first when a table is wider than the terminal.
FREE_TEXT = ("text", "match", "note", "notes", "content", "summary", "why", "reason",
             "message", "result", "item", "items")
#: Never shortened: an id cut short or half a time is worse than a line that wraps; a room or
#: place (`where`) cut short sends nobody anywhere, nor the names of who has accepted a
#: handover and who not yet (`赵磊、…` hides whom to chase).
KEEP_WHOLE = ("id", "time", "at", "since", "written", "date", "start", "end", "from", "until",
              "clock_in", "clock_out", "seen", "created", "room", "where", "phone", "kind",
              "status", "verdict", "callback_by", "met_at", "accepted", "waiting")
#: Cut only after their head, the text before the first bracket: a deadline and its time
#: (`回电 12-01 10:00（还剩 13小时34分）` -> `回电 12-01 10:00…`), a deadline's state
#: (`还剩 17小时` whole, `按时（提前 2小时）` -> `按时…`), never half a time.
KEEP_HEAD = ("due", "state")


def terminal_width() -> int:
    """$COLUMNS, else the width of the terminal on stdout, else DEFAULT_WIDTH."""
    import os
    import sys

    value = os.environ.get("COLUMNS", "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return DEFAULT_WIDTH


def hours_text(value: float) -> str:
    """Hours as every screen and sheet says them: one decimal, always (12.2 beside 0.0 and
    133.8; 考勤 as 周报 and 月报), rounded half up. The data (json, csv) keeps the figure
    (hours_figure)."""
    return f"{half_up(value, 1):.1f}"


def half_up(value: float, places: int) -> float:
    """`value` rounded as people round (四舍五入): 12.25 h is 12.3, as 1.75 h is 1.8, where
    Python's round and format round the exact binary 12.25 to the even 12.2. A half away
    from zero, -12.25 to -12.3. (The figures are hundredths already: hours_figure.)"""
    import math

    scaled = round(abs(value) * 10 ** places, 6)  # 0.35 * 10 is 3.4999999999999996
    return math.copysign(math.floor(scaled + 0.5) / 10 ** places, value)


def hours_figure(length: timedelta) -> float:
    """A length of time as the data formats give hours (json, yaml, csv, a sheet's number):
    decimal hours to two places, in `attendance` and the reports alike (12.17 for 12 h 10 min:
    0.01 h is 36 s, so a time to the minute keeps its minute; a sum of shifts does not drift
    as tenths would, six minutes a shift). Screens say it to one place (hours_text)."""
    return round(length.total_seconds() / 3600, 2)


# -- dates as people read them (data keeps ISO) ------------------------------------------------

def weekday_word(day: date) -> str:
    """周一 … 周日 / Mon … Sun."""
    from dutyctl.messages import tp

    names = (tp("weekday", "Mon"), tp("weekday", "Tue"), tp("weekday", "Wed"),
             tp("weekday", "Thu"), tp("weekday", "Fri"), tp("weekday", "Sat"),
             tp("weekday", "Sun"))
    return names[day.weekday()]


def day_label(day: date, year: bool = False) -> str:
    """`11月29日 周日` / `Sun 11-29` (with the year: `2026年11月29日 周日` / `Sun 2026-11-29`)."""
    from dutyctl.messages import t

    if year:
        return t("{weekday} {year}-{month:02d}-{day:02d}", weekday=weekday_word(day),
                 year=day.year, month=day.month, day=day.day)
    return t("{weekday} {month:02d}-{day:02d}", weekday=weekday_word(day), month=day.month,
             day=day.day)


def day_runs(days: list[date]) -> str:
    """Days (in order) as runs of consecutive days: `9月28日 周一至9月30日 周三, 10月5日 周一`."""
    from dutyctl.messages import t

    runs: list[list[date]] = []
    for day in days:
        if runs and runs[-1][-1] + timedelta(days=1) == day:
            runs[-1].append(day)
        else:
            runs.append([day])
    return t(", ").join(day_label(run[0]) if len(run) == 1 else
                        t("{first} to {last}", first=day_label(run[0]), last=day_label(run[-1]))
                        for run in runs)


def date_label(day: date | None) -> str:
    """`2026年1月1日` / `2026-01-01`: a day with its year and no weekday (an employment date
    in a finding beside `day_label`'s 12月5日 周六); "" for no day."""
    from dutyctl.messages import t

    if day is None:
        return ""
    return t("{year}-{month:02d}-{day:02d}", year=day.year, month=day.month, day=day.day)


def week_label(day: date) -> str:
    """The ISO week `day` falls in: `2026年第48周` / `2026-W48`."""
    from dutyctl.messages import t

    year, week, _ = day.isocalendar()
    return t("{year}-W{week:02d}", year=year, week=week)


def month_label(day: date) -> str:
    """`2026年11月` / `2026-11`."""
    from dutyctl.messages import t

    return t("{year}-{month:02d}", year=day.year, month=day.month)


#: the IANA names of China's one time zone (the legacy aliases too)
CHINA_ZONES = frozenset({"Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin",
                         "PRC"})


def zone_label(name: str) -> str:
    """The site's time zone as a reader says it: China's is 北京时间 in Chinese (the IANA name
    in English); any other zone keeps its IANA name."""
    from dutyctl.messages import tp

    if name not in CHINA_ZONES:
        return name
    said = tp("time zone", "Beijing time")
    return name if said == "Beijing time" else said  # untranslated: the name configured


# ASCII ones too: a quoted example is a token of its own, so "(" and "," beside it are others
_NO_LINE_START = set("，。、；：！？）》」』”’%,.;:)]")
_NO_LINE_END = "（《「『“‘(["
#: A short quoted example ('昨天 22:00', “待处理”): one word for wrapping, never split at its
#: space (an apostrophe inside a word, site's, opens nothing).
_QUOTED = lazy(r"(?<![A-Za-z0-9])'[^'\n]{1,30}?'(?![A-Za-z0-9])|(?<![A-Za-z0-9])\"[^\"\n]{1,30}?\""
                     r"(?![A-Za-z0-9])|“[^”\n]{1,30}?”")
QUOTED_WIDTH = 24  # a quoted example up to this wide is kept on one line
#: A command to type (`dutyctl 列表 --已超时 --截至 "2026-12-01 00:00" --全部`): its words,
#: options and quoted values, ending with a line's end. Kept on one line where it fits one:
#: pasted from a report, a command cut in two runs half of it. Only one that ends the text
#: (after a colon, as the hints write them): within a sentence (`run dutyctl index rebuild and
#: then …`) the words after it are the sentence's, and it wraps as they do.
_COMMAND = lazy(r"(?:(?<=[:：] )|(?<=：))dutyctl"
                r"(?: +(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'（(）)；;，,。]+))+$")


def wrap(text: str, width: int, first_indent: str = "", next_indent: str = "",
         at_spaces_only: bool = False) -> list[str]:
    """One line of text as lines of at most `width` display columns: breaking at spaces and
    between Chinese characters (ASCII glued to one stays with it: `{员工2}`), never before
    closing punctuation (it takes the character before along), after opening punctuation,
    inside a short quoted example ('昨天 22:00'), inside an option's name (`--输出`) or
    between a number and the Chinese word it counts (`另有 3 人`, never `3` / `人`)."""
    word = r"\S+ *" if at_spaces_only else \
        (r"--[\w-]+ *|[\x21-\x7e]*\d +[^\x00-\x7f][\x21-\x7e]* *"
         r"|[\x21-\x7e]*[^\x00-\x7f][\x21-\x7e]* *|[\x21-\x7e]+ *")
    tokens = _punctuation_kept_behind(_opening_kept_ahead(
        _words(text, word + r"|\s+", width - display_width(next_indent))))
    lines: list[str] = []
    line: list[str] = []
    indent = first_indent
    for token in tokens:
        if display_width(indent + "".join(line) + token.rstrip()) > width and line:
            carried = [line.pop()] if token[0] in _NO_LINE_START and len(line) > 1 else []
            lines.append((indent + "".join(line)).rstrip())
            indent, line = next_indent, carried
            token = token if carried else token.lstrip()
        line.append(token)
    lines.append((indent + "".join(line)).rstrip())
    return lines


def quoted_examples(text: str) -> list[str]:
    """The quoted examples in `text` ('昨天 22:00', “待处理”), quotes included."""
    return _QUOTED.findall(text)


def _words(text: str, word: str, width: int | None = None) -> list[str]:
    """`text` cut into the tokens `word` finds, each short quoted example and each command
    that fits in `width` one token (with the spaces after it)."""
    tokens: list[str] = []
    done = 0
    for start, end in _kept_whole(text, width):
        tokens += re.findall(word, text[done:start])
        end += len(text[end:]) - len(text[end:].lstrip(" "))
        tokens.append(text[start:end])
        done = end
    return tokens + re.findall(word, text[done:])


def _kept_whole(text: str, width: int | None) -> list[tuple[int, int]]:
    """The spans of `text` no line break may cut, in order: commands that fit in `width`
    (`_COMMAND`), then the short quoted examples outside them."""
    spans = [match.span() for match in _COMMAND.finditer(text.rstrip())
             if width is not None and display_width(match[0]) <= width] if "dutyctl" in text \
        else []
    for quoted in _QUOTED.finditer(text):
        start, end = quoted.span()
        if display_width(quoted[0]) <= QUOTED_WIDTH \
                and not any(start < high and end > low for low, high in spans):
            spans.append((start, end))
    return sorted(spans)


def _opening_kept_ahead(tokens: list[str]) -> list[str]:
    """Opening punctuation that ends a token (（, “, the "(" before '09:30', or the （ of
    `en（默认`, glued to the ASCII before it) goes to the start of the next one: no line
    ends with it."""
    kept: list[str] = []
    for token in tokens:
        if kept and kept[-1] and kept[-1][-1] in _NO_LINE_END:
            word = kept.pop()
            bare = word.rstrip("".join(_NO_LINE_END))
            if bare:
                kept.append(bare)
            token = word[len(bare):] + token
        kept.append(token)
    return kept


def _punctuation_kept_behind(tokens: list[str]) -> list[str]:
    """Closing punctuation that begins a token goes to the end of the word before it
    (`分隔）：emergency` is `分隔）：` then `emergency`; `'09:30', ` is one): no line can
    start with it, even after a run of such tokens (`、absent、unfilled`)."""
    kept: list[str] = []
    for token in tokens:
        rest = token.lstrip("".join(_NO_LINE_START))
        if rest != token and kept and not kept[-1][-1:].isspace():
            kept[-1] += token[:len(token) - len(rest)]
            token = rest
        if token:
            kept.append(token)
    return kept


def _header_width(header: str) -> int:
    """Columns a header takes: its widest line (a header may have several)."""
    return max(map(display_width, header.split("\n")))


def _widths(headers: Sequence[str], body: Sequence[Sequence[str]]) -> list[int]:
    # tabulate makes a column at least its header plus two wide (its MIN_PADDING)
    return [max([_header_width(header) + 2] + [display_width(row[index]) for row in body])
            for index, header in enumerate(headers)]


def _cap(widths: list[int], flexible: Sequence[int], floors: dict[int, int], budget: int) -> int:
    """The largest width the flexible columns may keep so that they fit in `budget`."""
    def cost(cap: int) -> int:
        return sum(max(floors[i], min(widths[i], cap)) for i in flexible)

    low, high = 0, max((widths[i] for i in flexible), default=0)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if cost(middle) <= budget else (low, middle - 1)
    return low


def fit(headers: Sequence[str], body: list[list[str]], width: int, flexible: Sequence[int],
        floor: int = 8, least: dict[int, int] | None = None,
        snap: Sequence[int] = ()) -> list[list[str]]:
    """Cells of the `flexible` columns shortened (widest first, none below its header, `floor`
    columns or its own `least`) so the table is at most `width` terminal columns wide, when
    it can be. A cell of a `snap` column too wide is cut right after its head (`_at_head`),
    never elsewhere: `响应 11-16 09:30…`, not `响应 11-16 09:30（还剩 1…`."""
    widths = _widths(headers, body)
    total = sum(widths) + GAP * (len(widths) - 1)
    if total <= width or not flexible:
        return body
    least = least or {}
    floors = {i: min(widths[i], max(_header_width(headers[i]) + 2, floor, least.get(i, 0)))
              for i in flexible}
    budget = width - (total - sum(widths[i] for i in flexible))
    cap = _cap(widths, flexible, floors, budget)
    limits = {i: max(floors[i], min(widths[i], cap)) for i in flexible}

    def cut(i: int, value: str) -> str:
        if i not in limits or display_width(value) <= limits[i]:
            return value
        return _at_head(value) if i in snap else shorten(value, limits[i])

    return [[cut(i, value) for i, value in enumerate(row)] for row in body]


NARROW_HEADER = 8  # columns: four Chinese characters a line


def narrow_header(column: str, cell: int) -> list[str]:
    """A header's lines at most as wide as its column's cells or NARROW_HEADER, whichever is
    wider, broken before a bracket first, then between words or Chinese characters."""
    import re

    width = max(cell, min(NARROW_HEADER, display_width(column)))
    return [line for part in re.split(r"(?=[（(])", column) if part
            for line in wrap(part.strip(), width)]


def on_one_line(text: str) -> str:
    """Free text said within a line (a table's cell, a handed-over item): its line breaks and
    tabs as single spaces (a tab would shift the columns after it, a line break start a line
    of its own)."""
    return " ".join(text.split()) if "\n" in text or "\t" in text else text


def table(rows: Sequence[dict], columns: Sequence[tuple[str, str]], width: int | None = None,
          optional: Sequence[str] = (), left_out: list | None = None,
          whole: Sequence[str] = ()) -> str:
    """Aligned plain-text table; wcwidth makes tabulate count a Chinese character as two.
    With `width`, it is made to fit: a header wider than its column of short cells (figures)
    wraps (`工作时长` over `（小时）`: `考勤` was 200 columns, most of them headers), free text is
    shortened, then the `optional` columns are left out (in that order), then every column
    but ids and times is shortened; `left_out` gets the headers of those left out. `whole`:
    columns kept whole besides KEEP_WHOLE (an overdue listing's deadlines: how late each is
    is what it is read for)."""
    columns = list(columns)
    body = [[_screen_cell(row.get(key)) for key, _ in columns] for row in rows]
    if width is not None:
        fitted = _fitted(columns, body, width, optional, whole)
        if _drawn_width(*fitted) > width:  # still too wide: the figures' Chinese headers wrap
            cells = [max((display_width(row[i]) for row in body), default=0)
                     for i in range(len(columns))]
            fitted = _fitted([(key, "\n".join(narrow_header(header, cell))
                               if cell <= NARROW_HEADER and "\n" not in header
                               and not header.isascii() else header)
                              for (key, header), cell in zip(columns, cells)],
                             body, width, optional, whole)
        if left_out is not None:
            kept = {key for key, _ in fitted[0]}
            left_out += [" ".join(header.split()) for key, header in columns
                         if key in optional and key not in kept]
        columns, body = fitted
    headers = [header for _, header in columns]
    drawn = simple_table(headers, body)
    if drawn is not None:
        return drawn
    import tabulate

    tabulate.WIDE_CHARS_MODE = True
    return tabulate.tabulate(body, headers=headers, tablefmt="simple", disable_numparse=True)


def _drawn_width(columns, body) -> int:
    return sum(_widths([header for _, header in columns], body)) + GAP * (len(columns) - 1)


def simple_table(headers: list[str], body: list[list[str]], padding: int = 2,
                  align: Sequence[str] = (), gap: int = GAP) -> str | None:
    """tabulate's "simple" table of one-line texts, drawn without importing it (tabulate and
    the wcwidth it loads cost `who` or `list` 15-30 ms, a report 30-50 ms); None for a cell
    it would treat otherwise (several lines, surrounding whitespace, an unprintable
    character). A header may have several lines (top-aligned, as tabulate draws them);
    `padding` is tabulate's MIN_PADDING, `align` its colalign ("left" or "right" a column),
    `gap` the spaces between columns (tabulate's two; one where a report's table of figures
    fits its width no other way)."""
    header_lines = [header.split("\n") for header in headers]
    cells = [*(line for lines in header_lines for line in lines),
             *(cell for row in body for cell in row)]
    if any(not text.isprintable() or text != text.strip() for text in cells) or any(
            header != header.strip() for header in headers) or (
            "\n" in "".join(headers) and not all(any(row) for row in body)):
        return None  # (tabulate leaves out an empty row under a header of several lines)
    widths = [max(map(display_width, lines)) + padding for lines in header_lines]
    for row in body:
        for index, text in enumerate(row):
            widths[index] = max(widths[index], display_width(text))
    # (with no rows tabulate aligns no column: headers stay on the left)
    right = [bool(body) and index < len(align) and align[index] == "right"
             for index in range(len(widths))]
    between = " " * gap

    def line(texts) -> str:
        parts = []
        for text, size, flush_right in zip(texts, widths, right):
            room = " " * (size - display_width(text))
            parts.append(room + text if flush_right else text + room)
        return between.join(parts).rstrip()

    height = max(map(len, header_lines), default=1)
    heading = [line([lines[row] if row < len(lines) else "" for lines in header_lines])
               for row in range(height)]
    return "\n".join([*heading, between.join("-" * size for size in widths).rstrip(),
                      *(line(row) for row in body)])


def _fitted(columns: list, body: list[list[str]], width: int, optional: Sequence[str],
            whole: Sequence[str] = ()):
    """The columns and cells of a table made to fit `width`: free text shortened, optional
    columns left out, then the other columns cut, down to their header. Never cut: the
    KEEP_WHOLE columns and the head of a KEEP_HEAD cell (a deadline and its time); when those
    alone are wider than the terminal, the line is longer and wraps."""
    body = [[on_one_line(value) for value in row]
            for row in body]  # one line per row: a multi-line note would break the fit
    kept_whole = (*KEEP_WHOLE, *whole)

    def heads_of(columns, body) -> dict[int, int]:
        return {i: max((_head_width(row[i]) for row in body), default=0)
                for i, (key, _) in enumerate(columns) if key in KEEP_HEAD}

    widths = _widths([header for _, header in columns], body)
    for key in optional:  # left out while it cannot fit even with the rest cut to 16
        heads = heads_of(columns, body)
        least = sum(w if column[0] in kept_whole else max(min(w, 16), heads.get(i, 0))
                    for i, (w, column) in enumerate(zip(widths, columns))
                    ) + GAP * (len(columns) - 1)
        if least <= width:
            break
        keys = [column[0] for column in columns]
        if key in keys:
            gone = keys.index(key)
            columns, widths = columns[:gone] + columns[gone + 1:], widths[:gone] + widths[gone + 1:]
            body = [row[:gone] + row[gone + 1:] for row in body]
    headers = [header for _, header in columns]
    body = fit(headers, body, width, [i for i, (key, _) in enumerate(columns)
                                      if key in FREE_TEXT], floor=16)
    flexible = [i for i, (key, _) in enumerate(columns) if key not in kept_whole]
    heads = heads_of(columns, body)
    kept = fit(headers, body, width, flexible, least=heads, snap=list(heads))
    if sum(_widths(headers, kept)) + GAP * (len(headers) - 1) <= width:
        return columns, kept
    # too narrow for them: the others cut down to their header, the heads still whole; if
    # even that is too wide the line wraps anyway, and nothing more is cut for it
    narrow = fit(headers, body, width, flexible, floor=0, least=heads, snap=list(heads))
    fits = sum(_widths(headers, narrow)) + GAP * (len(headers) - 1) <= width
    return columns, narrow if fits else kept


def _head_end(text: str) -> int | None:
    """Where a KEEP_HEAD cell's head ends: at its first bracket (None: it has none)."""
    return min((index for index in (text.find("（"), text.find(" (")) if index > 0),
               default=None)


def _head_width(text: str) -> int:
    """The columns a KEEP_HEAD cell needs: its head whole, then the ellipsis (the whole
    cell when it has no bracket)."""
    return display_width(_at_head(text))


def _at_head(text: str) -> str:
    """A KEEP_HEAD cell cut after its head, with the ellipsis (whole when it has no bracket):
    a time or a length in brackets is said whole or not at all."""
    cut = _head_end(text)
    return text if cut is None else text[:cut] + ELLIPSIS


def _flat(row: dict, columns: Sequence[str]) -> tuple[dict, list[str]]:
    """A row whose mappings are spread into `key.sub` cells, and the columns that makes."""
    flat, keys = {}, []
    for key in columns:
        value = _plain(row.get(key))
        if isinstance(value, dict):
            inner, inner_keys = _flat(value, list(value))
            flat.update({f"{key}.{sub}": item for sub, item in inner.items()})
            keys += [f"{key}.{sub}" for sub in inner_keys]
            continue
        if isinstance(value, list) and any(isinstance(item, dict) for item in value):
            # a list of entities in one cell is not data: the command must give a row each
            raise ValueError(f"CSV column {key!r} holds a list of mappings")
        flat[key] = value
        keys.append(key)
    return flat, keys


def spread_rows(rows: Iterable[dict], columns: Sequence[tuple[str, str]]
                ) -> tuple[list[str], list[dict]]:
    """The columns of a CSV or a sheet, and each row as its cells: a mapping spread into
    `key.sub` columns (`due.deadline`, `due.state`), in the order the rows first give them;
    no rows: the columns given."""
    keys, flat_rows = [], []
    for row in rows:
        flat, row_keys = _flat(row, [key for key, _ in columns])
        flat_rows.append(flat)
        keys += [key for key in row_keys if key not in keys]
    if not flat_rows:
        keys = [key for key, _ in columns]
    # a mapping in some rows and empty in others: its `key.sub` columns only
    keys = [key for key in keys if not any(other.startswith(key + ".") for other in keys)]
    return keys, flat_rows


#: Column titles of the data fields that listings give without a title of their own, and of
#: the `key.sub` columns a mapping is spread into: a sheet, and a CSV in any language but
#: English, is headed in the site's language.
COLUMN_LABELS = {
    "shift_name": NP_("column", "shift name"), "on_call": NP_("column", "on call"),
    "holiday_on_call": NP_("column", "holiday on call"),  # `roster stats`: 节假日备班
    "notify": NP_("column", "notify"), "hotline": NP_("column", "hotline"),
    "due.deadline": NP_("column", "deadline step"), "due.due": NP_("column", "deadline"),
    "due.stopped_at": NP_("column", "deadline stopped at"),
    "due.state": NP_("column", "deadline state"),
    "transferred_to": NP_("column", "transferred to"),
    # a record row's (caller, room): who filed it, beside `assigned`, whose it is (经办人)
    "by": NP_("column", "recorded by"),
}


def column_label(key: str) -> str:
    """A data field's column title (COLUMN_LABELS), else the field's name as a word."""
    from dutyctl.messages import gettext, pgettext

    return pgettext(*COLUMN_LABELS[key]) if key in COLUMN_LABELS else gettext(key)


#: The title of a CSV's column of staff or shift ids on a desk not in English (员工编号, 班次编号):
#: the same in every command's CSV, never 员工 or 班次 over ids (lina), nor the name's title
#: twice (`attendance --detail`: `shift` and `shift_name` both 班次).
ID_TITLES = {"staff": N_("staff id"), "shift": N_("shift id")}


def csv_header(keys: Sequence[str], columns: Sequence[tuple[str, str]]) -> list[str]:
    """A CSV's first row: in English the field names (`shift_name`, `due.state`: data for
    scripts, as json's keys); in another language the columns' titles in it, as the Excel
    sheet heads them (`班次名称`, `时限情况`: the supervisor opening the file in Excel reads
    no English), the cells below keeping the ids (their columns titled ID_TITLES)."""
    from dutyctl.messages import ENGLISH, current_language, gettext

    if current_language() == ENGLISH:
        return list(keys)
    titles = {key: gettext(title) for key, title in columns if title}
    header = []
    for key in keys:
        title = titles.get(key, key)
        header.append(column_label(key) if title == key else title.replace("\n", ""))
    return [gettext(ID_TITLES[key]) if key in ID_TITLES else title
            for key, title in zip(keys, header)]


def to_csv(rows: Iterable[dict], columns: Sequence[tuple[str, str]], words=None) -> str:
    """CSV as data: a UTF-8 BOM (Excel then reads Chinese as UTF-8, other readers skip it),
    the header of csv_header (field names in English, titles in the site's language else),
    one row per entity, a mapping spread into `key.sub` columns (`due.deadline`,
    `due.state`), ISO dates and times, lists of values joined by ', '. `words`: (key, value,
    row, keys) → what a cell says (a desk not in English: its kinds and states in its
    language, as the Excel sheet says them; dutyctl.cli.cellwords.csv_words)."""
    import csv  # only CSV output pays its import

    rows = list(rows)
    keys, flat_rows = spread_rows(rows, columns)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_header(keys, columns))
    for flat, row in zip(flat_rows, rows):
        values = [flat.get(key) for key in keys]
        if words is not None:
            values = [words(key, value, row, keys) for key, value in zip(keys, values)]
        writer.writerow([spreadsheet_safe(cell(value)) for value in values])
    return buffer.getvalue()


def render(data: Any, fmt: str, columns: Sequence[tuple[str, str]] | None = None,
           rows: list[dict] | None = None, width: int | None = None,
           optional: Sequence[str] = (), words=None, left_out: list | None = None,
           whole: Sequence[str] = ()) -> str:
    """Rows (a list of dicts) or one document in the chosen format, ending with a newline.
    `rows`: for a document, the entities its CSV (and table) lists one per row; `words`: how
    a CSV's cells say their ids (to_csv); `left_out`, `whole`: as `table`'s."""
    if fmt == "json":
        import json  # only for json: echo (every command) imports this module

        return json_safe(json.dumps(_plain(data), ensure_ascii=False, indent=2)) + "\n"
    if fmt == "yaml":
        from dutyctl.store import yamlio

        return visible(yamlio.dumps(_plain(data)))
    if rows is None:
        rows = data if isinstance(data, list) else [data]
    columns = columns or [(key, key) for key in (rows[0] if rows else {})]
    if fmt == "csv":
        return to_csv(rows, columns, words)
    return table(rows, columns, width, optional, left_out, whole) + "\n" if rows else ""
