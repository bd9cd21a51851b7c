"""Generate a realistic dutyctl workspace: rosters plus years of desk records.

    python benchmarks/workspace_gen.py DIR --from 2023-11-01 --to 2026-10-31 [--per-day 150]

Rosters come from the real roster generator (one per month). Records are the kinds the desk
files — calls (some promising a callback), complaints, repairs, emergencies, duty sessions,
readiness checklist runs and problems, handovers — each with its later events, written as
the very files the store writes (same YAML, same names, same folders) but straight to disk
without fsync, so years take minutes instead of hours. `dutyctl check` passes on the result.

Every day is drawn from its own seeded random stream, so a 1-year and a 3-year workspace
ending on the same day hold the same last year, and the same arguments give the same files.
Nothing happens after the last day (events due later are simply not there yet: that is the
work still open at the end). Every item closes within about a month, as on a site whose
supervisors keep the books clean; see the README (Reports: cost) for why that matters to the cost.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time as clock
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from dutyctl import timeutil

from dutyctl.store import ids, yamlio
from dutyctl.records import Event, Record

if TYPE_CHECKING:
    from dutyctl.workspace import Workspace

DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)
SUPERVISOR = "zhangwei"
ROSTER_ATTEMPTS = 20
GRACE = timedelta(minutes=5)  # attendance.grace_minutes of the bundled config

# -- realistic content ------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
         "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "国庆", "晓明"]
CALL_CATEGORIES = [("consultation", 34), ("fee", 16), ("complaint", 12), ("repair", 26),
                   ("emergency", 1), ("suggestion", 5), ("other", 6)]
CALL_TEXTS = {
    "consultation": ["快递柜在哪里", "小区停车月卡怎么办理", "装修需要办什么手续", "门禁卡补办流程",
                     "垃圾分类投放时间", "访客车辆如何登记"],
    "fee": ["物业费怎么交", "物业费发票怎么开", "水电费代缴问题", "车位管理费标准"],
    "complaint": ["楼上噪音扰民", "楼道堆放杂物", "保洁不及时", "宠物粪便无人清理"],
    "repair": ["厨房水管漏水", "楼道灯不亮", "门禁刷卡无反应", "卫生间下水堵塞"],
    "emergency": ["电梯困人", "楼道有烟味", "地下室跑水"],
    "suggestion": ["建议增加儿童游乐设施", "建议延长健身房开放时间", "建议增设充电桩"],
    "other": ["咨询社区活动", "失物招领", "询问开发商联系方式"],
}
COMPLAINT_CATEGORIES = [("noise", 20), ("sanitation", 16), ("parking", 14), ("security", 8),
                        ("repair-delay", 10), ("pets", 8), ("renovation", 8), ("fees", 5),
                        ("greenery", 4), ("service-attitude", 4), ("neighbours", 3)]
COMPLAINT_TEXTS = {
    "noise": "楼上夜间噪音严重影响休息", "sanitation": "楼道垃圾两天无人清理",
    "parking": "车位被外来车辆长期占用", "security": "陌生人尾随进入单元门",
    "repair-delay": "报修三天仍未上门处理", "pets": "邻居遛狗不牵绳",
    "renovation": "邻居装修超出规定时间施工", "fees": "物业费账单金额有误",
    "greenery": "草坪长期无人修剪", "service-attitude": "前台工作人员态度不好",
    "neighbours": "邻居在公共走廊堆放杂物",
}
REPAIR_CATEGORIES = [("water-electric", 30), ("drains", 18), ("doors-windows", 12),
                     ("facilities", 12), ("access-control", 8), ("leaks", 10), ("elevator", 5),
                     ("other", 5)]
REPAIR_TEXTS = {
    "water-electric": [("general", "插座没电"), ("general", "灯具不亮"), ("urgent", "家中停水"),
                       ("emergency", "厨房水管爆管跑水")],
    "drains": [("urgent", "卫生间下水堵塞"), ("general", "地漏返味")],
    "doors-windows": [("general", "窗户关不严"), ("general", "入户门锁损坏")],
    "facilities": [("general", "楼道扶手松动"), ("general", "小区路灯不亮")],
    "access-control": [("urgent", "单元门禁故障无法开门"), ("general", "门禁刷卡反应慢")],
    "leaks": [("urgent", "天花板漏水"), ("general", "外墙渗水")],
    "elevator": [("emergency", "电梯困人"), ("general", "电梯按钮失灵")],
    "other": [("general", "信报箱损坏")],
}
EMERGENCY_TYPES = [("water-outage", 35), ("power-outage", 30), ("elevator-entrapment", 25),
                   ("gas-leak", 5), ("fire", 5)]
#: what the desk writes of each (the content of a generated emergency is in words, not ids)
EMERGENCY_WORDS = {"water-outage": "停水", "power-outage": "停电",
                   "elevator-entrapment": "电梯困人", "gas-leak": "燃气泄漏", "fire": "火情"}
DEPARTMENTS = ["engineering", "security", "cleaning", "finance", "residents-committee"]
SATISFACTION = [(5, 55), (4, 30), (3, 10), (2, 3), (1, 2)]
HOURLY_CALLS = [1, 1, 0.5, 0.5, 0.5, 1, 2, 5, 9, 10, 10, 8, 5, 6, 8, 9, 9, 8, 6, 6, 5, 4, 2, 1]


# -- one random stream per day, and ids drawn from it ------------------------------------------

def pick(rng: random.Random, weighted: list[tuple]) -> object:
    return rng.choices([item for item, _ in weighted], [weight for _, weight in weighted])[0]


def make_id(rng: random.Random, moment: datetime) -> str:
    """A ULID like dutyctl.store.ids.new_id, its random part from the day's seeded stream."""
    millis = int(moment.timestamp() * 1000)
    return _encode(millis, ids.TIME_LENGTH) + _encode(rng.getrandbits(80), 16)


def _encode(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 32)
        chars.append(ids.ALPHABET[digit])
    return "".join(reversed(chars))


def resident(rng: random.Random, place: str | None = None) -> dict:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    room = place or f"{rng.randint(1, 24)}-{rng.randint(1, 3)}-{rng.randint(1, 18)}{rng.randint(1, 4):02d}"
    phone = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
    return {"name": name, "room": room, "phone": phone}


# -- the roster: who is on duty when -----------------------------------------------------------

class Duty:
    """Slots from the generated rosters, searchable by moment and role."""

    def __init__(self, slots: list):
        self.slots = sorted(slots, key=lambda slot: slot.start)
        self.starts = [slot.start for slot in self.slots]
        self.by_day: dict[date, list] = {}
        for slot in self.slots:
            self.by_day.setdefault(slot.date, []).append(slot)

    def on(self, moment: datetime, role: str) -> str | None:
        index = bisect_right(self.starts, moment)
        for slot in self.slots[max(0, index - 8):index]:
            if slot.role == role and slot.staff and slot.start <= moment < slot.end:
                return slot.staff
        return None

    def who(self, moment: datetime, role: str = "service") -> str:
        return self.on(moment, role) or self.on(moment, "service") or SUPERVISOR

    def busy(self, staff: str, start: datetime, end: datetime) -> bool:
        return any(slot.staff == staff and slot.start < end and slot.end > start
                   for slot in self.slots[max(0, bisect_right(self.starts, start) - 8):
                                          bisect_right(self.starts, end)])

    def starting_on(self, day: date) -> list:
        return self.by_day.get(day, [])


# -- records and their events, planned then written --------------------------------------------

@dataclass
class Planned:
    kind: str
    at: datetime
    by: str
    fields: dict
    events: list = field(default_factory=list)  # (at, by, action, note, data)

    def step(self, at: datetime, by: str, action: str, note: str | None = None,
             data: dict | None = None) -> datetime:
        last = self.events[-1][0] if self.events else self.at
        at = max(at, last + MINUTE)
        self.events.append((at, by, action, note, data or {}))
        return at


class DayWriter:
    """Turns a day's planned records into files exactly as the store writes them."""

    def __init__(self, records_dir: Path, tz, end: datetime):
        self.dir = records_dir
        self.tz = tz
        self.end = end  # nothing after this moment exists yet
        self.files = 0
        self.records = 0

    def write(self, rng: random.Random, planned: Planned) -> str | None:
        if planned.at >= self.end:
            return None
        at = planned.at.astimezone(self.tz)
        record_id = make_id(rng, at)
        folder = self.dir / f"{at:%Y}" / f"{at:%m}" / f"{at:%d}"
        folder.mkdir(parents=True, exist_ok=True)
        record = Record(record_id, planned.kind, at, planned.by, MappingProxyType(planned.fields))
        self._put(folder / f"{record_id}.yaml", record.to_yaml_data())
        self.records += 1
        for event_at, by, action, note, data in planned.events:
            if event_at >= self.end:
                break
            event_at = event_at.astimezone(self.tz)
            event_id = make_id(rng, event_at)
            event = Event(event_id, record_id, event_at, by, action, note,
                          MappingProxyType(data))
            self._put(folder / f"{record_id}.{event_id}.yaml", event.to_yaml_data())
        return record_id

    def _put(self, path: Path, data: dict) -> None:
        path.write_text(yamlio.dumps(data), encoding="utf-8")
        self.files += 1


def local_moment(day: date, tz, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def random_moment(rng: random.Random, day: date, tz) -> datetime:
    hour = rng.choices(range(24), HOURLY_CALLS)[0]
    return local_moment(day, tz, hour, rng.randrange(60)) + timedelta(seconds=rng.randrange(60))


def later(rng: random.Random, start: datetime, low_minutes: float, high_minutes: float,
          ) -> datetime:
    return start + timedelta(minutes=rng.uniform(low_minutes, high_minutes))


WORKING_DAY = [lambda day: day.weekday() < 5]  # replaced by the site calendar in generate()


def business_later(rng: random.Random, start: datetime, low_hours: float, high_hours: float,
                   ) -> datetime:
    """A moment during office hours on a working day (调休 and holidays as the site calendar
    has them), some hours after `start`."""
    moment = later(rng, start, low_hours * 60, high_hours * 60)
    local = moment.astimezone(start.tzinfo)
    if local.hour < 9:
        moment = local.replace(hour=9, minute=rng.randrange(60))
    elif local.hour >= 17:
        moment = (local + DAY).replace(hour=9, minute=rng.randrange(60))
    while not WORKING_DAY[0](moment.date()):
        moment += DAY
    return moment


# -- each kind --------------------------------------------------------------------------------

def plan_call(rng: random.Random, day: date, tz, duty: Duty) -> Planned:
    at = random_moment(rng, day, tz)
    category = pick(rng, CALL_CATEGORIES)
    fields = {"resident": resident(rng), "category": category,
              "summary": rng.choice(CALL_TEXTS[category])}
    call = Planned("call", at, duty.who(at), fields)
    if rng.random() < 0.1:  # not answerable now: a callback promised
        due = later(rng, at, 60, 240)
        fields["callback_by"] = timeutil.to_iso(due.replace(microsecond=0))
        roll = rng.random()
        done = later(rng, at, 10, (due - at).total_seconds() / 60) if roll < 0.9 else \
            later(rng, due, 5, 600)
        call.step(done, duty.who(done), "callback-done", "已回电告知处理结果")
    return call


def plan_complaint(rng: random.Random, day: date, tz, duty: Duty) -> Planned:
    at = random_moment(rng, day, tz)
    category = pick(rng, COMPLAINT_CATEGORIES)
    urgent = rng.random() < 0.1
    fields = {"resident": resident(rng), "category": category,
              "content": COMPLAINT_TEXTS[category], "urgency": "urgent" if urgent else "general"}
    ticket = Planned("complaint", at, duty.who(at), fields)
    handled = later(rng, at, 10, 100) if urgent else business_later(rng, at, 0.5, 30)
    if rng.random() < 0.04:  # a slow start: the response deadline is missed
        handled = later(rng, at, 180, 3000)
    handled = ticket.step(handled, duty.who(handled), "handle", "已联系相关人员核实")
    if rng.random() < 0.15:
        moved = later(rng, handled, 20, 240)
        ticket.step(moved, duty.who(moved), "transfer", "超出客服中心职责范围",
                    {"to": rng.choice(DEPARTMENTS), "told_resident": "已告知业主转交相关部门处理"})
    if urgent:
        resolved = later(rng, handled, 60, 1500)
    elif rng.random() < 0.08:
        resolved = later(rng, handled, 9 * 1440, 16 * 1440)  # late
    else:
        resolved = business_later(rng, handled, 4, 90)
    resolved = ticket.step(resolved, duty.who(resolved), "resolve", "已处理并反馈业主")
    visit(rng, ticket, resolved, duty)
    return ticket


def visit(rng: random.Random, ticket: Planned, after: datetime, duty: Duty) -> None:
    visited = business_later(rng, after, 4, 60)
    score = pick(rng, SATISFACTION)
    ticket.step(visited, duty.who(visited), "visit", "回访业主" if score >= 4 else "业主仍有意见",
                {"satisfaction": score})


def plan_repair(rng: random.Random, day: date, tz, duty: Duty) -> Planned:
    at = random_moment(rng, day, tz)
    category = pick(rng, REPAIR_CATEGORIES)
    urgency, text = rng.choice(REPAIR_TEXTS[category])
    place = f"{rng.randint(1, 24)}号楼电梯" if category == "elevator" else None
    fields = {"resident": resident(rng, place), "category": category, "content": text,
              "urgency": urgency}
    keyword = next((word for word in ("爆管", "跑水", "电梯困人", "停水", "堵塞", "漏水",
                                      "门禁故障") if word in text), None)
    if keyword:
        fields["urgency_keyword"] = keyword
    ticket = Planned("repair", at, duty.who(at), fields)
    fast = urgency in ("emergency", "urgent")
    sent = later(rng, at, 2, 12) if urgency == "emergency" else \
        later(rng, at, 5, 25) if fast else business_later(rng, at, 0.1, 1.5)
    technician = duty.who(sent, "technician")
    sent = ticket.step(sent, duty.who(sent), "dispatch", None, {"to": technician})
    arrived = later(rng, sent, 8, 28 if urgency == "emergency" else 100) if fast else \
        business_later(rng, sent, 0.5, 8)
    if rng.random() < 0.05:
        arrived = later(rng, arrived, 30, 600)  # late on site
    arrived = ticket.step(arrived, technician, "arrive")
    if not fast and rng.random() < 0.06:  # waiting for parts or for the resident
        held = ticket.step(later(rng, arrived, 20, 60), technician, "hold", "等待配件到货")
        arrived = ticket.step(later(rng, held, 1440, 4000), technician, "resume", "配件已到")
    finished = later(rng, arrived, 20, 180) if fast else business_later(rng, arrived, 1, 40)
    if rng.random() < 0.05:
        finished = later(rng, finished, 3 * 1440, 6 * 1440)  # completion late
    finished = ticket.step(finished, technician, "done", "已修复",
                           {"materials": "配件若干"} if rng.random() < 0.4 else None)
    visit(rng, ticket, finished, duty)
    return ticket


def plan_emergency(rng: random.Random, day: date, tz, duty: Duty) -> Planned:
    at = random_moment(rng, day, tz)
    kind = pick(rng, EMERGENCY_TYPES)
    where = f"{rng.randint(1, 24)}号楼"
    record = Planned("emergency", at, duty.who(at),
                     {"type": kind, "where": where,
                      "content": f"{where}报告{EMERGENCY_WORDS[kind]}"})
    moment = at
    for note in ("已通知工程部到场", "已通知相关单位", "已在业主群发布通知"):
        moment = record.step(later(rng, moment, 3, 40), duty.who(moment), "log", note)
    closed = later(rng, moment, 30, 600)
    record.step(closed, duty.who(closed), "close", "已恢复正常并告知业主")
    return record


def plan_shift(rng: random.Random, slot, duty: Duty, checklist: dict,
               ) -> tuple[list[Planned], datetime | None]:
    """A rostered person's duty session, their checklist run and any problem it found."""
    roll = rng.random()
    if roll < 0.015:
        return [], None  # absent: no clock-in at all
    start = later(rng, slot.start, -20, -2)
    if roll < 0.055:
        start = later(rng, slot.start, 6, 45)  # late
    end = later(rng, slot.end, 0, 15)
    if rng.random() < 0.015:
        end = later(rng, slot.end, -120, -20)  # left early
    late = start - slot.start > GRACE
    fields = {"staff": slot.staff, "verdict": "late" if late else "on-time"}
    if late:
        fields["late_minutes"] = int((start - slot.start).total_seconds() // 60)
    fields["slot"] = {"date": slot.date.isoformat(), "shift": slot.shift_id,
                      "shift_name": slot.shift_name, "role": slot.role,
                      "start": timeutil.to_iso(slot.start), "end": timeutil.to_iso(slot.end)}
    session = Planned("duty", start, slot.staff, fields)
    data = {"slot_end": timeutil.to_iso(slot.end)}
    if slot.end - end > 5 * MINUTE:
        data["left_early_minutes"] = int((slot.end - end).total_seconds() // 60)
    session.step(end, slot.staff, "clock-out", None, data)
    planned = [session]
    if slot.role == "service":
        planned += plan_checklist(rng, slot.staff, later(rng, start, 1, 6), checklist, duty)
    return planned, start


def plan_checklist(rng: random.Random, staff: str, at: datetime, checklist: dict,
                   duty: Duty) -> list[Planned]:
    wrong = rng.choice(list(checklist)) if rng.random() < 0.03 else None
    notes = {"printer": "打印机卡纸", "phone": "值班电话杂音大", "computer": "电脑开机很慢",
             "forms": "报修单不足", "workflows": "工单系统登录异常"}
    results = [{"item": item, "ok": item != wrong, **({"note": notes.get(item, "异常")}
                                                       if item == wrong else {})}
               for item in checklist]
    planned = [Planned("readiness", at, staff, {"staff": staff, "results": results})]
    if wrong:
        problem = Planned("readiness-problem", at + timedelta(seconds=1), staff,
                          {"item": wrong, "item_name": checklist[wrong],
                           "note": notes.get(wrong, "异常")})
        fixed = later(rng, at, 60, 3 * 1440)
        problem.step(fixed, duty.who(fixed), "fix", "已修复")
        planned.append(problem)
    return planned


def plan_handover(rng: random.Random, leaving, arriving, arrived: datetime | None) -> Planned:
    at = later(rng, leaving.end, -12, -2)
    handover = Planned("handover", at, leaving.staff,
                       {"from": leaving.staff, "to": arriving.staff, "items": [],
                        "notes": ["交接正常"]})
    accepted = later(rng, max(at, arrived or at), 1, 10)
    if rng.random() < 0.01:
        accepted = later(rng, accepted, 120, 600)  # accepted hours later
    handover.step(accepted, arriving.staff, "accept")
    return handover


# -- a whole day, then the whole range ---------------------------------------------------------

def daily_counts(rng: random.Random, per_day: int, day: date) -> dict[str, int]:
    weekend = day.weekday() >= 5
    scale = per_day / 150 * (0.85 if weekend else 1.0) * rng.uniform(0.85, 1.15)
    return {"call": round(90 * scale), "complaint": round(13 * scale),
            "repair": round(33 * scale), "emergency": 1 if rng.random() < 0.08 else 0}


def plan_day(day: date, seed: int, per_day: int, tz, duty: Duty, checklist: dict,
             ) -> list[Planned]:
    rng = random.Random(f"{seed}:{day.isoformat()}")
    makers = {"call": plan_call, "complaint": plan_complaint, "repair": plan_repair,
              "emergency": plan_emergency}
    planned = [makers[kind](rng, day, tz, duty)
               for kind, count in daily_counts(rng, per_day, day).items() for _ in range(count)]
    arrivals = {}
    for slot in duty.starting_on(day):
        if slot.staff:
            shift, arrived = plan_shift(rng, slot, duty, checklist)
            planned += shift
            arrivals[(slot.staff, slot.start)] = arrived
    if rng.random() < 0.02:  # someone comes in unrostered, e.g. the supervisor on a busy day
        start = local_moment(day, tz, 10, rng.randrange(60))
        end = later(rng, start, 120, 240)
        if not duty.busy(SUPERVISOR, start - DAY, end + DAY):
            extra = Planned("duty", start, SUPERVISOR,
                            {"staff": SUPERVISOR, "verdict": "unrostered"})
            extra.step(end, SUPERVISOR, "clock-out")
            planned.append(extra)
    planned += plan_handovers(rng, day, duty, arrivals)
    return sorted(planned, key=lambda item: item.at)


def plan_handovers(rng: random.Random, day: date, duty: Duty, arrivals: dict) -> list[Planned]:
    """Each round-the-clock service shift ending this day hands over to the next one."""
    near = duty.starting_on(day - DAY) + duty.starting_on(day) + duty.starting_on(day + DAY)
    services = [slot for slot in near if slot.role == "service" and slot.staff
                and slot.shift_id != "office"]
    handovers = []
    for leaving in services:
        if leaving.end.date() != day:
            continue
        following = next((slot for slot in services if slot.start == leaving.end), None)
        if following is None or following.staff == leaving.staff:
            continue
        arrived = arrivals.get((following.staff, following.start))
        handovers.append(plan_handover(rng, leaving, following, arrived))
    return handovers


def write_rosters(workspace, first: date, last: date, seed: int) -> None:
    """A roster per month (one roster for the whole range when it is short), each the first
    of a few seeds that leaves no slot unfilled, as a supervisor would pick."""
    from dutyctl.roster.generate import generate

    spans = [(first, last)] if (last - first).days < 62 else \
        [(month.replace(day=1), (month.replace(day=1) + timedelta(days=32)).replace(day=1) - DAY)
         for month, _ in months(first, last)]
    for span_first, span_last in spans:
        written_at = datetime.combine(span_first - timedelta(days=5), time(15),
                                      tzinfo=workspace.config.tz)
        for attempt in range(ROSTER_ATTEMPTS):
            made = generate(workspace, span_first, span_last, seed=seed + attempt, force=True,
                            now=written_at)
            if not made.roster.unfilled:
                break


def prepare(root: Path) -> "Workspace":
    from dutyctl.workspace import Workspace, init_workspace

    init_workspace(root)
    config = root / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    # a generated workspace is for trying and measuring: commands run in it must not commit
    config.write_text(text.replace("auto_commit: true ", "auto_commit: false"), encoding="utf-8")
    return Workspace(root.resolve())


def write_days(root: Path, first: date, last: date, end: datetime, per_day: int, seed: int,
               slots: list) -> tuple[int, int]:
    """Plan and write days first..last (one worker's share); (records, files) written."""
    from dutyctl.sitecalendar import load_site_calendar
    from dutyctl.workspace import Workspace

    workspace = Workspace(root)
    tz = workspace.config.tz
    WORKING_DAY[0] = load_site_calendar(workspace).is_working_day
    duty = Duty(slots)
    writer = DayWriter(workspace.records_dir, tz, end)
    checklist = dict(workspace.config.checklist.names)
    day = first
    while day <= last:
        rng = random.Random(f"{seed}:{day.isoformat()}:ids")
        for planned in plan_day(day, seed, per_day, tz, duty, checklist):
            writer.write(rng, planned)
        day += DAY
    return writer.records, writer.files


def months(first: date, last: date) -> list[tuple[date, date]]:
    spans, start = [], first
    while start <= last:
        following = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
        spans.append((start, min(last, following - DAY)))
        start = following
    return spans


def generate(root: Path, first: date, last: date, per_day: int = 150, seed: int = 0,
             progress=None) -> dict:
    """Rosters and records for days first..last; months are written in parallel."""
    from concurrent.futures import ProcessPoolExecutor

    from dutyctl.roster.onduty import assignments_between

    workspace = prepare(root)
    tz = workspace.config.tz
    write_rosters(workspace, first, last, seed)
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(last + DAY, time(0), tzinfo=tz)
    slots = assignments_between(workspace, start - DAY, end + DAY)
    spans = months(first, last)
    jobs = [(workspace.root, span_first, span_last, end, per_day, seed,
             [slot for slot in slots if span_first - DAY * 2 <= slot.date <= span_last + DAY * 2])
            for span_first, span_last in spans]
    records = files = 0
    if len(jobs) == 1:
        records, files = write_days(*jobs[0])
    else:
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            for (span_first, _), (written, created) in zip(
                    spans, pool.map(write_days, *zip(*jobs))):
                records, files = records + written, files + created
                if progress:
                    progress(span_first, records)
    return {"records": records, "files": files, "days": (last - first).days + 1}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="workspace folder (created if missing)")
    parser.add_argument("--from", dest="first", type=date.fromisoformat, required=True)
    parser.add_argument("--to", dest="last", type=date.fromisoformat, required=True)
    parser.add_argument("--per-day", type=int, default=150, help="records a day (about)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if (args.root / "records").is_dir() and any((args.root / "records").glob("2*")):
        parser.error(f"{args.root} already holds records: use an empty folder")
    started = clock.perf_counter()
    done = generate(args.root, args.first, args.last, args.per_day, args.seed,
                    progress=lambda day, count: print(f"{day:%Y-%m}: {count} records",
                                                      file=sys.stderr))
    print(f"{done['records']} records, {done['files']} files over {done['days']} days "
          f"in {clock.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
