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
    "备勤": ("checklist",), "检查单": ("checklist",), "备勤检查": ("checklist",),
    "交接班": ("handover",), "接班": ("handover", "accept"),
    "备班": ("callout",), "通知": ("notify",),
    "查看": ("show",), "列表": ("list",), "查找": ("search",),
    "报表": ("report",), "日报": ("report", "daily"), "周报": ("report", "weekly"),
    "月报": ("report", "monthly"),
    "来电人": ("caller",), "房号": ("room",), "住户": ("resident",),
    "谁值班": ("who",), "值班": ("who",), "排班": ("roster",), "换班": ("roster", "swap"),
    "顶班": ("roster", "override"), "考勤": ("attendance",),
    "作废": ("settle",), "撤销作废": ("restore",), "关联": ("link",), "投诉": ("complaint",),
    "报修": ("repair",), "回电": ("callback",),
    "突发": ("emergency",), "突发事件": ("emergency",),
    "初始化": ("init",), "检查": ("check",), "同步": ("sync",),
}

#: the Chinese word that asks for help (a command line with it speaks Chinese: helptext)
HELP_WORD = "帮助"
#: the words that ask for help in a command's place, in either language alike: `dutyctl 帮助`
#: (`dutyctl help`) is `dutyctl --help`, `dutyctl 帮助 报修 派工` and `dutyctl 报修 派工
#: --帮助` are the same, and so is a subcommand's place (`dutyctl 报修 帮助`, `dutyctl 报修
#: help` are `dutyctl 报修 --帮助`) and the only word after a command that is no group
#: (`dutyctl 来电 help`: there it can be no id or extra argument; a text keeps it:
#: program.TEXT_ARGUMENTS)
HELP_WORDS = (HELP_WORD, "help")

#: a group -> {a Chinese word in its subcommand's place: the subcommand}
SUB: dict[str, dict[str, str]] = {
    "log": {"来电": "call", "记事": "note", "巡查": "patrol", "来访": "visitor", "钥匙": "key",
            "快递": "delivery", "公告": "notice"},
    "clock": {"签到": "in", "签退": "out", "状态": "status"},
    "callout": {"出勤": "start", "返回": "end"},
    "checklist": {"整改": "fix", "问题": "problems"},
    "handover": {"接班": "accept", "待接班": "pending", "查看": "show"},
    "notify": {"测试": "test", "发送": "flush", "待发": "outbox", "监控": "watch",
               "允许": "allow", "丢弃": "drop"},
    "report": {"日报": "daily", "周报": "weekly", "月报": "monthly", "汇总": "portfolio"},
    "resident": {"登记": "add", "修改": "edit", "迁出": "move-out", "列表": "list",
                 "抹除电话": "erase-phone"},
    "roster": {"生成": "generate", "检查": "check", "查看": "show", "说明": "explain",
               "解释": "explain",
               "顶班": "override", "换班": "swap", "导出": "export", "统计": "stats"},
    "complaint": {"登记": "file", "受理": "handle", "转交": "transfer", "办结": "resolve",
                  "回访": "visit", "暂停": "hold", "恢复": "resume", "关闭": "close",
                  "重开": "reopen", "改级": "reclassify", "升级": "reclassify",
                  "降级": "reclassify"},
    "repair": {"登记": "file", "派工": "dispatch", "到场": "arrive", "预计": "eta",
               "暂停": "hold", "恢复": "resume", "完工": "done", "回访": "visit",
               "关闭": "close", "重开": "reopen", "改级": "reclassify", "升级": "reclassify",
               "降级": "reclassify", "定期": "schedule"},
    "callback": {"列表": "list", "已回电": "done", "未接通": "attempt", "改期": "reschedule"},
    "emergency": {"开启": "open", "记录": "log", "关闭": "close"},
}


def words_of(group: str | None) -> dict[str, tuple[str, ...]]:
    """The Chinese words of the commands under `group` (None: the top level), each with the
    command path it stands for below that group."""
    if group is None:
        return TOP
    return {word: (name,) for word, name in SUB.get(group, {}).items()}


def shown_words(group: str | None) -> dict[str, str]:
    """The Chinese word a Chinese help screen names each command of `group` by, beside its
    English name (`考勤, attendance`): the first word of `words_of` that stands for it alone."""
    shown: dict[str, str] = {}
    for word, path in words_of(group).items():
        if len(path) == 1:
            shown.setdefault(path[0], word)
    return shown


def chinese_path(path: tuple[str, ...], group: str | None = None) -> str:
    """A command path (below `group`) in the words a Chinese help screen names its commands
    by (`log call`: 登记 来电; `explain` below `roster`: 说明); a step without a Chinese word
    stays English."""
    words = []
    for step in path:
        words.append(shown_words(group).get(step, step))
        group = step
    return " ".join(words)


def words_apart(args: list[str]) -> list[str]:
    """A command line whose first word holds the next ones after a full-width space (`报修　登记`,
    `签到　--时间`, typed in a Chinese input method's full-width mode: the shell splits on
    ASCII blanks only) as the words typed; any other command line as it is."""
    first = 0  # past the program's options (--root DIR, --lang zh_CN, --version)
    while first < len(args) and args[first].startswith("-"):
        first += 2 if args[first] in _PROGRAM_NAMES else 1
    if first >= len(args) or not any(char.isspace() and char not in " \t\n"
                                     for char in args[first]):
        return args
    words = args[first].split()
    known = {*TOP, *(path[0] for path in TOP.values()), *SUB}
    if not words or words[0] not in known:
        return args
    return [*args[:first], *words, *args[first + 1:]]


def english(args: list[str]) -> list[str]:
    """A command line's words as their English names (`来电 --name 张三` -> `log call --name
    张三`, `log 来电` -> `log call`): the first word, then a subcommand word of the group it
    names. Options and values are left alone."""
    if not args:
        return []
    path = list(TOP.get(args[0], (args[0],)))  # `log 来电`: an English group, a Chinese word
    rest = list(args[1:])
    if len(path) == 1 and rest and rest[0] in SUB.get(path[0], {}):
        path.append(SUB[path[0]][rest.pop(0)])
    return path + rest


def names_offered(typed: str, group: str | None,
                  chinese: bool) -> list[tuple[str, tuple[str, ...]]]:
    """Shell completion of a command's name (under `group`: a subcommand's): (name, the
    command path it stands for) for every English name and Chinese word that begins with
    what is typed. Nothing typed yet: the names of the screen's language (`chinese`), and the
    English names of the commands no Chinese word names."""
    from dutyctl.commands import COMMANDS, SUBCOMMANDS

    names = COMMANDS if group is None else SUBCOMMANDS[group]
    prefix = () if group is None else (group,)
    english = {name: (*prefix, name) for name in names}
    words = {word: (*prefix, *path) for word, path in words_of(group).items()}
    if not typed:
        if not chinese:
            words = {}
        else:
            english = {name: path for name, path in english.items()
                       if path not in words.values()}
    return [(name, path) for name, path in (*english.items(), *words.items())
            if name.startswith(typed)]


def _close_enough(typed: str, names: list[str]) -> list[str]:
    """The guesses for an English word that are a slip away: at most two edits, and fewer
    than half its letters (sho -> show, repiar -> repair; never list -> visit, two of four
    letters changed, or ticket -> notice). A Chinese word's guesses as they are (near_words:
    two characters with one right is already a likely slip)."""
    from dutyctl.words import edits

    word = typed.strip()
    if not word.isascii():
        return names
    most = min(2, (len(word) - 1) // 2)
    return [name for name in names if edits(word.casefold(), name.casefold()) <= most]


#: Words a desk says for a command under another name (挂起 for 暂停, 取消 for 关闭): no slip
#: of a letter away from it, so offered by this table, per group.
DESK_WORDS = {
    "complaint": {"挂起": "暂停", "取消": "关闭", "撤销": "关闭", "完成": "办结", "结案": "办结",
                  "处理": "受理", "转办": "转交", "重新打开": "重开", "打开": "重开"},
    "repair": {"挂起": "暂停", "取消": "关闭", "撤销": "关闭", "完成": "完工", "修好": "完工",
               "派单": "派工", "指派": "派工", "上门": "到场", "重新打开": "重开", "打开": "重开"},
    "emergency": {"结束": "关闭", "完成": "关闭", "处置完": "关闭", "开始": "开启", "登记": "开启",
                  "进展": "记录"},
    "callout": {"结束": "返回", "回来": "返回", "完成": "返回", "出发": "出勤", "开始": "出勤"},
    "clock": {"上班": "签到", "下班": "签退"},
}


def near_names(typed: str, group: str | None) -> list[str]:
    """The command names under `group` (None: the top level) a mistyped word was likely meant
    as, closest first: the Chinese words for a word typed in Chinese (保修 -> 报修, the input
    method's neighbour; 交界班 -> 交接班), the English names for one typed in English
    (repiar -> repair; at most two edits, fewer than half its letters). At the top level,
    when no command is close, a group's subcommand typed alone or mistyped is offered whole
    (完功 -> 报修 完工, dispach -> repair dispatch). The help words (HELP_WORDS) are weighed
    among the names (hlep -> help). Empty when nothing is close, or `group` has no commands."""
    from dutyctl.commands import COMMANDS, SUBCOMMANDS
    from dutyctl.words import fewest_edits, near_words

    word = typed.strip()
    if not word:
        return []
    said = DESK_WORDS.get(group or "", {}).get(word)
    if said in words_of(group):  # 报修 挂起: 暂停
        return [said]
    latin = word.isascii()
    if latin:
        names = list(COMMANDS if group is None else SUBCOMMANDS.get(group, ()))
    else:  # two characters, one of them right, is already a likely slip
        names = list(words_of(group))
    if names:  # a help word stands in a command's place too (hlep -> help, 帮主 -> 帮助)
        names += [word_ for word_ in HELP_WORDS if word_.isascii() == latin]
    # every near name weighed, the fewest edits away kept (choices.near's rule: repiar is
    # repair alone, never "repair or report"; 报袖 is 报修 or 报表, never 月报 first)
    if not latin and (within := _words_within(word, names, group)):
        return within
    near = near_words(word, names, n=max(1, len(names)))
    if group is not None:
        return _close_enough(word, fewest_edits(word, near))[:3]
    below: dict[str, list[tuple[str, ...]]] = {}  # a subcommand's name -> every path to it
    for name in SUBCOMMANDS:
        for sub, path in (((sub, (name, sub)) for sub in SUBCOMMANDS[name]) if latin else
                          ((word_, (name, *path_)) for word_, path_ in words_of(name).items())):
            below.setdefault(sub, []).append(path)
    if not latin and (within := [" ".join(chinese_words(path)) for sub in
                                 _words_within(word, list(below), None) for path in below[sub]]):
        return within  # 完 -> 报修 完工: a group's subcommand when no command has it
    # a command and a group's subcommand weighed alike: dispach is one edit from dispatch
    # (repair dispatch), five from search
    subs = [sub for sub in near_words(word, list(below), n=max(1, len(below)))
            if sub not in near]
    found = []
    for name in _close_enough(word, fewest_edits(word, [*near, *subs])):
        for line in ([name] if name in near else
                     [" ".join(path if latin else chinese_words(path)) for path in below[name]]):
            if line not in found:
                found.append(line)
    return found[:3]


def _words_within(typed: str, names: list[str], group: str | None) -> list[str]:
    """The Chinese command words that hold a word typed in Chinese whole (报 -> 报表, 报修,
    日报, 周报, 月报): those it begins first, then those it ends or is inside, the shorter
    before the longer (检 -> 检查, 检查单), else in the table's order; one word for each
    command (值 -> 值班, never 谁值班 beside it). Every one of them: a clerk who typed one
    character of several commands sees them all."""
    seen: set[tuple[str, ...]] = set()
    found = []
    for name in sorted((name for name in names if typed in name),
                       key=lambda name: (not name.startswith(typed), len(name))):
        path = words_of(group).get(name, (name,))
        if path not in seen:
            seen.add(path)
            found.append(name)
    return found


def help_of(path: tuple[str, ...]) -> str:
    """The help (a message id) of the command at `path` (`("roster",)`, `("log", "call")`)."""
    from dutyctl.commands import COMMANDS, SUBCOMMANDS

    return COMMANDS[path[0]][1] if len(path) == 1 else SUBCOMMANDS[path[0]][path[1]]


def group_named(word: str) -> str | None:
    """The group a command line's first word names (`roster`, `排班`), else None."""
    from dutyctl.commands import SUBCOMMANDS

    path = TOP.get(word, (word,))
    return path[0] if len(path) == 1 and path[0] in SUBCOMMANDS else None


# -- options -------------------------------------------------------------------------------------
# Every long option a user types has a Chinese long name too (`dutyctl 来电 --房号 3-2-501
# --电话 13800000000`), taken as the English one on every command; the same word for the same
# thing wherever it appears. Short options (-f, -o) stay as they are. To give a new option its
# name: add it to OPTIONS (or, where it means something else on one command, to OPTIONS_OF);
# tests/test_option_words.py fails for an option without one and for a name two options of one
# command share. cli/optionwords.py adds them to the commands; tools/command_table.py writes
# them into the completion table.

#: an English long option -> its Chinese name, on every command that has it
OPTIONS: dict[str, str] = {
    # who, where, what
    "--name": "--姓名", "--room": "--房号", "--phone": "--电话", "--where": "--地点",
    "--staff": "--操作人", "--role": "--岗位", "--replaces": "--顶替",
    "--instead-of": "--代签", "--assigned": "--经办人",
    "--category": "--类别", "--ticket-category": "--工单类别", "--urgency": "--紧急程度",
    "--type": "--类型", "--kind": "--种类", "--status": "--状态",
    "--summary": "--摘要", "--content": "--内容", "--note": "--备注", "--reason": "--原因",
    "--action": "--处理情况", "--result": "--结果", "--told-resident": "--答复",
    "--satisfaction": "--满意度", "--materials": "--材料",
    "--as": "--关闭方式", "--of": "--保留",
    "--from-call": "--来电", "--file-ticket": "--转工单", "--callback-by": "--回电期限",
    "--repair": "--报修单", "--emergency": "--突发", "--event": "--步骤",
    # when
    "--at": "--时间", "--as-of": "--截至", "--date": "--日期", "--week": "--周",
    "--month": "--月份", "--since": "--从", "--until": "--到", "--from": "--从",
    "--due-within": "--将到期",
    # which records, how many, how shown
    "--open": "--未关闭", "--overdue": "--已超时", "--due": "--已到期", "--all": "--全部",
    "--limit": "--最多", "--recent": "--最近", "--moved-out": "--含迁出",
    "--show-phone": "--显示电话", "--wide": "--完整", "--detail": "--明细",
    "--format": "--格式", "--output": "--输出",
    # the desk
    "--ok": "--正常", "--problem": "--问题", "--fixed": "--已修复",
    "--no-handover": "--不交接", "--clock-in": "--签到", "--no-clock-in": "--不签到",
    # rosters, reports, the workspace
    "--seed": "--种子", "--force": "--强制", "--dry-run": "--预览",
    "--fail-on": "--失败条件", "--sites": "--站点清单", "--site-reports": "--站点报告",
    "--link": "--链接", "--changed": "--有改动", "--remote": "--远程仓库",
    "--yes": "--确认", "--channel": "--渠道", "--no-answer": "--未接通",
    # before the command (--root, --lang, --version), and --help on every command
    "--root": "--工作区", "--lang": "--语言", "--version": "--版本", "--help": "--帮助",
    "--install-completion": "--安装补全", "--show-completion": "--显示补全",
}

#: the program's own options taking a value, by either name
_PROGRAM_NAMES = frozenset(name for option in ("--lang", "--root")
                           for name in (option, OPTIONS[option]))

#: where an option means something else on some commands (`--to` a day, a person, a
#: department): the command (its English words) -> {option: its Chinese name there}
OPTIONS_OF: dict[str, dict[str, str]] = {
    "roster generate": {"--to": "--到"}, "roster show": {"--to": "--到", "--by": "--按",
                                                        "--staff": "--员工"},
    "roster export": {"--to": "--到", "--staff": "--员工"}, "roster stats": {"--to": "--到"},
    "attendance": {"--staff": "--员工"},
    "handover": {"--to": "--接班人", "--replaces": "--替代"}, "handover pending": {"--to": "--接班人"},
    "repair dispatch": {"--to": "--派给"}, "repair eta": {"--by": "--预计"},
    "callback reschedule": {"--by": "--回电期限"},
    "complaint transfer": {"--to": "--转给"},
    "emergency close": {"--summary": "--结果"},
}

#: names an option was known by before, still taken but never shown in help nor offered by
#: completion: `--未办结` read as "not yet resolved" while `--open` lists every record not yet
#: closed, those resolved (已办结, 已完工) and waiting for their return visit too
FORMER_NAMES: dict[str, tuple[str, ...]] = {"--open": ("--未办结",)}
#: on one command (its English words), a name taken too but never shown: the word a clerk
#: types for it on the other commands (`来电 --内容`, `log call --content`: 投诉 and 报修
#: take --内容, complaint and repair --content, for their text)
ALSO_TAKEN_OF: dict[str, dict[str, tuple[str, ...]]] = {
    "log call": {"--summary": ("--内容", "--content")}}


def hidden_names(command: str) -> dict[str, tuple[str, ...]]:
    """The names `command`'s options take but never show (FORMER_NAMES, ALSO_TAKEN_OF):
    English long option -> those names."""
    also = ALSO_TAKEN_OF.get(command)
    return {**FORMER_NAMES, **also} if also else FORMER_NAMES


#: Typer's completion flags as typed, English or Chinese -> the English one (a shell named
#: after one is dutyctl's to handle: cli/completion.py)
COMPLETION_FLAGS = {name: english for english in ("--install-completion", "--show-completion")
                    for name in (english, OPTIONS[english])}


def option_words(command: str) -> dict[str, str]:
    """The Chinese names of the options of `command` (its English words, "log call"; "" for
    the options before any command): English long option -> Chinese."""
    named = OPTIONS_OF.get(command)
    return {**OPTIONS, **named} if named else OPTIONS


# -- a command named in a message -----------------------------------------------------------------

def chinese_words(path: tuple[str, ...]) -> tuple[str, ...]:
    """The command at `path` (English words: `("complaint", "file")`) by its Chinese words
    (`("投诉", "登记")`): one word where one names it whole (`("log", "call")` -> `("来电",)`),
    else the group's word and the subcommand's; an English word where none is Chinese."""
    path = tuple(path)
    for word, named in TOP.items():
        if named == path:
            return (word,)
    group = next((word for word, named in TOP.items() if named == path[:1]), path[0])
    if len(path) == 1:
        return (group,)
    sub = next((word for word, name in SUB.get(path[0], {}).items() if name == path[1]),
               path[1])
    return (group, sub, *path[2:])


def said_option(option: str, command: str = "") -> str:
    """An option as a message names it: `--操作人` in Chinese, `--staff` in English; of
    `command` (its English words) where it has a name of its own there (OPTIONS_OF: `--to`
    of "repair dispatch" is `--派给`)."""
    from dutyctl.messages import current_language

    if current_language() != "zh_CN":
        return option
    return option_words(command).get(option, option)


def said(*path: str) -> str:
    """A command as a message names it (`dutyctl {command} ...`): its words in the user's
    language, `投诉 登记` in Chinese, `complaint file` in English, so that the line a message
    suggests is one the user types as they type every other."""
    from dutyctl.messages import current_language

    return " ".join(chinese_words(path) if current_language() == "zh_CN" else path)


def program_options_first(args: list[str]) -> list[str]:
    """The program's own --lang and --root (--语言, --工作区) typed after a command's words
    (`dutyctl 初始化 目录 --语言 zh_CN`, `dutyctl 谁值班 --工作区 /srv/desk`) moved before
    them, where Click takes them (after them it refuses them: "no such option --语言"); of
    one given twice, the later one counts. Never a word that is the value of the command's
    option before it (`--摘要 --语言`: a summary that says --语言), nor one after `--`; one
    without its value stays where it is, for Click to refuse. A line with anything else
    before its command (`-f json who --lang en`) is left as typed. The command line
    (cli/program.py) and shell completion (launcher.py) read the line so."""
    names = _PROGRAM_NAMES
    command = 0
    while command < len(args) and args[command].startswith(("-", *WIDE_DASHES)):
        name, equals, _ = _dashed(args[command], names).partition("=")
        if name not in names or not equals and command + 1 == len(args):
            return args
        command += 1 if equals else 2
    if not any(_dashed(word, names).partition("=")[0] in names for word in args[command:]):
        return args  # the usual line: nothing to move (and no completion table to read)
    takes_value = _value_options(args[command:], names)
    moved, kept, words = [], [], iter(args[command:])
    for word in words:
        if word == "--":
            kept += [word, *words]
            break
        word = _dashed(word, names)
        name, equals, _ = word.partition("=")
        value = next(words, None) if word in names or word in takes_value else None
        if name not in names:
            kept += [word] if value is None else [word, value]  # an option's value stays
        elif equals:
            moved.append(word)
        elif value is None:  # no value: left where it was, for Click to refuse
            kept.append(word)
        else:
            moved += [word, value]
    return [*args[:command], *moved, *kept] if moved else args


def program_options(args: list[str], moved: bool = False) -> tuple[dict[str, str],
                                                                  list[str] | None]:
    """({"--root"/"--lang": value} as the command line takes them, by either name and with
    wide dashes: before the command, or typed after its words (`program_options_first`;
    `moved`: `args` is its answer already), the later of one given twice; the words from the
    command on). Anything else before the command (a flag: `--help --工作区 /srv/desk`)
    leaves the words None, the program's options around it still read. The one reading of
    these options: the help screens' language (cli/helptext.py) and shell completion
    (launcher.py) take it."""
    names = _PROGRAM_NAMES
    english = {OPTIONS[option]: option for option in ("--lang", "--root")}
    line = args if moved else program_options_first(args)
    options: dict[str, str] = {}
    plain, index = True, 0
    while index < len(line) and line[index].startswith(("-", *WIDE_DASHES)):
        name, equals, value = _dashed(line[index], names).partition("=")
        if name not in names:
            plain, index = False, index + 1  # a flag (--help, --version): no value taken
            continue
        if not equals and index + 1 == len(line):
            return options, None
        options[english.get(name, name)] = value if equals else line[index + 1]
        index += 1 if equals else 2
    return options, line[index:] if plain else None


# Dashes an input method types for `--` (full-width hyphens, em dashes); the command line
# reads an option so written as its `--` form.
WIDE_DASHES = ("－－", "——", "—")


def _dashed(word: str, names: set[str]) -> str:
    """`word` (`——语言`, `－－工作区=/srv/desk`) in its `--` form when that names one of
    `names`; any other word as it is."""
    wide = next((dash for dash in WIDE_DASHES if word.startswith(dash)), None)
    if wide is None:
        return word
    fixed = "--" + word[len(wide):]
    return fixed if fixed.partition("=")[0] in names else word


def _value_options(words: list[str], names: set[str]) -> dict:
    """The options taking a value of the command `words` begin with (by its English or
    Chinese words; a group's subcommand after the program's options), as the completion
    table lists them from the command's own options; none for a command it does not know."""
    from dutyctl.completiontable import COMPLETION

    path = list(TOP.get(words[0], (words[0],))) if words else []
    rest = iter(words[1:])
    if len(path) == 1 and path[0] not in COMPLETION:  # a group: its subcommand's word
        for word in rest:
            if word in names:
                next(rest, None)
            elif not word.startswith("-"):
                path.append(SUB.get(path[0], {}).get(word, word))
                break
    return COMPLETION.get(" ".join(path), ({}, ()))[0]
