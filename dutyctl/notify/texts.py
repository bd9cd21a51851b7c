"""The text of each notification, in the site's language, phones masked: a group chat is
read by more people than the desk's screen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dutyctl.messages import speaking, t
from dutyctl.schema import mask_phone, phones_masked as masked
from dutyctl.residents import place_of

MAX_DETAIL = 300  # characters of a record's text in a message


def _detail(text: str | None) -> str:
    """A record's text in a message, cut by characters, not by a terminal's columns (as
    reports.figures.short_text is): it bounds the length a chat robot takes, counted in
    characters and bytes, never in columns (300 characters are at most 1,200 bytes of the
    WeChat Work robot's 2,048, send.WECHAT_MAX_BYTES, where send._cut cuts the whole), and
    a phone wraps the message in its bubble, where no column is lined up."""
    text = " ".join((text or "").split())
    return masked(text if len(text) <= MAX_DETAIL else text[:MAX_DETAIL - 1] + "…")


@dataclass(frozen=True)
class Notice:
    """A notification: the whole text sent, whose first line is the headline under the
    site's tag (【阳光花园】), and the headline alone (what a screen lists it by)."""

    headline: str
    text: str


class Texts:
    """Builds messages for one workspace; every method answers in the site's language."""

    def __init__(self, workspace):
        from dutyctl.names import Names

        self.config = workspace.config
        self.names = Names.of(workspace)
        self.site = self.config.name

    def when(self, moment: datetime) -> str:
        return moment.astimezone(self.config.tz).strftime("%m-%d %H:%M")

    def _place(self, room: str | None) -> str:
        """A room or place as residents say it (3号楼 for the building 3), phones masked."""
        return _detail(self.names.room(room))

    def _notice(self, headline: str, *lines: str | None) -> Notice:
        """The headline under the site's tag, then the lines given (None: left out), every
        name and text from a shared file in them shown escaped as on a screen (a shift named
        with a terminal escape or a bidi override reached the SMS command raw)."""
        from dutyctl.safetext import one_line, visible

        headline = one_line(headline)
        tagged = t("[{site}] {headline}", site=one_line(self.site), headline=headline)
        return Notice(headline, "\n".join(visible(line) for line in (tagged, *lines) if line))

    def _reporter(self, record) -> str | None:
        person = record.get("resident") or {}
        if not person:
            return None
        return t("Reporter: {name}, {room}, {phone}",
                 name=self.names.line(_detail(person.get("name") or "-")),
                 room=self._place(person.get("room")) or "-",
                 phone=mask_phone(person.get("phone") or ""))

    def _entered(self, entered: datetime | None) -> str | None:
        """The line of a notice entered well after the time it is for (a night's emergency
        written up in the morning): its times are long past, not live."""
        return entered and t("Entered late, at {time}: the times here are when it happened",
                             time=self.when(entered))

    def emergency_opened(self, record, entered: datetime | None = None) -> Notice:
        with speaking(self.config.language):
            return self._notice(
                t("Emergency: {type} at {where} (opened {time} by {staff})",
                  type=self.names.emergency(record.get("type")),
                  where=self._place(record.get("where")), time=self.when(record.created_at),
                  staff=self.names.short_person(record.recorded_by)),
                self._entered(entered),
                record.get("content") and t("What: {text}", text=_detail(record.get("content"))),
                self._reporter(record),
                t("Id: {id}", id=record.short_id))

    def emergency_closed(self, record, entered: datetime | None = None) -> Notice:
        event = record.events[-1]
        with speaking(self.config.language):
            return self._notice(
                t("Emergency closed: {type} at {where} ({time}, {staff})",
                  type=self.names.emergency(record.get("type")),
                  where=self._place(record.get("where")), time=self.when(event.at),
                  staff=self.names.short_person(event.by)),
                self._entered(entered),
                event.note and t("Summary: {text}", text=_detail(event.note)),
                t("Id: {id}", id=record.short_id))

    def emergency_repair(self, record, due: datetime | None,
                         entered: datetime | None = None) -> Notice:
        """`entered`: when the desk entered a repair filed for an earlier time (a night's
        burst pipe written up in the morning): said, as its times above are long past."""
        from dutyctl.kinds.repair import KIND as REPAIR

        with speaking(self.config.language):
            return self._notice(
                t("Emergency repair: {category} at {room} (filed {time} by {staff})",
                  category=self.names.category(REPAIR, record.get("category")),
                  room=self._place(place_of(record)), time=self.when(record.created_at),
                  staff=self.names.short_person(record.recorded_by)),
                self._entered(entered),
                t("What: {text}", text=_detail(record.get("content"))),
                self._reporter(record),
                due and t("On site by: {time}", time=self.when(due)),
                t("Id: {id}", id=record.short_id))

    def deadline(self, record, deadline, missed: bool, as_of: datetime) -> Notice:
        from dutyctl.tickets.deadlines import MINUTE, label
        from dutyctl.records import kind_word

        with speaking(self.config.language):
            values = dict(kind=kind_word(record.kind), id=record.short_id,
                          deadline=label(deadline.name), due=self.when(deadline.due))
            if missed and deadline.late_by(as_of) < MINUTE:  # due, nothing counted yet: why
                head = t("Overdue: {kind} {id}, {deadline} was due {due} ({why})",
                         why=deadline.late_text(as_of), **values)
            elif missed:
                head = t("Overdue: {kind} {id}, {deadline} was due {due} (late by "
                         "{late})", late=deadline.late_text(as_of), **values)
            else:
                head = t("Due soon: {kind} {id}, {deadline} due {due} (in {left})",
                         left=deadline.left_text(as_of), **values)
            room = place_of(record)  # a repair's pump room, not its caller's flat
            return self._notice(
                head,
                room and t("Room: {room}", room=self._place(room)),
                t("What: {text}", text=_detail(record.get("content") or record.get("summary")
                                               or record.get("note"))),
                (who := self.names.holder(record)) and t("Assigned to: {staff}", staff=who))

    def handover_waiting(self, record, as_of: datetime) -> Notice:
        """Names who has not accepted yet: a handover partly accepted is still waiting."""
        from dutyctl.desk.handover import waiting_for
        from dutyctl.kinds.handover import recipients
        from dutyctl.tickets.deadlines import span

        with speaking(self.config.language):
            return self._notice(t(
                "Handover {id} from {giver} to {takers}, written {time}, is not accepted "
                "after {wait}: still waiting for {missing}", id=record.short_id,
                giver=self.names.short_person(record.get("from") or record.recorded_by),
                takers=self.names.people(recipients(record.fields)),
                missing=self.names.people(waiting_for(record)),
                time=self.when(record.created_at), wait=span(as_of - record.created_at)))

    def absence(self, slot) -> Notice:
        with speaking(self.config.language):
            return self._notice(t(
                "Absent: {staff} has not clocked in for the {shift} shift that started {time}",
                staff=self.names.short_person(slot.staff), shift=slot.shift_name,
                time=self.when(slot.start)))

    def test(self, channel: str, at: datetime) -> Notice:
        with speaking(self.config.language):
            return self._notice(t("Test message from dutyctl to channel {channel} at {time}: "
                                  "notifications work.", channel=channel,
                                  time=self.when(at)))
