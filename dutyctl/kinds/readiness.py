"""Readiness before duty (seed 3.5): checklist runs, and the problems they find.

A run (`readiness`) is a snapshot: every item of the site's checklist answered ok or not. Each
item found wrong becomes a `readiness-problem` record of its own, open until someone records
it fixed, so it can be carried through handovers and counted in reports. A later run that
finds the same item still wrong adds a `recheck` event to the open problem instead of a copy.
"""

from __future__ import annotations

from typing import Any, Mapping

from dutyctl.messages import NP_, t
from dutyctl.records import (ANY, NOTE, RECORD_KEYS, KindSpec, Record, ids_in,
                             linked_ids, register)
from dutyctl.schema import Fields

KIND, PROBLEM_KIND = "readiness", "readiness-problem"
ALL_OK, PROBLEMS = "ok", "problems"
OPEN, FIXED = "open", "fixed"
FIX, RECHECK = "fix", "recheck"


def _check_run(top: Fields, config: Any) -> None:
    top.unknown((*RECORD_KEYS, "staff", "results"))
    top.text("staff")
    for index, item, line in top.items("results"):
        result = Fields(item, top.path, top.problems, line, f"results[{index}].")
        if not result.ok:
            continue
        result.unknown(("item", "ok", "note"))
        result.text("item")
        result.boolean("ok", True)
        if not result.has("ok"):
            result.problem("ok", t("is required"))
        result.text("note", required=False)


def _results(fields: Mapping[str, Any]) -> list:
    """A run's results, the mappings of its list (a file the store refused, read for its
    other problems by `check.half_read_records`, may hold any shape)."""
    results = fields.get("results")
    return [item for item in results if isinstance(item, dict)] \
        if isinstance(results, list) else []


def _run_status(fields: Mapping[str, Any]) -> str:
    return ALL_OK if all(result.get("ok") for result in _results(fields)) else PROBLEMS


def _run_summary(record: Record) -> str:
    wrong = [result.get("item") for result in _results(record.fields)
             if not result.get("ok")]
    return t("problems: {items}", items=", ".join(wrong)) if wrong else t("all ok")


def _check_problem(top: Fields, config: Any) -> None:
    top.unknown((*RECORD_KEYS, "item", "item_name", "note", "run"))
    top.text("item")
    top.text("item_name", required=False)
    top.text("note")
    top.text("run", required=False)


def rechecks(problem: Record) -> int:
    """How often a readiness problem was checked again and found still there (a recheck set
    aside does not count)."""
    return sum(1 for event in problem.counted_events if event.action == RECHECK)


def _problem_summary(record: Record) -> str:
    return f"{record.get('item')}: {record.get('note')}"


READINESS = register(KindSpec(
    name=KIND,
    named_staff=("staff",),  # whose duty it is: `check` knows them
    check_fields=_check_run,
    initial_status=_run_status,
    transitions={NOTE: ((ANY,), None)},
    summary=_run_summary,
    closed_statuses=(ALL_OK, PROBLEMS),  # a run is a snapshot; its problems stay open instead
    word=NP_("kind", "readiness"),
))

READINESS_PROBLEM = register(KindSpec(
    name=PROBLEM_KIND,
    check_fields=_check_problem,
    initial_status=lambda fields: OPEN,
    transitions={FIX: ((OPEN,), FIXED),
                 RECHECK: ((OPEN,), None),
                 NOTE: ((ANY,), None)},
    summary=_problem_summary,
    closed_statuses=(FIXED,),
    word=NP_("kind", "readiness-problem"),
    handover=4,
    references=lambda record: [*linked_ids(record), *ids_in(record.get("run"))],
))
