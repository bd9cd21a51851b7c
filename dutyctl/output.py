"""One output layer for every listing: --format table|json|yaml|csv."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any, Iterable, Sequence

FORMATS = ("table", "json", "yaml", "csv")


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
    if value is None:
        return ""
    if isinstance(value, bool):
        from dutyctl.messages import t

        return t("yes") if value else t("no")
    value = _plain(value)
    if isinstance(value, dict):
        return " ".join(f"{key}={item}" for key, item in value.items() if item not in (None, ""))
    if isinstance(value, list):
        return ", ".join(cell(item) for item in value)
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
        writer.writerow([cell(row.get(key)) for key in keys])
    return buffer.getvalue()


def render(data: Any, fmt: str, columns: Sequence[tuple[str, str]] | None = None,
           rows: list[dict] | None = None) -> str:
    """Rows (a list of dicts) or one document in the chosen format, ending with a newline.
    `rows`: for a document, the entities its CSV (and table) lists one per row."""
    if fmt == "json":
        return json.dumps(_plain(data), ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        from dutyctl import yamlio

        return yamlio.dumps(_plain(data))
    if rows is None:
        rows = data if isinstance(data, list) else [data]
    columns = columns or [(key, key) for key in (rows[0] if rows else {})]
    if fmt == "csv":
        return to_csv(rows, columns)
    return table(rows, columns) + "\n" if rows else ""
