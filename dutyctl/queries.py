"""Filters over records: small pure functions the listing commands share."""

from __future__ import annotations

from typing import Iterable

from dutyctl.records import Record, kind_spec


def is_open(record: Record) -> bool:
    return record.status not in kind_spec(record.kind).closed_statuses


def select(records: Iterable[Record], *, status: str | None = None, room: str | None = None,
           category: str | None = None, open_only: bool = False,
           assigned: str | None = None) -> list[Record]:
    if assigned:
        from dutyctl.tickets.lifecycle import assignee
    chosen = []
    for record in records:
        if status and record.status != status:
            continue
        if room and (record.get("resident") or {}).get("room") != room:
            continue
        if category and record.get("category") != category:
            continue
        if open_only and not is_open(record):
            continue
        if assigned and assignee(record) != assigned:
            continue
        chosen.append(record)
    return chosen
