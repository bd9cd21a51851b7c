"""Many desks, one history (issue 10, "Done when"): three clones of one workspace behind a real
`git daemon` on 127.0.0.1, a hundred seeded random operations spread over the desks (calls,
callbacks, complaint and repair steps including ones that clash, checklists, handovers and
their acceptance, roster overrides, recurring runs) with `dutyctl sync` at random moments.

At the end every clone is identical, every operation's record or event is there (and nothing
else), and `check` reports exactly the clashing steps the operations made — predicted by this
test's own small model of the lifecycles, not by dutyctl's tables.

The seed is chosen (from the model alone, no dutyctl run) so that a hundred operations take
every step of every lifecycle below and make steps clash on every kind that has steps; the test
asserts that it did, so a change to the operations that loses any of it fails here rather than
quietly testing less. (300 operations of the previous seed never took `resume`.)

Selected with `-m multidesk`."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from dutyctl.people import staff_ids
from dutyctl.timeutil import local_time
from dutyctl.workspace import Workspace, init_workspace
from tests.conftest import Cli
from tests.helpers_foundation import git
from tests.test_sync import git_server, no_git_config  # noqa: F401  (fixtures)

__all__ = ["git_server", "no_git_config"]  # fixtures pytest finds here by name
from tests.test_tickets_recurring import with_recurring

pytestmark = [pytest.mark.auto_commit, pytest.mark.multidesk]

SEED = 199
OPERATIONS = 100
START = datetime(2026, 10, 12, 7, 0)
STEP = timedelta(minutes=6)
SYNC_CHANCE = 0.12
DESKS = {"front": "zhangwei", "night": "lina", "office": "chenjing"}  # desk -> who works there
SUPERVISOR_DESK = "front"  # the only desk that edits the roster file (one writer per file)
JOBS = """\
recurring:
  pumps:
    name: 水泵巡查
    where: 地下泵房
    category: water-electric
    rule: "FREQ=DAILY"
    start: "2026-10-12"
    at: "06:00"
  lifts:
    name: 电梯巡查
    where: 3号楼电梯
    category: elevator
    rule: "FREQ=DAILY"
    start: "2026-10-12"
    at: "13:00"
"""

# This test's own lifecycles (action -> statuses it may follow, status it leads to; None keeps
# it): what dutyctl must agree with, written out independently of dutyctl/kinds.
OWN_TABLE = {
    "complaint": {"handle": ({"open", "handling"}, "handling"),
                  "transfer": ({"open", "handling", "transferred"}, "transferred"),
                  "resolve": ({"open", "handling", "transferred"}, "resolved"),
                  "visit": ({"resolved"}, "closed"),
                  "close": ({"open", "handling", "transferred", "resolved"}, "cancelled"),
                  "reopen": ({"closed", "cancelled"}, "open")},
    "repair": {"dispatch": ({"open", "dispatched", "on-site"}, "dispatched"),
               "arrive": ({"dispatched"}, "on-site"),
               "eta": ({"open", "dispatched", "on-site", "on-hold"}, None),
               "hold": ({"dispatched", "on-site"}, "on-hold"),
               "resume": ({"on-hold"}, "dispatched"),
               "done": ({"dispatched", "on-site"}, "done"),
               "visit": ({"done"}, "closed"),
               "close": ({"open", "dispatched", "on-site", "on-hold", "done"}, "cancelled"),
               "reopen": ({"closed", "cancelled"}, "open")},
    "call": {"callback-done": ({"awaiting-callback"}, "called-back")},
    # a second handover from the same writer to the same person, before it was accepted,
    # replaces the first (desk.handover.replaced_by): a step the writing desk adds
    "handover": {"accept": ({"pending"}, "accepted"), "replace": ({"pending"}, "replaced")},
}
#: steps dutyctl writes along with another operation, never one the test runs itself
WRITTEN_ALONG = {"replace"}
FIRST_STATUS = {"complaint": "open", "repair": "open", "call": "awaiting-callback",
                "handover": "pending"}


@dataclass
class Step:
    number: int  # the operation that made it: its place in time
    action: str
    at: datetime
    by: str


@dataclass
class Thing:
    """A record the operations follow: who knows it and its steps."""

    id: str
    kind: str
    steps: list[Step] = field(default_factory=list)


def fold(thing: Thing, known: set[int] | None) -> tuple[str, list[Step]]:
    """Status after the steps (those in `known`, None: all), and those that clashed: a step
    its status does not allow, unless it repeats the step that set the status (two desks'
    one decision: the same action, and this test gives each action the same arguments)."""
    status, clashed, previous = FIRST_STATUS[thing.kind], [], None
    for step in thing.steps:
        if known is not None and step.number not in known:
            continue
        allowed, target = OWN_TABLE[thing.kind][step.action]
        if status not in allowed:
            if previous is None or previous.action != step.action:
                clashed.append(step)
        elif target is not None:
            status, previous = target, step
    return status, clashed


class Site:
    """The three desks, the shared repository and the model of what each desk has seen."""

    def __init__(self, tmp_path: Path, url: str, rng: random.Random):
        self.rng, self.url, self.tmp = rng, url, tmp_path
        self.roots: dict[str, Path] = {}
        self.known: dict[str, set[int]] = {desk: set() for desk in DESKS}  # operation numbers
        self.shared: set[int] = set()
        self.things: dict[str, Thing] = {}
        self.made_at: dict[str, int] = {}  # record id -> the operation that filed it
        self.recurring: set[str] = set()
        self.overrides: list[str] = []
        self.handover_to: dict[str, str] = {}  # handover id -> who accepts it
        self.handover_from: dict[str, str] = {}  # handover id -> who wrote it
        self.written_at: dict[str, datetime] = {}  # handover id -> when
        self.refused: list[str] = []  # roster overrides refused by the rules
        self.syncs = 0

    # -- running dutyctl ---------------------------------------------------------------------

    def run(self, desk: str, *args: str) -> str:
        done = Cli(self.roots[desk])(*args, user=DESKS[desk])
        assert done.exit_code == 0, (desk, args, done.stdout, done.stderr)
        return done.stdout

    def sync(self, desk: str) -> None:
        done = Cli(self.roots[desk])("sync")
        assert done.exit_code == 0, (desk, done.stderr, Cli(self.roots[desk])("check").stdout)
        self.syncs += 1
        self.known[desk] |= self.shared
        self.shared = set(self.known[desk])

    # -- the model ---------------------------------------------------------------------------

    def seen(self, desk: str, kind: str) -> list[Thing]:
        return [thing for thing in self.things.values()
                if thing.kind == kind and self.made_at[thing.id] in self.known[desk]]

    def filed(self, desk: str, number: int, kind: str, record_id: str) -> None:
        self.things[record_id] = Thing(record_id, kind)
        self.made_at[record_id] = number
        self.known[desk].add(number)

    def stepped(self, desk: str, number: int, thing: Thing, action: str, at: datetime) -> None:
        thing.steps.append(Step(number, action, at, DESKS[desk]))
        self.known[desk].add(number)


def when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


TICKET_ARGS = {
    "handle": lambda at: ["--action", "已上门劝导"],
    "transfer": lambda at: ["--to", "engineering", "--reason", "需工程部处理",
                            "--told-resident", "已转工程部"],
    "resolve": lambda at: ["--result", "已处理"],
    "visit": lambda at: ["--satisfaction", "4"],
    "close": lambda at: ["--as", "withdrawn", "--reason", "住户撤回"],
    "reopen": lambda at: ["--reason", "住户说问题又出现了"],
    "dispatch": lambda at: ["--to", "wangqiang"],
    "arrive": lambda at: [],
    "eta": lambda at: ["--by", when(at + timedelta(hours=3))],
    "hold": lambda at: ["--reason", "等配件"],
    "resume": lambda at: [],
    "done": lambda at: ["--result", "更换阀芯"],
}


def operate(site: Site, number: int, desk: str, at: datetime) -> None:
    """One random operation at `desk` at `at`; the model follows what it did."""
    rng, stamp, person = site.rng, when(at), DESKS[desk]
    room = f"{rng.randint(1, 9)}-{rng.randint(1, 3)}-{rng.randint(1, 20):02d}01"
    choice = rng.choices(["call", "callback", "complaint", "repair", "step", "checklist",
                          "handover", "accept", "override", "schedule"],
                         [12, 6, 8, 8, 36, 6, 6, 6, 6, 3])[0]
    if choice == "step" or choice == "callback" or choice == "accept":
        kinds = {"step": ("complaint", "repair"), "callback": ("call",),
                 "accept": ("handover",)}[choice]
        candidates = [thing for kind in kinds for thing in site.seen(desk, kind)]
        moves = [(thing, action) for thing in candidates
                 for action, (allowed, _) in OWN_TABLE[thing.kind].items()
                 if action not in WRITTEN_ALONG and fold(thing, site.known[desk])[0] in allowed]
        if moves:  # the steps taken least so far are the likeliest: every one is reached
            taken = Counter((thing.kind, step.action) for thing in site.things.values()
                            for step in thing.steps)
            thing, action = rng.choices(moves, [1 / (1 + taken[thing.kind, action]) ** 2
                                                for thing, action in moves])[0]
            if thing.kind == "call":
                site.run(desk, "callback", "done", thing.id, "--note", "已回电", "--at", stamp)
            elif thing.kind == "handover":
                person = site.handover_to[thing.id]
                done = Cli(site.roots[desk])("handover", "accept", thing.id, "--no-clock-in",
                                             "--at", stamp, user=person)
                assert done.exit_code == 0, (desk, thing.id, done.stderr)
            else:
                site.run(desk, thing.kind, action, thing.id, *TICKET_ARGS[action](at),
                         "--at", stamp)
            site.stepped(desk, number, thing, action, at)
            if thing.kind == "handover":
                thing.steps[-1].by = person
            return
        choice = "call"  # nothing to step on here yet
    if choice == "call":
        extra = ["--callback-by", when(at + timedelta(hours=2))] if rng.random() < 0.6 else []
        made = site.run(desk, "log", "call", "--name", "张三", "--room", room, "--phone",
                        "13812345678", "--summary", f"来电 #{number}", *extra, "--at", stamp)
        site.filed(desk, number, "call" if extra else "plain-call", made.strip())
    elif choice in ("complaint", "repair"):
        # a room and phone of its own: tickets of one phone or room filed within the hour
        # with words alike would be one matter filed twice (tickets.twins), which check says
        own_room = f"9-3-{number % 30 + 1:02d}{number // 30 + 1:02d}"
        made = site.run(desk, choice, "file", "--name", "李四", "--room", own_room, "--phone",
                        f"139{number:08d}", "--content", f"{choice} #{number}", "--at", stamp)
        site.filed(desk, number, choice, made.strip())
    elif choice == "checklist":
        made = site.run(desk, "checklist", "--ok", "all", "--at", stamp)
        site.filed(desk, number, "readiness", made.split()[0])
    elif choice == "handover":
        to = rng.choice([staff for staff in DESKS.values() if staff != person])
        # what it replaces, as this desk knows them: the writer's own to the same person,
        # still waiting, written within the same shift change (no duty: 12 hours)
        replaced = [thing for thing in site.seen(desk, "handover")
                    if site.handover_from[thing.id] == person and site.handover_to[thing.id] == to
                    and fold(thing, site.known[desk])[0] == "pending"
                    and at - site.written_at[thing.id] <= timedelta(hours=12)]
        made = site.run(desk, "handover", "--to", to, "--note", f"交接 #{number}",
                        "--at", stamp)
        site.filed(desk, number, "handover", made.split()[0])
        site.handover_to[made.split()[0]] = to
        site.handover_from[made.split()[0]] = person
        site.written_at[made.split()[0]] = at
        for thing in replaced:
            site.stepped(desk, number, thing, "replace", at)
    elif choice == "override":
        if desk != SUPERVISOR_DESK:
            return operate(site, number, SUPERVISOR_DESK, at)
        reason = f"调整 #{number}"
        tries = rng.sample([(day, staff) for day in range(20, 31)
                            for staff in ("sunli", "zhaolei", "lina", "chenjing")], 12)
        for day, staff in tries:  # the rules refuse many: try a few places
            done = Cli(site.roots[desk])("roster", "override", f"2026-10-{day}", "day", staff,
                                         "--role", "service", "--reason", reason,
                                         "--at", stamp, user=person)
            if done.exit_code == 0:
                site.overrides.append(reason)
                site.known[desk].add(number)
                return
            # refused by a hard rule: nothing written
            assert done.exit_code == 2, done.stderr
            assert "refused" in done.stderr or "already on" in done.stderr, done.stderr
            site.refused.append(done.stderr)
    elif choice == "schedule":
        made = site.run(desk, "repair", "schedule", "--until", at.strftime("%Y-%m-%d"),
                        "--at", stamp)
        site.recurring.update(made.split())
        site.known[desk].add(number)


def first_desk(site: Site) -> Path:
    root = site.tmp / "front"
    init_workspace(root)
    with_recurring(root, JOBS)
    who = ("-c", "user.name=setup", "-c", "user.email=setup@example.com")
    git(root, *who, "commit", "-qam", "recurring rounds")
    site.roots["front"] = root
    generated = Cli(root)("roster", "generate", "--month", "2026-10", "--seed", "1",
                          "--at", "2026-10-01 08:00")
    assert generated.exit_code in (0, 1), generated.stderr  # 1: some places unfilled
    git(root, "remote", "add", "origin", site.url)
    checked = Cli(root)("check")
    assert checked.exit_code == 0, checked.stdout
    site.run("front", "sync")
    return root


def test_three_desks_a_hundred_random_operations(tmp_path, git_server, clock):
    clock.set("2026-10-20T12:00:00+08:00")  # after every operation: no --at is in the future
    site = Site(tmp_path, git_server, random.Random(SEED))
    first_desk(site)
    for desk in ("night", "office"):
        git(tmp_path, "clone", "-q", git_server, str(tmp_path / desk))
        site.roots[desk] = tmp_path / desk

    for number in range(OPERATIONS):
        operate(site, number, site.rng.choice(list(DESKS)), START + number * STEP)
        if site.rng.random() < SYNC_CHANCE:
            site.sync(site.rng.choice(list(DESKS)))
    for desk in DESKS:  # everyone pushes: the last desk has it all
        site.sync(desk)
    for desk in list(DESKS)[:-1]:  # the others take it
        site.sync(desk)

    # every clone is identical, and nothing is left uncommitted
    heads = {git(root, "rev-parse", "HEAD") for root in site.roots.values()}
    assert len(heads) == 1
    for root in site.roots.values():
        assert git(root, "status", "--porcelain") == ""

    # no operation lost, nothing made twice: the records and steps are exactly those done
    scan = Workspace(site.roots["front"]).store.scan()
    assert scan.problems == []
    records = {record.id: record for record in scan.records}
    for record_id in (*site.things, *site.recurring):
        assert record_id in records, record_id
    kinds = {record.kind for record in records.values()}
    assert {"call", "complaint", "repair", "readiness", "handover"} <= kinds
    expected_steps = sorted((thing.id, step.action, step.at.isoformat(timespec="minutes"),
                             step.by) for thing in site.things.values() for step in thing.steps)
    found_steps = sorted((record.id, event.action,
                          event.at.replace(tzinfo=None).isoformat(timespec="minutes"), event.by)
                         for record in records.values() if record.id in site.things
                         for event in record.events)
    assert found_steps == expected_steps
    # beyond them, only records a step makes on the side (a night dispatch's call-out), each
    # naming the record it came from
    extra = [records[record_id] for record_id in set(records) - set(site.things) - site.recurring]
    assert [(record.kind, dict(record.fields)) for record in extra
            if not set(map(str, record.fields.values())) & set(site.things)] == []
    roster = (site.roots["front"] / "rosters" / "2026-10.yaml").read_text(encoding="utf-8")
    for reason in site.overrides:
        assert reason in roster, reason
    assert site.overrides and len(site.recurring) >= 2, site.refused

    # check reports exactly the clashes the operations made, on every desk alike
    clashes = {(thing.id, step.action, step.at.isoformat(timespec="minutes"))
               for thing in site.things.values() if thing.kind in OWN_TABLE
               for step in fold(thing, None)[1]}
    # the seed's reach (see the module's docstring): every step taken, clashes on every kind
    taken = {(thing.kind, step.action) for thing in site.things.values() for step in thing.steps}
    assert taken == {(kind, action) for kind, table in OWN_TABLE.items() for action in table}
    assert {thing.kind for thing in site.things.values()} >= {"call", "plain-call", "readiness"}
    # (a call has one step, and a step repeating the one that set the status clashes with
    # nothing: two desks' callbacks done, or one handover's acceptances, are no clash)
    assert {site.things[record_id].kind for record_id, _, _ in clashes} >= {"complaint",
                                                                             "repair"}
    paths = {}
    for record in records.values():
        for event in record.events:
            key = (record.id, event.action,
                   event.at.replace(tzinfo=None).isoformat(timespec="minutes"))
            paths[key] = (Workspace(site.roots["front"]).relative(event.path), event)
    for desk, root in site.roots.items():
        checked = Cli(root)("check")
        assert checked.exit_code == 1, checked.stderr
        lines = checked.stdout.splitlines()
        assert len(lines) == len(clashes), (desk, lines)
        for key in clashes:
            where, event = paths[key]
            line = next(line for line in lines if line.startswith(f"{where}:{event.line}: "))
            # who by name, when in the site's local time (the same on every desk)
            desk_site = Workspace(root)
            who = staff_ids(desk_site).get(event.by, event.by)
            when = local_time(event.at, desk_site.config.tz)
            assert f"{event.action} by {who} at {when}" in line
            assert "conflicts with" in line or "is not possible" in line
