"""Who acts: staff ids from the roster rules, and the person on duty when none is named."""

from __future__ import annotations

from datetime import datetime

from dutyctl.errors import DutyError, InputError
from dutyctl.messages import t

RULES_FILE = "rules.yaml"


def staff_ids(workspace) -> dict[str, str] | None:
    """id -> name of every staff member in rosters/rules.yaml; None when there are no rules."""
    path = workspace.rosters_dir / RULES_FILE
    if not path.is_file():
        return None
    try:
        data = workspace.parsed(path)
    except DutyError:
        return None  # `dutyctl check` reports broken rules; logging a call must still work
    members = data.get("staff") if isinstance(data, dict) else None
    return {str(member["id"]): str(member.get("name", member["id"])) for member in members or []
            if isinstance(member, dict) and "id" in member}


def shift_names(workspace) -> dict[str, str]:
    """id -> name of every shift in rosters/rules.yaml ({} when the rules are missing or
    unreadable: `check` reports them, and screens fall back to the ids)."""
    path = workspace.rosters_dir / RULES_FILE
    try:
        data = workspace.parsed(path) if path.is_file() else None
    except DutyError:
        return {}
    shifts = data.get("shifts") if isinstance(data, dict) else None
    return {str(shift["id"]): str(shift.get("name", shift["id"])) for shift in shifts or []
            if isinstance(shift, dict) and "id" in shift}


DESK_ROLE = "service"  # the service clerk answers the desk's phone and records what happens


def on_duty(workspace, at: datetime) -> list[str]:
    """Staff on duty at `at` per the roster (overrides applied), the desk's service clerks
    first; [] when no roster covers it."""
    from dutyctl.roster.duty import staff_on_duty

    try:
        everyone = staff_on_duty(workspace, at)
        clerks = staff_on_duty(workspace, at, role=DESK_ROLE)
    except DutyError:
        return []  # broken rules or roster: the caller asks for --staff; `check` says why
    return clerks + [person for person in everyone if person not in clerks]


def resolve_staff(workspace, named: str) -> str:
    """The staff id of `named`, typed by id or name (陈静); unchecked when the workspace has no
    roster rules (a site may run without rosters)."""
    from dutyctl.choices import resolve_staff as resolve

    from dutyctl.store import text_problems

    # checked here, not only against the rules: without a rules file any id is taken
    for problem in text_problems(named, t("staff id")):
        raise InputError(problem)
    known = staff_ids(workspace)
    return named if known is None else resolve(named, known, f"rosters/{RULES_FILE}")


def resolve_actor(workspace, named: str | None, at: datetime) -> str:
    if named:
        return resolve_staff(workspace, named)
    on_shift = on_duty(workspace, at)
    if on_shift:
        return on_shift[0]
    raise InputError(lambda name: t("who is acting? pass {staff} ID or set DUTYCTL_USER",
                                    staff=name("staff")))
