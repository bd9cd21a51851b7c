"""What people read instead of ids: configured labels of categories, urgency classes,
emergency types and checklist items, and staff names from the roster rules."""

from __future__ import annotations

from datetime import datetime, timedelta


class Names:
    """Display names from the site config and the roster rules; the id when unknown."""

    def __init__(self, config, staff: dict[str, str] | None,
                 shifts: dict[str, str] | None = None, area: str | None = None):
        self.config = config
        self.staff_names = staff or {}
        self.shift_names = shifts or {}
        #: the stored room a screen is asked about as a building or unit (`房号 5-2`: its unit
        #: 5号楼2单元 in its heading and its table alike, `rooms.shown(area=True)`)
        self.area = area

    @classmethod
    def of(cls, workspace, area: str | None = None) -> "Names":
        from dutyctl.people import known_staff, shift_names

        # rules that cannot be read (a slip, a merge's markers): the names as last committed
        return cls(workspace.config, known_staff(workspace), shift_names(workspace), area)

    def text(self, text: str) -> str:
        """Free text (a handed-over item, a note) as screens show it: each phone number in it
        masked, unless the site shows phones whole (privacy.mask_phone: false)."""
        from dutyctl.schema import phones_masked

        return phones_masked(text) if getattr(self.config, "mask_phone", True) else text

    def shift(self, shift_id: str | None) -> str:
        return _one_line(self.shift_names.get(shift_id, shift_id)) if shift_id else "-"

    def role(self, role_id: str | None) -> str:
        return _one_line(self.config.roles.name(role_id)) if role_id else "-"

    def slot(self, shift: str, start: datetime, end: datetime, role: str | None) -> str:
        """'夜班 2026-11-03 20:00–08:00 (客服专员)': a rostered duty as clock in and every screen
        name it (`shift`: the shift's name, `role`: the role's id)."""
        from dutyctl.messages import t
        from dutyctl.timeutil import local_time

        tz = self.config.tz
        # a 24-hour duty (a guard's 08:00 to 08:00) ends on its next day: 08:00–12-02 08:00
        shape = "%m-%d %H:%M" if end - start >= timedelta(hours=24) else "%H:%M"
        shown = dict(shift=_one_line(shift), start=local_time(start, tz),
                     end=end.astimezone(tz).strftime(shape))
        if role is None:  # people of several roles on one shift, or a duty naming none
            return t("{shift} {start}–{end}", **shown)
        return t("{shift} {start}–{end} ({role})", role=self.role(role), **shown)

    def slot_of(self, slot, with_role: bool = True) -> str:
        """A roster slot (dutyctl.roster's Slot) as `slot` says it; without its role for a
        shift several roles take over together (a clerk and a technician)."""
        return self.slot(slot.shift_name, slot.start, slot.end,
                         slot.role if with_role else None)

    def category(self, kind: str, category: str | None) -> str:
        catalogue = self.config.categories.get(kind)
        name = catalogue.name(category) if catalogue and category else None
        return _one_line(name) if name and name != category else (category or "-")

    def urgency(self, kind: str, class_id: str | None) -> str:
        found = self.config.urgency_class(kind, class_id)
        return _one_line(found.name) if found else (class_id or "-")

    def emergency(self, type_id: str | None) -> str:
        found = self.config.emergencies.get(type_id) if type_id else None
        return _one_line(found.name) if found else (type_id or "-")

    def department(self, department_id: str | None) -> str:
        """A department or outside body by its name in dutyctl.yaml (工程部), else its id (also
        while dutyctl.yaml does not load: check still lists what it finds)."""
        found = (self.config.departments.get(department_id)
                 if department_id and self.config is not None else None)
        return _one_line(found.name) if found else (department_id or "-")

    def holder(self, record) -> str | None:
        """Who a record is with, as a handler column says it: the department a complaint was
        transferred to (工程部), else the person handling it (records.assignee)."""
        from dutyctl.kinds.complaint import transferred_to
        from dutyctl.records import assignee

        return self.holding(assignee(record), transferred_to(record))

    def holding(self, staff: str | None, department: str | None) -> str | None:
        """`holder` from the ids a row keeps (a report's `assignee` and `transferred_to`)."""
        return self.department(department) if department else self.short_person(staff)

    def room(self, room: str | None) -> str | None:
        """3号楼 for a stored building `3`, 3号楼2单元 for a unit (rooms.shown), on one line
        (a table or a message on screen cuts it too: `line`; a sheet keeps it whole)."""
        from dutyctl.rooms import shown

        return _one_line(shown(self.config.rooms, room,
                               area=room is not None and room == self.area))

    def room_line(self, room: str | None) -> str | None:
        """`room` as a screen's line or table shows it: its words (`room`) cut to one short
        line (`line`); a sheet or a file keeps `room` whole."""
        return self.line(self.room(room))

    @staticmethod
    def line(text):
        """A resident's name, a room or a place from a shared file as a screen shows it: on
        one line of at most the front door's length (safetext.short_line), a line break in
        it cannot make a line of its own under a label (`status: closed` forged beneath
        `show`'s real status) nor a place of a million characters widen every row."""
        from dutyctl.safetext import short_line

        return short_line(text) if isinstance(text, str) else text

    def checklist(self, item: str | None, given: str | None = None) -> str:
        return given or (_one_line(self.config.checklist.name(item)) if item else "-")

    def person(self, staff: str | None) -> str:
        """陈静: a staff member as every screen names them, the name alone; 陈静 (chenjing)
        (陈静（chenjing） in Chinese) only when another staff member bears the same name (two
        张伟 must not look alike); the id when the rules do not know it; '-' for nobody; the
        maintenance schedule (维保计划) for the recurring repairs it filed."""
        from dutyctl.messages import t

        if not staff:
            return "-"
        name = self.staff_names.get(staff)
        if not name and _is_schedule(staff):
            return t("maintenance schedule")  # who files a recurring repair: no one person
        if not name or name == staff:
            return _one_line(staff)  # from the rules or records another desk may have written
        shown = t("{name} ({id})", name=name, id=staff) if self.shared_id(staff) else name
        return _one_line(shown)

    def shared_id(self, staff: str | None) -> str | None:
        """`staff`'s id when a screen shows it beside the name (another member bears it)."""
        name = self.staff_names.get(staff) if staff else None
        return staff if name and name != staff and self._shared(name) else None

    def short_person(self, staff: str | None) -> str | None:
        """`person`, keeping an empty value empty (a table cell left blank)."""
        return self.person(staff) if staff else staff

    def _shared(self, name: str) -> bool:
        """Whether two staff members bear `name`."""
        if not hasattr(self, "_name_counts"):
            from collections import Counter

            self._name_counts = Counter(self.staff_names.values())
        return self._name_counts[name] > 1

    def typed(self, staff: str) -> str:
        """李娜: how to type a person in a command or at a prompt, by name, unless the name
        would name someone else too, could not be typed as one word, would be refused by
        the staff resolver (a control or invisible character) or read as an option ("-")."""
        from dutyctl.choices import matches
        from dutyctl.output import visible
        from dutyctl.schema import text_problems

        name = self.staff_names.get(staff)
        if (not name or any(mark in name for mark in ",，、") or name.split() != [name]
                or name.startswith("-") or visible(name) != name
                or next(text_problems(name, ""), None) is not None
                or matches(name, self.staff_names, partial=False) != [staff]):
            return staff
        return name

    def people(self, staff) -> str:
        """Several staff members in one line (张伟, 李娜), each once, each as `person` names
        them: a list of ids, or a field naming one or several (a handover's `to`; old files
        hold one id)."""
        from dutyctl.messages import t
        from dutyctl.records import ids_in

        listed = ids_in(staff if isinstance(staff, str) else tuple(staff or ()))
        return t(", ").join(self.person(person) for person in listed)


def _one_line(name):
    """A name from a shared file as a line shows it (safetext.one_line): a line break or control
    character in it cannot break the message or the commit subject it is said in."""
    from dutyctl.safetext import one_line

    return one_line(name) if isinstance(name, str) else name


def known_as(workspace, staff: str | None) -> str:
    """张伟: one person as every screen names them (`Names.person`), for a refusal naming
    someone without keeping a Names."""
    return Names.of(workspace).person(staff)


def _is_schedule(staff: str) -> bool:
    """The filer of recurring repairs (kinds.repair imported only for an id no rules know)."""
    from dutyctl.kinds.repair import SCHEDULE_FILER

    return staff == SCHEDULE_FILER
