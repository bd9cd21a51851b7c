"""One output layer for every listing: --format table|json|yaml|csv."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from typing import Any, Iterable, Sequence

FORMATS = ("table", "json", "yaml", "csv")

# What a file from another desk must never put raw on a terminal or into a document: control
# characters but tab and newline (ESC starts the sequences that retitle or clear a terminal or
# fill its clipboard, CR and backspace overwrite what was printed), bidi overrides and
# isolates (they reorder what is shown), zero-width characters (they hide text) and the line
# and paragraph separators. The front door refuses them too (store.text_problems).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                    "\u2060-\u2064\u2066-\u2069\ufeff]")
# a spreadsheet runs a cell starting with these as a formula (OWASP, CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|!~&{}])")


def _shown(found: re.Match) -> str:
    code = ord(found[0])
    if code < 0x20:
        return chr(0x2400 + code)  # the control pictures: ESC shows as ␛, CR as ␍
    return "\u2421" if code == 0x7F else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every UNSAFE character shown as a visible escape, never raw (a BOM that
    starts a CSV file is kept: it is what lets a spreadsheet read the file as UTF-8)."""
    if not UNSAFE.search(text):
        return text
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    return bom + UNSAFE.sub(_shown, text[len(bom):])


def json_safe(text: str) -> str:
    """JSON text with UNSAFE characters as \\u escapes: the same data, nothing raw."""
    return UNSAFE.sub(lambda found: f"\\u{ord(found[0]):04x}", text)


def spreadsheet_safe(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading = + - @ tab or CR gets a quote."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def html_safe(text: str) -> str:
    """HTML text showing `text` as written, UNSAFE characters visibly escaped."""
    from html import escape

    return escape(visible(text))


def markdown_safe(text: str) -> str:
    """Markdown showing `text` as written: no emphasis, link, table break or raw HTML."""
    return _MARKDOWN.sub(r"\\\1", text)


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


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal: a Chinese character counts two."""
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)


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


def table(rows: Sequence[dict], columns: Sequence[tuple[str, str]]) -> str:
    """Aligned plain-text table; wcwidth makes tabulate count a Chinese character as two."""
    import tabulate

    tabulate.WIDE_CHARS_MODE = True
    body = [[_screen_cell(row.get(key)) for key, _ in columns] for row in rows]
    return tabulate.tabulate(body, headers=[header for _, header in columns],
                             tablefmt="simple", disable_numparse=True)


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


def to_csv(rows: Iterable[dict], columns: Sequence[tuple[str, str]]) -> str:
    """CSV as data: a UTF-8 BOM (Excel then reads Chinese as UTF-8, other readers skip it),
    the field names as header, one row per entity, a mapping spread into `key.sub` columns
    (`due.deadline`, `due.state`), ISO dates and times, lists of values joined by ', '."""
    keys, flat_rows = [], []
    for row in rows:
        flat, row_keys = _flat(row, [key for key, _ in columns])
        flat_rows.append(flat)
        keys += [key for key in row_keys if key not in keys]
    if not flat_rows:
        keys = [key for key, _ in columns]
    # a mapping in some rows and empty in others: its `key.sub` columns only
    keys = [key for key in keys if not any(other.startswith(key + ".") for other in keys)]
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(keys)
    for row in flat_rows:
        writer.writerow([spreadsheet_safe(cell(row.get(key))) for key in keys])
    return buffer.getvalue()


def render(data: Any, fmt: str, columns: Sequence[tuple[str, str]] | None = None,
           rows: list[dict] | None = None) -> str:
    """Rows (a list of dicts) or one document in the chosen format, ending with a newline.
    `rows`: for a document, the entities its CSV (and table) lists one per row."""
    if fmt == "json":
        return json_safe(json.dumps(_plain(data), ensure_ascii=False, indent=2)) + "\n"
    if fmt == "yaml":
        from dutyctl import yamlio

        return visible(yamlio.dumps(_plain(data)))
    if rows is None:
        rows = data if isinstance(data, list) else [data]
    columns = columns or [(key, key) for key in (rows[0] if rows else {})]
    if fmt == "csv":
        return to_csv(rows, columns)
    return table(rows, columns) + "\n" if rows else ""
