"""`roster export`: iCalendar for phones (line folding, escaping and VTIMEZONE by the
`icalendar` package) and CSV with a UTF-8 BOM so Excel opens the Chinese names correctly."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from dutyctl.messages import N_, t
from dutyctl.roster.onduty import Slot
from dutyctl.roster.positions import DayKind, day_kind
from dutyctl.roster.rules import Rules

SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)
#: The places one per row: the field names head the CSV in English, the titles in another
#: language (output.csv_header) and in the Excel sheet.
CSV_COLUMNS = [("date", N_("date")), ("shift", N_("shift id")), ("shift_name", N_("shift name")),
               ("role", N_("role")), ("staff", N_("staff id")), ("name", N_("name")),
               ("start", N_("start")), ("end", N_("end")), ("on_call", N_("on call")),
               ("weekend", N_("weekend shift")), ("holiday", N_("holiday shift"))]


def slot_rows(slots: list[Slot], rules: Rules) -> list[dict]:
    """One row per place; `weekend` and `holiday` as fairness and stats count them (by the
    day the shift starts; a holiday is any day of a statutory break)."""
    kinds: dict[date, DayKind] = {}
    rows = []
    for slot in slots:
        kind = kinds.get(slot.date) or kinds.setdefault(slot.date,
                                                        day_kind(rules.calendar, slot.date))
        rows.append({"date": slot.date, "shift": slot.shift_id, "shift_name": slot.shift_name,
                     "role": slot.role, "staff": slot.staff or "",
                     "name": rules.name_of(slot.staff), "start": slot.start, "end": slot.end,
                     "on_call": slot.on_call, "weekend": kind.weekend,
                     "holiday": kind.holiday})
    return rows


def slot_uid(slot: Slot) -> str:
    """The slot, not the person: after a swap or a regeneration a calendar that re-imports by
    UID updates the event instead of showing two people on one slot. An id beyond ASCII
    (白班) is percent-encoded: some calendars keep only ASCII UIDs; ASCII ids stay as they are."""
    from urllib.parse import quote

    return f"{slot.date}-{quote(slot.shift_id, safe='')}-{quote(slot.role, safe='')}-" \
           f"{slot.position}@dutyctl"


def sequence(slot: Slot) -> int:
    """Minutes since 2020 at which the slot's person was set: a later change (an override, a
    regeneration) always has a higher SEQUENCE, on every desk alike, with no state kept."""
    if slot.since is None:
        return 0
    return max(0, int((slot.since - SEQUENCE_EPOCH).total_seconds() // 60))


def to_ics(slots: list[Slot], rules: Rules, role_names, calendar_name: str,
           stamp: datetime, taken_away: list[Slot] = ()) -> bytes:
    """One VEVENT per filled slot; UIDs per slot so a re-export updates subscribed calendars.
    `taken_away`: the places a person's own calendar had and an override or swap gave another
    since, each its slot's UID with STATUS:CANCELLED (a newer SEQUENCE): a phone that imports
    the file again drops the shift, where a file without it left the old one standing."""
    import icalendar

    from dutyctl.safetext import one_line  # names from shared files: one line, shown escaped

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//dutyctl//roster//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(calendar_name))
    for slot in slots:
        if not slot.staff:
            continue
        event = _event(slot, stamp)
        names = {"shift": one_line(slot.shift_name), "role": one_line(role_names(slot.role)),
                 "name": one_line(rules.name_of(slot.staff))}
        event.add("summary", t("{shift} {role} on call: {name}", **names) if slot.on_call
                  else t("{shift} {role}: {name}", **names))
        # what a phone shows: names, never the file's ids (an id only beside a shared name)
        event.add("description", t("{shift}, {role}, {name}", shift=names["shift"],
                                   role=names["role"], name=one_line(rules.person(slot.staff))))
        event.add("categories", [names["shift"]])
        calendar.add_component(event)
    for slot in taken_away:
        calendar.add_component(_cancelled(slot, rules, role_names, stamp))
    slots = [*slots, *taken_away]
    if slots:
        first = min(slot.start for slot in slots).date() - timedelta(days=1)
        last = max(slot.end for slot in slots).date() + timedelta(days=1)
        calendar.add_missing_timezones(first_date=first, last_date=last)
        _zones_in_words(calendar, first, last)
    else:
        calendar.add_missing_timezones(date.today(), date.today())
    return calendar.to_ical()


def _event(slot: Slot, stamp: datetime):
    """A VEVENT of `slot`: its UID, SEQUENCE, the export's stamp and the shift's times."""
    import icalendar

    event = icalendar.Event()
    event.add("uid", slot_uid(slot))
    event.add("sequence", sequence(slot))
    event.add("dtstamp", stamp.astimezone(timezone.utc))
    event.add("dtstart", slot.start)
    event.add("dtend", slot.end)
    return event


def _cancelled(slot: Slot, rules: Rules, role_names, stamp: datetime):
    """The place someone no longer holds, cancelled under its slot's UID."""
    from dutyctl.safetext import one_line

    event = _event(slot, stamp)
    event.add("status", "CANCELLED")
    event.add("summary", t("{shift} {role}: cancelled, now {name}",
                           shift=one_line(slot.shift_name), role=one_line(role_names(slot.role)),
                           name=one_line(rules.name_of(slot.staff)) if slot.staff else t("nobody")))
    return event


def _zones_in_words(calendar, first: date, last: date) -> None:
    """The VTIMEZONE's texts a calendar app may show, in the site's language: the icalendar
    package's English COMMENT (`This timezone only works from …`) said in it, and China's
    zone named as its people call it (北京时间, not the abbreviation CST, which is also the
    US's Central time)."""
    from dutyctl.output import CHINA_ZONES, date_label, zone_label

    for zone in calendar.walk("VTIMEZONE"):
        if "COMMENT" in zone:
            zone.pop("COMMENT")
            zone.add("COMMENT", t("This timezone only works from {first} to {last}.",
                                  first=date_label(first), last=date_label(last)))
        name = str(zone.get("TZID", ""))
        said = zone_label(name)
        if name in CHINA_ZONES and said != name:
            for part in zone.subcomponents:
                if "TZNAME" in part:
                    part.pop("TZNAME")
                    part.add("TZNAME", said)
