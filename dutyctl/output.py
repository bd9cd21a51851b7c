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


def table(rows: Sequence[dict], columns: Sequence[tuple[str, str]]) -> str:
    """Aligned plain-text table; wcwidth makes tabulate count a Chinese character as two."""
    import tabulate

    tabulate.WIDE_CHARS_MODE = True
    body = [[cell(row.get(key)) for key, _ in columns] for row in rows]
    return tabulate.tabulate(body, headers=[header for _, header in columns],
                             tablefmt="simple", disable_numparse=True)


def to_csv(rows: Iterable[dict], columns: Sequence[tuple[str, str]], bom: bool = False) -> str:
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")  # lets Excel open Chinese text as UTF-8
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([key for key, _ in columns])
    for row in rows:
        writer.writerow([cell(row.get(key)) for key, _ in columns])
    return buffer.getvalue()


def render(data: Any, fmt: str, columns: Sequence[tuple[str, str]] | None = None) -> str:
    """Rows (a list of dicts) or one document in the chosen format, ending with a newline."""
    if fmt == "json":
        return json.dumps(_plain(data), ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        from dutyctl import yamlio

        return yamlio.dumps(_plain(data))
    rows = data if isinstance(data, list) else [data]
    columns = columns or [(key, key) for key in (rows[0] if rows else {})]
    if fmt == "csv":
        return to_csv(rows, columns)
    return table(rows, columns) + "\n" if rows else ""
