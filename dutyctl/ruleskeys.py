"""The keys of `rosters/rules.yaml` as a Chinese supervisor writes them (员工, 请假, 班次 …).

Each section's words, and the one step (`canonical`) that turns them into the keys every
reader asks for — the roster engine, the staff and shift names, the site calendar — so a
rules file may be written in Chinese from its first key to its last. What was typed is kept
(`LineDict.said`) for the messages: a problem is told at `员工[0].请假`, as written.
"""

from __future__ import annotations

from typing import Any

TOP = {"时区": "timezone", "日历": "calendar", "班次": "shifts", "员工": "staff",
       "人员": "staff", "限制": "constraints", "硬性限制": "constraints", "约束": "constraints",
       "公平": "fairness", "公平性": "fairness", "意愿权重": "preference_weight",
       "偏好权重": "preference_weight", "轮班": "rotations", "固定轮班": "rotations",
       "值守": "coverage", "全天值守": "coverage", "值守时段": "coverage"}
CALENDAR = {"国家": "country", "国家或地区": "country", "本地节假日": "extra_holidays",
            "额外节假日": "extra_holidays", "本地工作日": "extra_workdays",
            "额外工作日": "extra_workdays", "调休上班日": "extra_workdays"}
#: a range of days: a leave, a local holiday ({从: "2027-02-06", 到: "2027-02-12", 原因: 春节})
SPAN = {"从": "from", "起": "from", "开始": "from", "到": "to", "至": "to", "止": "to",
        "结束": "to", "原因": "reason", "事由": "reason", "类别": "reason", "假别": "reason",
        "请假类别": "reason"}
SHIFT = {"编号": "id", "名称": "name", "名字": "name", "开始": "start", "开始时间": "start",
         "结束": "end", "结束时间": "end", "日期": "days", "排班日": "days", "起算日": "anchor",
         "人数": "need", "需要": "need", "备班": "on_call", "夜班": "night"}
LIMITS = {"最少休息小时": "min_rest_hours", "休息时间": "min_rest_hours",
          "最少休息时间": "min_rest_hours", "最多连续上班天数": "max_consecutive_days",
          "连续上班天数": "max_consecutive_days", "最多连续夜班": "max_nights_in_a_row",
          "连续夜班": "max_nights_in_a_row", "每周工时上限": "max_hours_per_week",
          "周工时上限": "max_hours_per_week"}
STAFF = {**LIMITS, "编号": "id", "工号": "id", "姓名": "name", "名字": "name", "岗位": "roles",
         "角色": "roles", "请假": "leave", "休假": "leave", "假期": "leave",
         "入职日期": "active_from", "入职": "active_from", "离职日期": "active_until",
         "离职": "active_until", "全职比例": "fte", "折算全职": "fte", "不愿上": "avoid",
         "避开": "avoid", "愿意上": "prefer", "想上": "prefer"}
COVERAGE = {"时段": "hours", "时间段": "hours", "岗位": "roles", "角色": "roles"}
ROTATION = {"编号": "id", "名称": "name", "名字": "name", "班次": "shifts", "成员": "members",
            "人员": "members", "班组": "teams", "轮转": "pattern", "顺序": "pattern",
            "错开": "offsets", "开始": "start", "开始日期": "start", "起算日": "start"}
#: what `fairness:` weighs, as a list's values or a mapping's keys (工时 for hours)
METRICS = {"工时": "hours", "小时": "hours", "时长": "hours", "夜班": "nights",
           "夜班数": "nights", "周末": "weekends", "周末班": "weekends", "节假日": "holidays",
           "节假日班": "holidays", "备班": "on_call"}


def canonical(data: Any) -> Any:
    """`data` (a loaded rules file) with every Chinese key of its sections renamed to the key
    the readers ask for, in place, keeping each key's line and order; nothing else changes,
    and a second call finds nothing to do. A word whose key is also written (请假 beside
    leave) is left as typed: the reader names both (`Fields.unknown`)."""
    if data is None:
        return nothing_written(TOP)
    if not rename(data, TOP):
        return data
    calendar = data.get("calendar")
    if rename(calendar, CALENDAR):
        for key in ("extra_holidays", "extra_workdays"):
            _each(calendar.get(key), SPAN)
    for shift in _entries(data.get("shifts")):
        rename(shift, SHIFT)
    for member in _entries(data.get("staff")):
        if rename(member, STAFF):
            _each(member.get("leave"), SPAN)
    rename(data.get("constraints"), LIMITS)
    rename(data.get("coverage"), COVERAGE)
    rename(data.get("fairness"), METRICS)
    _each(data.get("rotations"), ROTATION)
    return data


def _entries(value: Any) -> list:
    return value if isinstance(value, list) else []


def _each(value: Any, words: dict[str, str]) -> None:
    for item in _entries(value):
        rename(item, words)


def rename(mapping: Any, words: dict[str, str]) -> bool:
    """Rename the keys of one mapping that are words of its section; False for no mapping."""
    if not isinstance(mapping, dict):
        return False
    from dutyctl.folding import half_width

    meant: dict[str, str] = {}
    chinese = False  # a key written in Chinese, a word of the section or a slip (名城)
    for key in mapping:  # an ASCII key is no word: an English file costs one look at each
        if not isinstance(key, str) or key.isascii():
            continue
        chinese, to = True, words.get(half_width(key).strip())
        if to is not None and to not in mapping and to not in meant.values():
            meant[key] = to  # the first of 请假 and 休假: the second is told it says it again
    if not chinese:
        return True
    if meant:
        items = [(meant.get(key, key), value) for key, value in mapping.items()]
        mapping.clear()
        mapping.update(items)
    lines = getattr(mapping, "lines", None)
    if lines is not None:
        for key, to in meant.items():
            if key in lines:
                lines[to] = lines.pop(key)
        # a key the mapping lacks is named by its section's first word (the manual's), so
        # "员工[3].姓名: is required" in a file written in Chinese
        absent = {to: word for to, word in first_words(words).items() if to not in mapping}
        mapping.said = {**absent, **mapping.said, **{to: key for key, to in meant.items()}}
    return True


def nothing_written(words: dict[str, str]) -> Any:
    """A file with nothing in it but comments (YAML reads None) as an empty mapping, so each
    section it lacks is said (班次: 必须填写), not "write fields as key: value" for the whole;
    at a desk speaking Chinese by the manual's words for them, not the English keys."""
    from dutyctl.messages import current_language
    from dutyctl.yamlnodes import LineDict

    empty = LineDict()
    if current_language() == "zh_CN":
        empty.said = first_words(words)
    return empty


def first_words(*tables: dict[str, str]) -> dict[str, str]:
    """key -> the first word of `tables` (word -> key) for it: the word the manual writes
    (姓名 for name, not its synonym 名字); the tables' order is the manual's."""
    first: dict[str, str] = {}
    for words in tables:
        for word, key in words.items():
            first.setdefault(key, word)
    return first
