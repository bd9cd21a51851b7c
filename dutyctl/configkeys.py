"""The keys of `dutyctl.yaml` as a Chinese supervisor writes them (站点, 部门, 时限 …).

Each section's words, and the one step (`canonical`) that turns them into the keys the
configuration's readers ask for, so the site's file may be written in Chinese from its first
key to its last, mixed with English keys as it likes. Only field keys have words: the ids a
site gives its departments, roles, categories, urgency classes, emergencies, jobs and
channels stay as written. The kinds under `categories:` and `urgency:` may be written by
their names (报修 for repair). What was typed is kept (`LineDict.said`) for the messages: a
problem is told at `时限.报修.等级.急修.到场`, as written. Renaming is as `ruleskeys` does it
for the rules file.
"""

from __future__ import annotations

from typing import Any

from dutyctl.ruleskeys import nothing_written, rename

TOP = {"站点": "site", "基本信息": "site", "部门": "departments", "岗位": "roles",
       "角色": "roles", "值班台": "desk", "前台": "desk", "类别": "categories",
       "分类": "categories", "工作时间": "business_hours", "办公时间": "business_hours",
       "时限": "urgency", "紧急程度": "urgency", "备勤检查": "checklist", "备勤": "checklist",
       "考勤": "attendance", "隐私": "privacy", "版本库": "git", "突发事件": "emergencies",
       "突发": "emergencies", "应急预案": "emergencies", "定期维保": "recurring",
       "定期维护": "recurring", "周期维护": "recurring", "目标": "targets",
       "考核目标": "targets", "房号": "rooms", "房号方案": "rooms", "通知": "notify"}
SITE = {"名称": "name", "名字": "name", "中心名称": "name", "时区": "timezone",
        "热线": "hotline", "服务热线": "hotline", "值班电话": "hotline", "语言": "language",
        "界面语言": "language"}
#: the kinds under `categories:` and `urgency:`, by their names
KINDS = {"来电": "call", "投诉": "complaint", "报修": "repair", "回电": "callback"}
DEPARTMENT = {"名称": "name", "名字": "name", "外部": "outside", "外部单位": "outside",
              "电话": "phone"}
DESK = {"接待岗位": "clerk_role", "接电话岗位": "clerk_role", "派工岗位": "dispatch_role",
        "维修岗位": "dispatch_role"}
CATEGORY = {"默认": "default", "默认类别": "default", "选项": "choices", "可选": "choices",
            "类别": "choices"}
HOURS = {"开始": "start", "开始时间": "start", "上班": "start", "结束": "end",
         "结束时间": "end", "下班": "end"}
URGENCY = {"默认": "default", "默认等级": "default", "等级": "classes",
           "紧急程度": "classes", "关键词": "keywords", "关键字": "keywords"}
URGENCY_CLASS = {"名称": "name", "名字": "name", "计时": "clock", "计时方式": "clock",
                 "响应": "respond", "响应时限": "respond", "到场": "arrive",
                 "到场时限": "arrive", "完成": "complete", "完成时限": "complete",
                 "办结": "complete"}
ATTENDANCE = {"迟到宽限分钟": "grace_minutes", "宽限分钟": "grace_minutes",
              "提前到岗分钟": "arrive_early_minutes", "签到窗口分钟": "clock_in_window_minutes"}
PRIVACY = {"隐藏电话": "mask_phone", "电话打码": "mask_phone", "号码打码": "mask_phone"}
GIT = {"自动提交": "auto_commit", "邮箱域名": "email_domain"}
EMERGENCY = {"名称": "name", "名字": "name", "步骤": "steps", "处置步骤": "steps",
             "通知": "notify", "通知部门": "notify"}
RECURRING = {"名称": "name", "名字": "name", "地点": "where", "位置": "where",
             "类别": "category", "紧急程度": "urgency", "等级": "urgency", "规则": "rule",
             "周期": "rule", "开始": "start", "开始日期": "start", "起始日期": "start",
             "时刻": "at", "时间": "at"}
TARGETS = {"满意率": "satisfied_share", "回访率": "visit_rate", "按时率": "on_time"}
ON_TIME = {"默认": "default"}
ROOMS = {"楼栋": "buildings", "楼": "buildings", "地点": "places", "公共区域": "places",
         "场所": "places"}
BUILDING = {"单元数": "units", "单元": "units", "层数": "floors", "楼层": "floors",
            "每层户数": "rooms_per_floor", "每层房间数": "rooms_per_floor",
            "最低楼层": "lowest_floor", "起始楼层": "lowest_floor"}
NOTIFY = {"渠道": "channels", "通道": "channels", "规则": "rules", "提前提醒": "warn_before",
          "提前": "warn_before", "交接班时限": "handover_within", "接班时限": "handover_within",
          "急修等级": "emergency_repair"}
#: a channel's keys; 地址, 密钥 … taken as the keys a secret would be written under, so the
#: warning against secrets in the shared file is said of them too
CHANNEL = {"类型": "type", "命令": "command", "地址变量": "webhook_env",
           "地址文件": "webhook_file", "密钥变量": "secret_env", "密钥文件": "secret_file",
           "地址": "webhook", "网址": "url", "密钥": "secret", "令牌": "token",
           "密码": "password"}


def canonical(data: Any) -> Any:
    """`data` (a loaded dutyctl.yaml) with every Chinese key of its sections renamed to the key
    the readers ask for, in place, keeping each key's line and order; nothing else changes,
    and a second call finds nothing to do. An English file costs one look at each key of a
    section (no key of it is anything but ASCII)."""
    if data is None:
        return nothing_written(TOP)
    if not rename(data, TOP):
        return data
    rename(data.get("site"), SITE)
    _values(data.get("departments"), DEPARTMENT)
    rename(data.get("desk"), DESK)
    categories = data.get("categories")
    if rename(categories, KINDS):
        _values(categories, CATEGORY)
    rename(data.get("business_hours"), HOURS)
    urgency = data.get("urgency")
    if rename(urgency, KINDS):
        for scheme in urgency.values():
            if rename(scheme, URGENCY):
                _values(scheme.get("classes"), URGENCY_CLASS)
    rename(data.get("attendance"), ATTENDANCE)
    rename(data.get("privacy"), PRIVACY)
    rename(data.get("git"), GIT)
    _values(data.get("emergencies"), EMERGENCY)
    _values(data.get("recurring"), RECURRING)
    targets = data.get("targets")
    if rename(targets, TARGETS) and isinstance(on_time := targets.get("on_time"), dict):
        rename(on_time, {**ON_TIME, **_steps(on_time)})
    rooms = data.get("rooms")
    if rename(rooms, ROOMS):
        _values(rooms.get("buildings"), BUILDING)
    notify = data.get("notify")
    if rename(notify, NOTIFY):
        _values(notify.get("channels"), CHANNEL)
    return data


def _steps(on_time: dict) -> dict[str, str]:
    """The keys of `targets.on_time` that name a step (kind.class.step) in Chinese, as the key
    read: 报修.emergency.到场 -> repair.emergency.arrive (the class is an id: as written)."""
    from dutyctl.folding import half_width

    words = {}
    for key in on_time:
        if isinstance(key, str) and not key.isascii() and key.count(".") == 2:
            typed = half_width(key).strip()
            kind, class_id, step = typed.split(".")
            words[typed] = ".".join((KINDS.get(kind, kind), class_id,
                                     URGENCY_CLASS.get(step, step)))
    return words


def _values(section: Any, words: dict[str, str]) -> None:
    """The keys of each entry of a section keyed by ids (departments.<id>: {名称: …})."""
    if isinstance(section, dict):
        for entry in section.values():
            rename(entry, words)


LANGUAGE_BYTES = 65536  # of dutyctl.yaml read to find its language (site: comes first)


def language_in_file(path: str) -> str | None:
    """`site.language` of the dutyctl.yaml at `path`, from its first LANGUAGE_BYTES, read
    following no link and opening no FIFO (`plainfile.read_plain`: the caller says what its
    refusals mean)."""
    from dutyctl.store.plainfile import read_plain

    head, _ = read_plain(path, LANGUAGE_BYTES)
    return language_in_config(head[:LANGUAGE_BYTES].decode("utf-8", "replace"))


def language_in_config(text: str) -> str | None:
    """`site.language` (`站点:` … `语言:` as well) found in the text of a dutyctl.yaml line by
    line, without loading (and validating) it: help screens and completion are drawn before
    any configuration is read. (A pattern over the whole text backtracked for milliseconds on
    every command.)"""
    inside_site = False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            if inside_site:
                return None
            top = line.partition(":")[0].strip().strip("\"'")
            inside_site = top == "site" or TOP.get(top) == "site"
            continue
        key, _, value = line.strip().partition(":")
        key = key.strip().strip("\"'")
        if inside_site and (key == "language" or SITE.get(key) == "language"):
            return value.split("#")[0].strip().strip("\"'") or None
    return None
