"""Commands by their Chinese names: `dutyctl 来电` is `dutyctl log call`, `dutyctl 投诉 登记` is
`dutyctl complaint file`, `dutyctl 排班 生成` is `dutyctl roster generate`. A clerk types the
words of the duty system, never an English one; the English names stay (scripts, cron, the
manual's examples). One table, read without Typer: the command line (cli/program.py), the
quick `log call` path (cli/quick.py) and the help screens.
"""

from __future__ import annotations

#: a Chinese word in the command's place -> the command (or group) it names
TOP: dict[str, tuple[str, ...]] = {
    "来电": ("log", "call"), "记事": ("log", "note"), "巡查": ("log", "patrol"),
    "来访": ("log", "visitor"), "钥匙": ("log", "key"), "快递": ("log", "delivery"),
    "公告": ("log", "notice"), "登记": ("log",),
    "签到": ("clock", "in"), "签退": ("clock", "out"), "打卡": ("clock",),
    "备勤": ("checklist",), "交接班": ("handover",), "接班": ("handover", "accept"),
    "备班": ("callout",), "通知": ("notify",),
    "查看": ("show",), "列表": ("list",), "查找": ("search",),
    "报表": ("report",), "日报": ("report", "daily"), "周报": ("report", "weekly"),
    "月报": ("report", "monthly"),
    "来电人": ("caller",), "房号": ("room",), "住户": ("resident",),
    "值班": ("who",), "谁值班": ("who",), "排班": ("roster",), "换班": ("roster", "swap"),
    "顶班": ("roster", "override"), "考勤": ("attendance",),
    "作废": ("settle",), "投诉": ("complaint",), "报修": ("repair",), "回电": ("callback",),
    "突发": ("emergency",), "突发事件": ("emergency",),
    "初始化": ("init",), "检查": ("check",), "同步": ("sync",),
}

#: a group -> {a Chinese word in its subcommand's place: the subcommand}
SUB: dict[str, dict[str, str]] = {
    "log": {"来电": "call", "记事": "note", "巡查": "patrol", "来访": "visitor", "钥匙": "key",
            "快递": "delivery", "公告": "notice"},
    "clock": {"签到": "in", "签退": "out", "状态": "status"},
    "callout": {"出勤": "start", "返回": "end"},
    "checklist": {"整改": "fix", "问题": "problems"},
    "handover": {"接班": "accept", "待接班": "pending", "查看": "show"},
    "notify": {"测试": "test", "发送": "flush", "待发": "outbox", "监控": "watch"},
    "report": {"日报": "daily", "周报": "weekly", "月报": "monthly", "汇总": "portfolio"},
    "resident": {"登记": "add", "修改": "edit", "迁出": "move-out", "列表": "list"},
    "roster": {"生成": "generate", "检查": "check", "查看": "show", "说明": "explain",
               "顶班": "override", "换班": "swap", "导出": "export", "统计": "stats"},
    "complaint": {"登记": "file", "受理": "handle", "转交": "transfer", "办结": "resolve",
                  "回访": "visit", "暂停": "hold", "恢复": "resume", "关闭": "close",
                  "重开": "reopen"},
    "repair": {"登记": "file", "派工": "dispatch", "到场": "arrive", "预计": "eta",
               "暂停": "hold", "恢复": "resume", "完工": "done", "回访": "visit",
               "关闭": "close", "重开": "reopen", "定期": "schedule"},
    "callback": {"列表": "list", "已回电": "done", "未接通": "attempt"},
    "emergency": {"开启": "open", "记录": "log", "关闭": "close"},
}


def words_of(group: str | None) -> dict[str, tuple[str, ...]]:
    """The Chinese words of the commands under `group` (None: the top level), each with the
    command path it stands for below that group."""
    if group is None:
        return TOP
    return {word: (name,) for word, name in SUB.get(group, {}).items()}


def english(args: list[str]) -> list[str]:
    """A command line's words as their English names (`来电 --name 张三` -> `log call --name
    张三`): the first word, then a subcommand word of the group it names. Options and
    values are left alone."""
    if not args or args[0] not in TOP:
        return list(args)
    path = list(TOP[args[0]])
    rest = list(args[1:])
    if len(path) == 1 and rest and rest[0] in SUB.get(path[0], {}):
        path.append(SUB[path[0]][rest.pop(0)])
    return path + rest
