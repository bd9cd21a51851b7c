"""Emergencies (seed 3.3): water or power outage, fire, elevator entrapment...

Open until closed with a summary, across as many shifts as it takes; every step taken and
every notification made is logged as an event.
"""

from __future__ import annotations

from typing import Any

from dutyctl.messages import NP_
from dutyctl.records import ANY, LINK, Figures, KindSpec, Record, register
from dutyctl.residents import check_resident
from dutyctl.schema import Fields

KIND = "emergency"
OPEN, CLOSED = "open", "closed"
LOG = "log"
CLOSE = "close"  # the same action as a ticket's close (kinds.complaint.CLOSE)


def _check(top: Fields, config: Any) -> None:
    top.unknown(("id", "kind", "schema", "created_at", "recorded_by", "type", "where",
                 "content", "resident", "links"))
    # any text: a type removed from the config later must not hide an old emergency
    top.text("type")
    top.text("where")
    top.text("content")
    if top.has("resident"):
        check_resident(top, "resident")
    top.text_list("links")


def _summary(record: Record) -> str:
    return f"{record.get('type', '')} {record.get('where', '')}"


EMERGENCY = register(KindSpec(
    name=KIND,
    check_fields=_check,
    initial_status=lambda fields: OPEN,
    transitions={LOG: ((OPEN,), None),
                 CLOSE: ((OPEN,), CLOSED),
                 LINK: ((ANY,), None)},
    summary=_summary,
    closed_statuses=(CLOSED,),
    word=NP_("kind", "emergency"),
    handover=0,
    figures=Figures(3, "emergencies"),
))
