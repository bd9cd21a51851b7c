"""The readiness checklist (seed 3.5): answers, runs, and problems open until fixed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping, Sequence

from dutyctl.errors import InputError, NotFound
from dutyctl.kinds.readiness import FIX, READINESS, READINESS_PROBLEM, RECHECK
from dutyctl.messages import N_, t
from dutyctl.records import Record, as_it_stood, check_next_event

RUN, PROBLEM = READINESS.name, READINESS_PROBLEM.name
ALL = "all"
#: what a clerk types for "every item" (`--正常 全部`), as well as `all`
ALL_WORDS = frozenset({ALL, "全部", "所有", "全部正常"})


@dataclass(frozen=True)
class Answer:
    item: str
    ok: bool
    note: str | None = None


def item_id(items: Mapping[str, str] | Sequence[str], name: str,
            partial: bool = True) -> str | None:
    """The checklist item `name` means, typed by id, label (打印机可用) or a part of one label
    (打印机, as a clerk says it); None if none or several. `partial=False` where the text may
    be a record id's prefix instead."""
    from dutyctl.choices import matches

    found = matches(name, _labels(items), partial=partial)
    return found[0] if len(found) == 1 else None


def _labels(items: Mapping[str, str] | Sequence[str]) -> Mapping[str, str]:
    return items if isinstance(items, Mapping) else {item: item for item in items}


def answers_from_flags(items: Mapping[str, str] | Sequence[str], ok: Sequence[str],
                       problems: Sequence[str], notes: Sequence[str]) -> list[Answer]:
    """Answers given by --ok (items by id or label, or 'all' / 全部: every item not named by
    --problem) and --problem, the n-th --note going with the n-th --problem. Items left out
    are not answered (the caller asks for them or refuses). Every mistake is reported at
    once; a refusal names each item as `label (id)`."""
    from dutyctl.choices import resolve

    labels = _labels(items)
    errors: list = []

    def resolved(name: str) -> str:
        if name.strip().casefold() in ALL_WORDS:
            return ALL
        try:
            return resolve(name, labels,
                           N_("unknown checklist item '{value}'; choose one of: {choices}"),
                           none=N_("dutyctl.yaml lists no checklist item, so '{value}' "
                                   "cannot be one"))
        except InputError as refused:
            errors.append(str(refused))
            return name

    ok, problems = [resolved(name) for name in ok], [resolved(name) for name in problems]
    if ALL in problems:
        errors.append(lambda name: t("{problem} needs one item, not 'all'",
                                     problem=name("problem")))
    for twice in set(ok) & set(problems):
        errors.append(lambda name, twice=twice: t("'{item}' given both as {ok} and as {problem}",
                                                  item=labels.get(twice, twice), ok=name("ok"),
                                                  problem=name("problem")))
    for twice in sorted({name for name in problems if problems.count(name) > 1} - {ALL}):
        # its notes would be one answer: all but the last lost without a word
        errors.append(lambda name, twice=twice: t(
            "'{item}' given twice as {problem}: give it once, with one {note} saying all "
            "that is wrong", item=labels.get(twice, twice), problem=name("problem"),
            note=name("note")))
    if len(notes) > len(problems):
        errors.append(lambda name: t("{notes} {note} for {problems} {problem}: each {note} "
                                     "follows the {problem} it describes", notes=len(notes),
                                     problems=len(problems), note=name("note"),
                                     problem=name("problem")))
    if errors:
        raise InputError(lambda name: "\n".join(error if isinstance(error, str) else error(name)
                                                for error in errors))
    answers = {name: Answer(name, False, notes[index] if index < len(notes) else None)
               for index, name in enumerate(problems)}
    for name in labels if ALL in ok else ok:
        answers.setdefault(name, Answer(name, True))
    return [answers[name] for name in labels if name in answers]


def unanswered(items: Sequence[str], answers: Sequence[Answer]) -> list[str]:
    given = {answer.item for answer in answers}
    return [item for item in items if item not in given]


@dataclass
class ChecklistRun:
    """A readiness run being answered, before anything is written. Every item of the site's
    checklist is required: answered ok, or a problem with a note saying what is wrong (the
    note is optional for an item found ok). The run is finished when every item is."""

    labels: Mapping[str, str]  # the site's items, in order: id -> label
    answers: list[Answer]
    fixed: list[str]  # items answered ok whose open problem is recorded fixed
    open_before: dict[str, Record]  # the oldest open problem of each item

    @property
    def items(self) -> list[str]:
        return list(self.labels)

    @property
    def unanswered(self) -> list[str]:
        return unanswered(self.items, self.answers)

    def answer(self, answer: Answer, fixed: bool = False) -> None:
        """One more answer (given at a terminal); `fixed`: its open problem is fixed now."""
        self.answers = [given for given in self.answers if given.item != answer.item]
        self.answers.append(answer)
        if fixed and answer.item not in self.fixed:
            self.fixed.append(answer.item)

    def check_answered(self) -> None:
        """Refused while an item is not answered: a run is never written half done."""
        rest = self.unanswered
        if rest:
            from dutyctl.choices import describe

            raise InputError(lambda name: t(
                "not answered: {items}: pass {ok} all (or {ok} ITEM, {problem} ITEM {note} "
                "TEXT); nothing written", items=describe(self.labels, rest), ok=name("ok"),
                problem=name("problem"), note=name("note")))

    def in_order(self) -> list[Answer]:
        return sorted(self.answers, key=lambda answer: self.items.index(answer.item))


def start_run(store, config, *, ok: Sequence[str] = (), problems: Sequence[str] = (),
              notes: Sequence[str] = (), fixed: Sequence[str] = ()) -> ChecklistRun:
    """The run as the answers given so far make it (items by id or label; `ok` may hold
    'all'; `fixed`: items ok now whose open problem is recorded fixed). Refused when the site
    has no checklist, an item is unknown or given twice, or a fixed item has no open
    problem."""
    labels = config.checklist.names
    if not labels:
        raise InputError(t("dutyctl.yaml has no checklist items (section checklist:)"))
    answers = answers_from_flags(labels, [*ok, *fixed], problems, notes)
    fixed_items = [item_id(labels, name) for name in fixed]
    already = open_by_item(store)
    not_open = [item for item in fixed_items if item not in already and item in labels]
    if not_open:
        raise InputError(lambda name: t("{fixed} {item}: it has no open problem",
                                        fixed=name("fixed"),
                                        item=config.checklist.name(not_open[0])))
    return ChecklistRun(labels, answers, fixed_items, already)


def finish_run(store, config, run: ChecklistRun, *, at: datetime, by: str) -> "ChecklistResult":
    """Write the finished run (refused, nothing written, while it is not)."""
    run.check_answered()
    return record_checklist(store, config, run, at=at, by=by)


def open_problems(store, at: datetime | None = None) -> list[Record]:
    """Every readiness problem not yet recorded fixed, oldest first; with `at`, those open at
    that moment, each as it stood then (its rechecks up to then)."""
    if at is None:
        return list(store.open_records(kinds=(PROBLEM,)).records)
    from dutyctl.queries import is_open

    return [record for record in as_it_stood(store.open_at((PROBLEM,), at).records, at)
            if is_open(record)]


def open_by_item(store) -> dict[str, Record]:
    """The oldest open problem of each item."""
    found: dict[str, Record] = {}
    for record in open_problems(store):
        found.setdefault(record.get("item"), record)
    return found


@dataclass
class ChecklistResult:
    run: Record
    new_problems: list[Record] = field(default_factory=list)
    rechecked: list[Record] = field(default_factory=list)
    fixed: list[Record] = field(default_factory=list)
    still_open: list[Record] = field(default_factory=list)  # answered ok but not recorded fixed

    @property
    def paths(self) -> list[str]:
        paths = [self.run.path, *(record.path for record in self.new_problems)]
        paths += [record.events[-1].path for record in (*self.rechecked, *self.fixed)]
        return paths


def record_checklist(store, config, run: ChecklistRun, *, at: datetime,
                     by: str) -> ChecklistResult:
    """File the run; open a problem per item found wrong (or recheck the one already open,
    as the run found them when it started); record fixed the open problems of the run's
    `fixed` items (items answered ok)."""
    answers, fixed_items, already = run.in_order(), run.fixed, run.open_before
    missing_notes = [answer.item for answer in answers if not answer.ok and not answer.note]
    if missing_notes:
        raise InputError(lambda name: t("a problem needs a note saying what is wrong: {problem} "
                                        "{item} {note} TEXT", item=missing_notes[0],
                                        problem=name("problem"), note=name("note")))
    from dutyctl.schema import require_text

    for answer in answers:  # a note named as typed (--note), not as stored (results[2].note)
        if answer.note:
            require_text(answer.note, "note")
    for answer in answers:  # every step on an open problem is refused now, before the run
        if answer.item in already and (not answer.ok or answer.item in fixed_items):
            check_next_event(already[answer.item], RECHECK if not answer.ok else FIX, at)
    results = [{"item": answer.item, "ok": answer.ok, **({"note": answer.note}
                                                          if answer.note else {})}
               for answer in answers]
    result = ChecklistResult(store.create(RUN, {"staff": by, "results": results}, at=at, by=by))
    for answer in answers:
        previous = already.get(answer.item)
        if not answer.ok and previous is not None:
            result.rechecked.append(store.append(previous, RECHECK, at=at, by=by,
                                                 note=answer.note, data={"run": result.run.id}))
        elif not answer.ok:
            fields = {"item": answer.item, "item_name": config.checklist.name(answer.item),
                      "note": answer.note, "run": result.run.id}
            result.new_problems.append(store.create(PROBLEM, fields, at=at, by=by))
        elif previous is not None and answer.item in fixed_items:
            # no note: the run says why (shown as words on display; records keep ids)
            result.fixed.append(store.append(previous, FIX, at=at, by=by,
                                             data={"run": result.run.id}))
        elif previous is not None:
            result.still_open.append(previous)
    return result


def find_problem(store, config, item_or_id: str) -> Record:
    """The open problem of a checklist item, or the readiness problem with this id."""
    from dutyctl.store import ids

    # 打印机可用 or 打印机 -> printer; a part of a label only when it cannot be a problem's id
    item_or_id = item_id(config.checklist.names, item_or_id,
                         partial=ids.normalize(item_or_id) is None) or item_or_id
    by_item = [record for record in open_problems(store) if record.get("item") == item_or_id]
    if len(by_item) > 1:
        listed = ", ".join(record.short_id for record in by_item)
        raise InputError(t("{count} open problems for {item}: {listed}; name one by id",
                           count=len(by_item), item=config.checklist.name(item_or_id),
                           listed=listed))
    if by_item:
        return by_item[0]
    if item_or_id in config.checklist:
        raise NotFound(t("no open problem for checklist item '{item}'",
                         item=config.checklist.name(item_or_id)))
    if ids.normalize(item_or_id) is None:  # neither an item nor an id: name both choices
        from dutyctl.choices import describe

        raise NotFound(t("no checklist item '{item}' (this site has: {items}) and no problem "
                         "id like it", item=item_or_id, items=describe(config.checklist.names)))
    record = store.get(item_or_id)
    from dutyctl.records import require_kind

    require_kind(record, PROBLEM)
    return record


def fix_problem(store, record: Record, *, at: datetime, by: str, note: str) -> Record:
    return store.append(record, FIX, at=at, by=by, note=note)
