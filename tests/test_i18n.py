"""Message catalogues and the choice of language."""

from __future__ import annotations

import io
import os

import pytest

from dutyctl import messages, records
from tests import sources
from tests.sources import syntax_tree


@pytest.fixture(scope="module")
def i18n():
    return sources.i18n_tool()  # the package's trees parsed once for every source check


@pytest.fixture(scope="module")
def extracted():
    """The messages of the code (Babel over every source file), read by two tests."""
    return sources.extracted()


def test_every_message_in_the_code_is_in_the_catalogue(i18n, extracted):
    extracted = {m.id for m in extracted if m.id}
    catalogue = {m.id for m in i18n.load(i18n.po_path("zh_CN"), "zh_CN") if m.id}
    assert not extracted - catalogue, "run: python tools/i18n.py update"
    assert not catalogue - extracted, "obsolete entries: run python tools/i18n.py update"


def test_compiled_catalogue_is_the_po_compiled(i18n):
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, i18n.load(i18n.po_path("zh_CN"), "zh_CN"), use_fuzzy=False)
    mo = i18n.po_path("zh_CN").with_suffix(".mo")
    assert mo.read_bytes() == buffer.getvalue(), "run: python tools/i18n.py compile"


def test_no_fuzzy_entry_and_placeholders_match(i18n):
    problems = [p for p in i18n.findings("zh_CN") if not p.endswith(": untranslated")]
    assert problems == []


def test_placeholder_check_catches_a_mismatch(i18n, tmp_path, monkeypatch):
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="zh_CN")
    catalog.add("late by {minutes} min", "迟到 {minute} 分钟")
    catalog.add("on time", "准时", flags=["fuzzy"])
    path = tmp_path / "zh_CN" / "LC_MESSAGES" / "dutyctl.po"
    i18n.save(catalog, path)
    monkeypatch.setattr(i18n, "po_path", lambda language: path)
    found = i18n.findings("zh_CN")
    assert any("placeholders" in line and "late by" in line for line in found)
    assert any("fuzzy" in line and "on time" in line for line in found)


def test_extraction_finds_calls_help_and_command_docstrings(i18n, tmp_path, monkeypatch):
    package = tmp_path / "dutyctl"
    (package / "cli").mkdir(parents=True)
    source = package / "cli" / "sample.py"
    source.write_text(
        'import typer\n'
        'app = typer.Typer(help="A group.")\n'
        '@app.command("x")\n'
        'def x(n: int = typer.Option(1, help="How many.")):\n'
        '    """Do x.\n\n    At length."""\n'
        '    print(t("done {n}", n=n), tn("{count} item", "{count} items", n))\n'
        '    t(variable), tp("report state", "complete")\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "PACKAGE", package)
    found = [message for _, message, *_ in i18n.extract_file(source)]
    assert set(found) >= {"A group.", "How many.", "Do x.\n\nAt length.", "done {n}",
                          ("{count} item", "{count} items")}
    assert i18n.variable_msgids(source) == [9]
    assert (9, "complete", "report state") in i18n.extract_file(source)


def test_no_variable_message_id(i18n):
    """A msgid that is a variable is never extracted, so never translated: every module passes
    t()/tn() a literal (tables of words are marked with N_ where defined and shown through
    gettext)."""
    found = [f"{path.relative_to(i18n.ROOT).as_posix()}:{line}" for path in i18n.sources()
             for line in i18n.variable_msgids(path)]
    assert found == []


def _glued(path) -> list[str]:
    """Sentences built from translated pieces: a t() call added to text or put in an f-string,
    or a message that is a fragment (it starts or ends with a space, other than a separator
    such as " or " and an indentation)."""
    import ast

    def translated(node) -> bool:
        return isinstance(node, ast.Call) and getattr(node.func, "id", None) in (
            "t", "tn", "tp", "gettext")

    def fragment(text: str) -> bool:
        # a list's separators, and the colon a prompt ends with (住户姓名：)
        separator = text.strip() in ("or", "and", ";", ",", ":", "")
        return not separator and not text.startswith("  ") and (
            text.startswith(" ") or text.endswith(" ") or text[:1] in ",;:")

    found = []
    for node in ast.walk(syntax_tree(path)):
        if isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op, ast.Add):
            parts = [node.left, node.right] if isinstance(node, ast.BinOp) else [node.value]
            others = [part for part in parts if not translated(part)]
            layout = all(isinstance(part, ast.Constant) and str(part.value).isspace()
                         for part in others)  # "\r" + t(...) redraws a line: not a sentence
            if len(others) < len(parts) and not (others and layout):
                found.append(f"{path}:{node.lineno}")
        elif isinstance(node, ast.JoinedStr) and any(
                isinstance(v, ast.FormattedValue) and translated(v.value) for v in node.values):
            found.append(f"{path}:{node.lineno}")
        elif translated(node) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str) and fragment(node.args[0].value) \
                and node.args[0].value != "Usage: ":  # Typer's own msgid
            found.append(f"{path}:{node.lineno}")
    return found


def test_no_sentence_is_glued_from_translated_fragments(i18n, tmp_path):
    """Translators get whole sentences: the order of words differs between languages."""
    sample = tmp_path / "sample.py"
    sample.write_text('a = t("due") + late\nb = f"{t(\'x\')} y"\nc = t(" OVERDUE")\n'
                      'd = "\\r" + t("redrawn")\ne = t(" or ").join(words)\n', encoding="utf-8")
    assert [where.rsplit(":", 1)[1] for where in _glued(sample)] == ["1", "2", "3"]
    glued = [where for path in i18n.sources() for where in _glued(path)]
    assert glued == []


def test_every_message_is_translated(i18n):
    """New English text lands with its Chinese: `python tools/i18n.py todo` lists what is
    missing."""
    untranslated = [p for p in i18n.findings("zh_CN") if p.endswith(": untranslated")]
    assert untranslated == []


@pytest.mark.parametrize("code, expected", [
    ("zh_CN.UTF-8", "zh_CN"), ("zh-cn", "zh_CN"), ("zh_Hans", "zh_CN"), ("zh", "zh_CN"),
    # any other Chinese locale reads simplified Chinese, far closer to it than English
    ("zh_TW.UTF-8", "zh_CN"), ("zh_HK.UTF-8", "zh_CN"), ("zh_SG.GB2312", "zh_CN"),
    ("zh_MO", "zh_CN"), ("zh-Hant-TW", "zh_CN"), ("zh_TW.Big5@stroke", "zh_CN"),
    ("zhx", None), ("en_US.UTF-8", "en"), ("C", "en"), ("POSIX", "en"), ("fr_FR", None),
    ("", None),
    # what a supervisor writes in site.language (or types after --lang)
    ("中文", "zh_CN"), ("简体中文", "zh_CN"), ("英文", "en"), ("English", "en"), ("法语", None)])
def test_locale_names(code, expected):
    assert messages.normalise(code) == expected


def test_language_precedence(monkeypatch):
    for name in ("DUTYCTL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    messages.start_invocation(None)
    assert messages.current_language() == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert messages.current_language() == "zh_CN"
    monkeypatch.setenv("LC_ALL", "C")                 # LC_ALL before LANG
    assert messages.current_language() == "en"
    messages.set_site_language("zh_CN")               # site.language before the locale
    assert messages.current_language() == "zh_CN"
    monkeypatch.setenv("DUTYCTL_LANG", "en")          # the environment before the site
    assert messages.current_language() == "en"
    messages.start_invocation("zh_CN")                # --lang before everything
    assert messages.current_language() == "zh_CN"
    messages.start_invocation(None)
    monkeypatch.delenv("DUTYCTL_LANG")
    messages.set_typed_language("zh_CN")              # a command typed in Chinese
    assert messages.current_language() == "zh_CN"     # before the locale (LC_ALL=C)
    messages.set_site_language("en")                  # after the site
    assert messages.current_language() == "en"
    messages.start_invocation(None)


def test_a_command_typed_in_chinese_outside_a_workspace_speaks_chinese(tmp_path, dutyctl_command):
    """`dutyctl 初始化 DIR` on a machine whose locale is C: no workspace, no language named."""
    import subprocess

    env = {name: value for name, value in os.environ.items()
           if name not in ("DUTYCTL_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    env["LC_ALL"] = "C"
    done = subprocess.run([*dutyctl_command, "初始化", str(tmp_path / "站")], env=env,
                          cwd=tmp_path, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("已创建 "), done.stdout
    english = subprocess.run([*dutyctl_command, "init", str(tmp_path / "site")], env=env,
                             cwd=tmp_path, capture_output=True, text=True, encoding="utf-8")
    assert english.stdout.startswith("created "), english.stdout


def test_help_asked_in_chinese_outside_a_workspace_speaks_chinese(tmp_path, dutyctl_command):
    """A new clerk on a desk whose locale is C types what the manual says, `dutyctl --帮助`
    (or `dutyctl 帮助`), before any workspace exists: the help was English."""
    import subprocess

    env = {name: value for name, value in os.environ.items()
           if name not in ("DUTYCTL_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    env["LC_ALL"] = "C"
    for args in (["--帮助"], ["帮助"], ["init", "--帮助"], ["帮助", "报修", "派工"]):
        done = subprocess.run([*dutyctl_command, *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, encoding="utf-8")
        assert done.returncode == 0, (args, done.stderr)
        assert done.stdout.startswith("用法：dutyctl "), (args, done.stdout)
    english = subprocess.run([*dutyctl_command, "--help"], env=env, cwd=tmp_path,
                             capture_output=True, text=True, encoding="utf-8")
    assert english.stdout.startswith("Usage: dutyctl "), english.stdout


@pytest.mark.parametrize("locale", ["zh_TW.UTF-8", "zh_HK.UTF-8", "zh_SG.UTF-8", "zh"])
def test_any_chinese_locale_speaks_chinese(monkeypatch, locale):
    monkeypatch.delenv("DUTYCTL_LANG")
    monkeypatch.setenv("LANG", locale)
    assert messages.current_language() == "zh_CN"
    assert messages.t("yesterday {clock}", clock="23:50") == "昨天 23:50"


def test_the_installed_program_speaks_chinese_in_a_taiwan_locale(dutyctl_command, tmp_path):
    """No DUTYCTL_LANG, no workspace: LANG=zh_TW.UTF-8 alone makes it speak Chinese."""
    import subprocess

    env = {name: value for name, value in os.environ.items()
           if name not in ("DUTYCTL_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    for locale, said in (("zh_TW.UTF-8", "用法："), ("en_US.UTF-8", "Usage:")):
        done = subprocess.run([*dutyctl_command, "who", "--help"], capture_output=True,
                              text=True, cwd=tmp_path, stdin=subprocess.DEVNULL,
                              env={**env, "LANG": locale})
        assert done.returncode == 0, done.stderr
        assert said in done.stdout, done.stdout


def test_translation_and_plural(monkeypatch):
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    assert messages.t("Usage: ") == "用法："
    assert messages.t("default: {default}", default=3) == "默认：3"
    monkeypatch.setenv("DUTYCTL_LANG", "en")
    assert messages.tn("{count} record", "{count} records", 1) == "1 record"
    assert messages.tn("{count} record", "{count} records", 2) == "2 records"


def test_the_language_is_chosen_once_and_again_when_a_choice_changes(monkeypatch):
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    assert messages.t("Usage: ") == "用法："
    os.environ["DUTYCTL_LANG"] = "en"  # unseen: the environment is not read for every word
    assert messages.t("Usage: ") == "用法："
    messages.forget_language()
    assert messages.t("Usage: ") == "Usage: "
    messages.set_option_language("zh_CN")  # --lang
    assert messages.t("Usage: ") == "用法："
    with messages.speaking("en"):
        assert messages.t("Usage: ") == "Usage: "
    assert messages.t("Usage: ") == "用法："
    messages.start_invocation(None)  # the next command line asks the environment again
    assert messages.t("Usage: ") == "Usage: "
    monkeypatch.delenv("DUTYCTL_LANG")
    messages.set_site_language("zh_CN")
    assert messages.t("Usage: ") == "用法："


def test_each_command_line_in_one_process_speaks_its_own_language(cli):
    assert "用法：" in cli("who", "--help", env={"DUTYCTL_LANG": "zh_CN"}).stdout
    assert "Usage:" in cli("who", "--help").stdout
    assert messages.t("Usage: ") == "Usage: "
    assert "用法：" in cli("--lang", "zh_CN", "who", "--help").stdout
    assert "Usage:" in cli("who", "--help").stdout


def test_help_in_chinese_and_english(cli):
    chinese = cli("--lang", "zh_CN", "--help")
    assert chinese.exit_code == 0
    assert "用法：" in chinese.stdout and "选项" in chinese.stdout
    assert "显示本帮助并退出" in chinese.stdout and "Show this message" not in chinese.stdout
    english = cli("--lang", "en", "--help")
    assert "Usage:" in english.stdout and "Show this message and exit." in english.stdout


def test_site_language_applies_without_environment(cli, monkeypatch):
    monkeypatch.delenv("DUTYCTL_LANG")
    (cli.root / "dutyctl.yaml").read_text(encoding="utf-8").index("language: zh_CN")
    result = cli("log", "--help")
    assert "用法：" in result.stdout


def test_unknown_language_is_refused(cli):
    result = cli("--lang", "xx", "who")
    assert result.exit_code == 2
    assert 'unknown language "xx"' in result.stderr


@pytest.mark.parametrize("args, said", [
    (("--lang", "", "who"), "missing --lang: the value given is empty"),
    (("who", "--lang", " "), "missing --lang: the value given is empty"),
    (("--lang=", "log", "call", "--summary", "x"), "missing --lang: the value given is empty"),
    (("--语言", "", "谁值班"), "缺少 --语言：给出的值为空"),
    (("来电", "--帮助", "--语言", ""), "缺少 --语言：给出的值为空"),
    (("帮助", "--语言", ""), "缺少 --语言：给出的值为空"),
])
def test_an_empty_language_is_said_empty_as_other_options_are(cli, args, said):
    """`--语言 ""` was told 未知语言“”, where every other option typed empty is told
    缺少 …：给出的值为空 (`--at ""`)."""
    result = cli(*args, env={"DUTYCTL_LANG": "zh_CN"} if "缺少" in said else {})
    assert result.exit_code == 2, result.stdout + result.stderr
    assert said in result.stderr, result.stderr
    assert "unknown language" not in result.stderr and "未知语言" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_unknown_site_language_is_a_config_problem(cli):
    config = cli.root / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: zh_CN",
                                                                  "language: klingon"),
                      encoding="utf-8")
    result = cli("check")
    assert result.exit_code != 0
    assert "dutyctl.yaml:" in result.stderr + result.stdout
    assert 'unknown language "klingon"' in result.stderr + result.stdout


def test_usage_errors_speak_the_workspace_language(cli, monkeypatch):
    """Click words its usage errors in English itself; they are said again in the user's
    language, and before any configuration is read the workspace's site.language counts."""
    monkeypatch.delenv("DUTYCTL_LANG")
    cases = [(("repair", "done", "X", "--bogus"), "没有选项 --bogus"),
             (("complaint", "transfer", "X", "--to", "engineering"), "缺少 --原因（转交原因）"),
             (("log", "call", "--at"), "选项 --at 需要一个值"),
             (("who", "--format", "xx"), "未知格式“xx”"),
             (("clock", "in", "extra"), "多余的参数：extra"),
             # `来电 登记` typed as `报修 登记` is: said to leave the word out
             (("来电", "登记", "--姓名", "张三"),
              "多余的参数：登记（'dutyctl 来电' 直接登记，不用写“登记”）")]
    for args, expected in cases:
        result = cli(*args)
        assert result.exit_code == 2
        assert expected in result.stderr, (args, result.stderr)
    english = cli("--lang", "en", "repair", "done", "X", "--bogus")
    assert "no such option: --bogus" in english.stderr


@pytest.mark.parametrize("args, said", [
    (("--lang", "en", "complaint", "transfer", "X", "--to", "engineering"),
     "complaint transfer: missing --reason (why it goes there), --told-resident (what the "
     "resident was told) (see "),
    (("--lang", "en", "repair", "hold", "X"),
     "repair hold: missing --reason (waiting for parts, for the resident, for another "
     "party...) (see "),
    (("--lang", "zh_CN", "投诉", "转交", "X", "--转给", "工程部"), "投诉 转交：缺少 --原因（转交原因）、--答复（对住户的答复）（见 "),
    (("--lang", "zh_CN", "repair", "done", "X"), "repair done：缺少 --结果（处理情况）（见 "),
    # a long help without the aside that ends it: no parentheses inside parentheses
    (("--lang", "en", "complaint", "transfer", "X"), "complaint transfer: missing --to "
     "(department or outside body from dutyctl.yaml, by id or name), --reason (why it goes "
     "there), --told-resident (what the resident was told) (see "),
    (("--lang", "zh_CN", "投诉", "转交", "X"), "投诉 转交：缺少 --转给（转往的部门或外部单位）、"
     "--原因（转交原因）、--答复（对住户的答复）（见 "),
    # every required option left out named at once (Click stops at the first), in its order
    (("--lang", "zh_CN", "报修", "改级", "X"), "报修 改级：缺少 --紧急程度（新的紧急程度）、--原因（为什么调整）（见 "),
    (("--lang", "zh_CN", "报修", "改级", "X", "--原因", "漏水加重"),
     "报修 改级：缺少 --紧急程度（新的紧急程度）（见 "),
    (("--lang", "zh_CN", "报修", "改级", "X", "--紧急程度", "急修"), "报修 改级：缺少 --原因（为什么调整）（见 "),
    (("--lang", "zh_CN", "callback", "done", "X"), "callback done：缺少 --结果（回电结果：对住户的答复）"
     "（见 "),
    (("--lang", "zh_CN", "complaint", "close", "X"), "complaint close：缺少 --关闭方式（重复、撤回"
     "（住户撤回）或 无效）（见 "),
    # a help that only repeats the option's name: the name alone
    (("--lang", "zh_CN", "complaint", "handle", "X"), "complaint handle：缺少 --处理情况（见 "),
])
def test_a_required_option_left_out_is_said_as_dutyctl_says_missing_values(cli, args, said):
    """Click's own `缺少选项 '--结果'` read unlike dutyctl's `缺少 --内容（来电内容）`
    (Session.need_all): a required option left out is said the same way, with what it is;
    two left out were said one at a time (Click stops at the first): now in one line."""
    result = cli(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert said in result.stderr, result.stderr
    assert "选项 '" not in result.stderr and "option '" not in result.stderr.lower()
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_refused_time_option_offers_the_one_the_command_takes(cli):
    # `list` takes --as-of where most commands take --at: Click's spelling match misses it
    refused = cli("--lang", "en", "list", "--at", "2026-11-25 09:00")
    assert refused.exit_code == 2
    assert "no such option: --at (possible options: --as-of, --date, --format, --status)" in \
        refused.stderr
    chinese = cli("--lang", "zh_CN", "list", "--at", "2026-11-25 09:00")
    assert "没有选项 --at（是否想用：--as-of、--date、--format、--status）" in chinese.stderr
    other_way = cli("--lang", "en", "who", "--as-of", "2026-11-25 09:00").stderr
    assert "no such option: --as-of (possible options: --at)" in other_way


@pytest.mark.parametrize("lang, said", [
    ("en", "no such option: --halp (possible options: --at) (see"),
    ("zh_CN", "没有选项 --halp（是否想用：--at）（见")])
def test_a_mistyped_option_is_offered_the_command_s_own_options_never_help(cli, lang, said):
    """Click's spelling match offers --help beside --at for --halp: the help screen is named
    by the line already; what is offered is what the command takes."""
    refused = cli("--lang", lang, "who", "--halp")
    assert refused.exit_code == 2 and said in refused.stderr, refused.stderr
    alone = cli("--lang", lang, "who", "--hel").stderr  # only --help looks like it
    assert "--hel" in alone and "--at" not in alone and "--help)" not in alone \
        and "--help）（" not in alone, alone


@pytest.mark.parametrize("lang, said, back", [
    ("en", "no such option: --reason (possible options: --note, --repair)",
     "no such option: --note (possible options: --at, --of, --reason)"),
    ("zh_CN", "没有选项 --reason（是否想用：--note、--repair）",
     "没有选项 --note（是否想用：--at、--of、--reason）")])
def test_a_refused_reason_offers_the_note_the_command_takes(cli, lang, said, back):
    """`callout start` says what for with --note (as `repair resume` does; `repair close`
    takes --reason): each is offered the other, not only Click's look-alikes (--repair)."""
    refused = cli("--lang", lang, "callout", "start", "--reason", "水管爆裂")
    assert refused.exit_code == 2 and said in refused.stderr, refused.stderr
    other_way = cli("--lang", lang, "repair", "close", "X", "--note", "重复")
    assert other_way.exit_code == 2 and back in other_way.stderr, other_way.stderr


@pytest.mark.parametrize("lang, args, said", [
    ("zh_CN", ("报修", "完工", "X", "--备注", "已换阀门"), "没有选项 --备注（是否想用：--结果）（见"),
    ("zh_CN", ("投诉", "办结", "X", "--原因", "已答复"), "没有选项 --原因（是否想用：--结果）（见"),
    ("en", ("repair", "done", "X", "--note", "valve replaced"),
     "no such option: --note (possible options: --at, --result) (see")])
def test_a_result_written_under_note_is_offered_the_result_option(cli, lang, args, said):
    """A clerk writing what was done under --备注 (or --原因) on the step that finishes a
    ticket is pointed at --结果, as --note and --reason are at each other."""
    refused = cli("--lang", lang, *args)
    assert refused.exit_code == 2 and said in refused.stderr, refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr


def test_table_and_csv_headers_in_chinese_while_json_and_english_csv_keep_the_keys(cli):
    logged = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
                 "--summary", "物业费怎么交", "--at", "2026-11-25 09:00")
    assert logged.exit_code == 0, logged.stderr
    header = cli("--lang", "zh_CN", "list").stdout.splitlines()[0].split()
    assert header[:4] == ["编号", "类型", "时间", "状态"] and "房号" in header
    assert cli("--lang", "en", "list").stdout.splitlines()[0].split()[:2] == ["id", "kind"]
    csv_header = cli("--lang", "zh_CN", "list", "-f", "csv").stdout.splitlines()[0]
    assert csv_header.startswith("\ufeff编号,类型,时间,状态")  # after the BOM every CSV has
    csv_header = cli("--lang", "en", "list", "-f", "csv").stdout.splitlines()[0]
    assert csv_header.startswith("\ufeffid,kind,time,status")
    assert '"kind": "call"' in cli("--lang", "zh_CN", "list", "-f", "json").stdout
    history = cli("--lang", "zh_CN", "show", logged.stdout.strip()).stdout
    assert "经办人" in history and "操作" in history
    assert "登记时间：2026-11-25" in history and "created_at" not in history


def test_chinese_help_fits_eighty_columns(cli):
    from dutyctl.textwidth import display_width

    for command in (("--help",), ("list", "--help"), ("log", "call", "--help"),
                    ("repair", "file", "--help"), ("roster", "generate", "--help")):
        shown = cli("--lang", "zh_CN", *command)
        assert shown.exit_code == 0, shown.stderr
        wide = [line for line in shown.stdout.splitlines() if display_width(line) > 80]
        assert wide == [], command


def test_chinese_lines_of_a_translation_join_without_a_stray_space(cli):
    """A translation keeps the English line breaks; joined again, two Chinese characters
    never get a space between them (`作废， 仍保留`)."""
    import re

    from dutyctl.commands import COMMANDS
    from dutyctl.messages import join_lines

    assert join_lines("作废，\n仍保留\n(dutyctl\ncheck)") == "作废，仍保留 (dutyctl check)"
    for name in COMMANDS:
        shown = cli("--lang", "zh_CN", name, "--help").stdout
        assert not re.search(r"[^\x00-\x7f] [，。；：、）]|[，。；：、（] (?=[^\x00-\x7f])",
                             shown), name
    assert not re.search(r"[，。；：] ", cli("--lang", "zh_CN", "--help").stdout)


def test_help_placeholders_are_words_of_the_language_and_columns_stay_aligned(cli):
    zh = cli("--lang", "zh_CN", "repair", "file", "--help").stdout
    assert zh.split("\n")[0].endswith(" repair file [选项]") and zh.startswith("用法：")
    assert "--name 姓名" in zh and "--staff 员工" in zh and "<str>" not in zh
    assert "--room 房号" in zh and "--phone 电话号码" in zh and "\n选项：\n" in zh
    # the help column starts at the same display column on every option line
    from dutyctl.textwidth import display_width

    starts = {display_width(line[:line.index("住户姓名")]) for line in zh.splitlines()
              if "住户姓名" in line} | {display_width(line[:line.index("住户电话")])
                                    for line in zh.splitlines() if "住户电话" in line}
    assert len(starts) == 1
    en = cli("--lang", "en", "repair", "file", "--help").stdout
    assert "--name PERSON" in en and "--staff STAFF" in en and "[OPTIONS]" in en
    assert "--room ROOM" in en and "--phone PHONE" in en and "\nOptions:\n" in en
    swap = cli("--lang", "zh_CN", "roster", "swap", "--help").stdout.split("\n\n")[0]
    assert "{日期1}" in swap and "{员工2}" in swap  # a usage line breaks only between words
    checklist = cli("--lang", "zh_CN", "checklist", "--help").stdout
    # the value typed in its Chinese word (all is taken too, never shown: a clerk's screen)
    assert "检查项|全部" in checklist and "写“全部”" in checklist and "all" not in checklist


def test_chinese_wrapping_breaks_between_characters_not_before_punctuation():
    from dutyctl.cli.helptext import wrap_text
    from dutyctl.textwidth import display_width

    text = "只看与该员工有关的记录（派工的维修工、投诉的受理人，否则为登记人）。" * 3
    lines = wrap_text(text, 30, "  ", "  ").splitlines()
    assert len(lines) > 3 and all(display_width(line) <= 32 for line in lines)
    assert "".join(line.strip() for line in lines) == text
    assert not any(line.strip()[0] in "，。、）：" for line in lines)
    assert wrap_text("plain English words only", 10) == "plain\nEnglish\nwords only"
    # punctuation after punctuation, and before the English words of a list
    listed = "以退出码 1 结束（用逗号分隔）：emergency、overdue、absent、unaccepted、unfilled。"
    for width in range(16, 60):
        lines = wrap_text(listed, width, "  ", "  ").splitlines()
        assert not any(line.strip()[0] in "，。、）：" for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == listed.replace(" ", "")


def test_catalogue_merge_keeps_both_sides_and_each_correction(i18n):
    base = {("complete", None): "完整", ("late", None): "迟到"}
    ours = {("complete", None): "完整", ("late", None): "晚到", ("new here", None): "这边新增"}
    theirs = {("complete", None): "完成", ("late", None): "迟到", ("new there", None): "那边新增"}
    merged = i18n.merge_translations(base, ours, theirs)
    assert merged == {("complete", None): "完成", ("late", None): "晚到",
                      ("new here", None): "这边新增", ("new there", None): "那边新增"}


def test_a_word_with_two_meanings_keeps_both(monkeypatch):
    """`complete` is a deadline (完成) and, with a context, a report's state (完整)."""
    from dutyctl.tickets.deadlines import label

    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    assert label("complete") == "完成"
    assert messages.tp("report state", "complete") == "完整"


def test_status_kind_and_action_words_carry_a_gettext_context(monkeypatch, extracted):
    """The word tables use msgctxt (what Poedit and Weblate show as context), not a prefix
    glued into the msgid: "closed" the status is 已关闭, the action "close" is 关闭."""
    from dutyctl import words

    tables = [table for table in vars(words).values() if isinstance(table, dict)]
    assert words.STATUSES in tables and words.ATTENDANCE in tables
    for table in tables:
        for key, word in table.items():
            assert not (isinstance(word, str) and "|" in word), \
                f'{key}: mark it NP_("context", "word"), not N_("context|word")'
    contexts = {(message.context, message.id) for message in extracted}
    assert ("status", "closed") in contexts and ("action", "close") in contexts
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    assert (words.status_word("closed"), words.action_word("close")) == ("已关闭", "关闭")
    monkeypatch.setenv("DUTYCTL_LANG", "en")
    assert (words.status_word("on-hold"), records.kind_word("readiness-problem")) == \
        ("on-hold", "readiness-problem")


def test_dates_weeks_and_months_read_as_each_language_writes_them():
    from datetime import date

    from dutyctl import messages
    from dutyctl.output import day_label
    from dutyctl.reports.period import period_label

    sunday = date(2026, 11, 29)
    try:
        messages.set_option_language("zh_CN")
        assert day_label(sunday) == "11月29日 周日"
        assert period_label("daily", sunday) == "2026年11月29日 周日"
        assert period_label("weekly", date(2026, 12, 28)) == "2026年第53周"  # ISO year and week
        assert period_label("weekly", date(2027, 1, 4)) == "2027年第1周"
        assert period_label("monthly", date(2026, 11, 1)) == "2026年11月"
        messages.set_option_language("en")
        assert day_label(sunday) == "Sun 11-29"
        assert period_label("weekly", date(2026, 12, 28)) == "2026-W53"
        assert period_label("monthly", date(2026, 11, 1)) == "2026-11"
    finally:
        messages.set_option_language(None)


def test_report_titles_and_roster_days_name_the_weekday(cli, workspace):
    zh = cli("--lang", "zh_CN", "report", "daily", "--date", "2026-11-29").stdout
    assert "2026年11月29日 周日" in zh.splitlines()[0]
    weekly = cli("--lang", "zh_CN", "report", "weekly", "--week", "2026-W48").stdout
    assert "2026年第48周" in weekly.splitlines()[0]
    assert cli("--lang", "zh_CN", "report", "weekly", "--week", "2026-W48", "--format",
               "json").stdout.count('"period": "2026-W48"') == 1  # data keeps the ISO label
