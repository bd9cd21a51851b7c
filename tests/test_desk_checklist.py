"""The readiness checklist: by flags, at a (simulated) terminal, problems open until fixed."""

from __future__ import annotations

import pytest

from dutyctl.desk import checklist as core
from dutyctl.errors import InputError
from tests.helpers_desk import git_head, october_site, printed_ids, record_files

ITEMS = ["phone", "computer", "printer", "forms", "workflows"]  # the template's checklist


@pytest.fixture
def site(workspace):
    october_site(workspace.root)
    return workspace


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setattr("dutyctl.cli.session.interactive", lambda: True)


def run(cli, *args, input=None):
    return cli("checklist", "--staff", "zhangwei", "--at", "2026-10-05 08:10", *args,
               input=input)


def test_answers_from_flags_pairs_notes_with_problems():
    answers = core.answers_from_flags(ITEMS, ["all"], ["printer", "phone"], ["卡纸", "无拨号音"])
    assert [(a.item, a.ok, a.note) for a in answers] == [
        ("phone", False, "无拨号音"), ("computer", True, None), ("printer", False, "卡纸"),
        ("forms", True, None), ("workflows", True, None)]
    partial = core.answers_from_flags(ITEMS, ["phone"], [], [])
    assert core.unanswered(ITEMS, partial) == ["computer", "printer", "forms", "workflows"]


def test_items_are_named_by_label_as_well_as_by_id(site, cli):
    labels = {"phone": "值班电话畅通", "computer": "电脑与登记系统正常", "printer": "打印机可用",
              "forms": "表单齐全", "workflows": "流程可用"}
    answers = core.answers_from_flags(labels, ["all"], ["打印机可用"], ["卡纸"])
    assert [(a.item, a.ok) for a in answers if not a.ok] == [("printer", False)]
    with pytest.raises(InputError) as caught:
        core.answers_from_flags(labels, ["传真机"], [], [])
    assert "打印机可用 (printer)" in str(caught.value)  # the refusal names label and id
    config = site.config
    label = config.checklist.name("printer")
    opened = run(cli, "--ok", "all", "--problem", label, "--note", "卡纸")
    assert opened.exit_code == 0, opened.stderr
    fixed = cli("checklist", "fix", label, "--note", "换了硒鼓", "--staff", "zhangwei",
                "--at", "2026-10-05 09:00")
    assert fixed.exit_code == 0, fixed.stderr
    assert core.open_problems(site.store) == []


def test_an_item_is_named_by_a_part_of_its_label_as_a_clerk_says_it(site, cli):
    labels = {"phone": "值班电话畅通", "printer": "打印机可用", "workflows": "投诉与报修流程可用"}
    answers = core.answers_from_flags(labels, ["all"], ["打印机"], ["没纸了"])
    assert [(a.item, a.note) for a in answers if not a.ok] == [("printer", "没纸了")]
    with pytest.raises(InputError) as caught:  # a part of two labels names neither
        core.answers_from_flags(labels, ["可用"], [], [])
    assert "'可用' could be any of: 打印机可用 (printer), 投诉与报修流程可用 (workflows); " \
           "give the id" in str(caught.value)
    opened = run(cli, "--ok", "all", "--problem", "打印机", "--note", "卡纸")
    assert opened.exit_code == 0, opened.stderr
    fixed = cli("checklist", "fix", "打印机", "--note", "换了硒鼓", "--staff", "zhangwei",
                "--at", "2026-10-05 09:00")
    assert fixed.exit_code == 0, fixed.stderr
    assert core.open_problems(site.store) == []


def test_an_unknown_or_ambiguous_item_is_refused_as_every_choice_is():
    """The flags' refusal of an item is choices.resolve's, word for word (one shared wording
    for every choice the desk is asked), each mistake on its own line."""
    from dutyctl.choices import resolve

    labels = {"phone": "值班电话畅通", "printer": "打印机可用", "workflows": "投诉与报修流程可用"}
    said = []
    for typed in ("传真机", "可用"):
        with pytest.raises(InputError) as shared:
            resolve(typed, labels, "unknown checklist item '{value}'; choose one of: {choices}")
        said.append(str(shared.value))
    with pytest.raises(InputError) as caught:
        core.answers_from_flags(labels, ["传真机"], ["可用"], ["x"])
    assert str(caught.value).splitlines() == said


def test_answers_from_flags_reports_every_mistake():
    with pytest.raises(InputError) as caught:
        core.answers_from_flags(ITEMS, ["fax", "printer"], ["printer", "all"], ["a", "b", "c"])
    message = str(caught.value)  # the core speaks of values ...
    for expected in ("'fax'", "not 'all'", "both as ok and as problem", "3 note for 2 problem"):
        assert expected in message
    assert "--" not in message
    # ... and whoever gives them names them: the CLI by its options
    flagged = str(caught.value.naming(lambda value: f"--{value}"))
    for expected in ("'fax'", "not 'all'", "both as --ok and as --problem", "3 --note"):
        assert expected in flagged


def test_an_item_given_twice_as_a_problem_is_refused_not_a_note_lost(cli, site):
    """--problem printer twice with two notes: the second answer replaced the first and its
    note ("卡纸") was lost without a word. Refused now, nothing written, the core naming the
    values and the CLI its options."""
    with pytest.raises(InputError) as caught:
        core.answers_from_flags(ITEMS, ["all"], ["printer", "printer"], ["卡纸", "没墨"])
    assert str(caught.value.naming(lambda value: f"--{value}")) == (
        "'printer' given twice as --problem: give it once, with one --note saying all that "
        "is wrong")
    refused = cli("checklist", "--ok", "all", "--problem", "printer", "--problem", "printer",
                  "--note", "卡纸", "--note", "没墨")
    assert refused.exit_code == 2 and "given twice as --problem" in refused.stderr, \
        refused.stderr
    assert not list((site.root / "records").rglob("*.yaml"))


def test_all_ok_by_flags(cli, site):
    result = run(cli, "--ok", "all")
    assert result.exit_code == 0, result.stderr
    record = site.store.get(result.stdout.strip())
    assert (record.kind, record.status) == ("readiness", "ok")
    assert [r["item"] for r in record.get("results")] == ITEMS
    assert cli("checklist", "problems", "--format", "csv").stdout.strip() == \
        "\ufeffid,item,name,since,by,note,rechecks"


def test_every_item_ok_in_the_clerks_word(cli, site):
    """`dutyctl 备勤 --正常 全部 --问题 打印机 --备注 卡纸`: 全部 is all, as the help says."""
    result = cli("--lang", "zh_CN", "备勤", "--操作人", "张伟", "--时间", "2026-10-05 08:10",
                 "--正常", "全部", "--问题", "打印机", "--备注", "卡纸")
    assert result.exit_code == 0, result.stderr
    record = site.store.get(result.stdout.strip())
    assert [(r["item"], r["ok"]) for r in record.get("results")] == [
        (item, item != "printer") for item in ITEMS]
    refused = cli("--lang", "zh_CN", "备勤", "--操作人", "张伟", "--时间", "2026-10-05 08:20",
                  "--正常", "全部", "--问题", "全部")
    assert refused.exit_code == 2 and "--问题 须指定一个检查项，不能用 全部" in refused.stderr
    assert "--正常 全部" in cli("--lang", "zh_CN", "备勤", "--帮助").stdout


def test_a_problem_by_flags_opens_a_readiness_problem(cli, site):
    result = run(cli, "--ok", "all", "--problem", "printer", "--note", "卡纸")
    assert result.exit_code == 0, result.stderr
    run_record = site.store.get(result.stdout.strip())
    assert run_record.status == "problems"
    problems = core.open_problems(site.store)
    assert [(p.get("item"), p.get("note"), p.get("run")) for p in problems] == [
        ("printer", "卡纸", run_record.id)]
    assert "PROBLEM 打印机可用: 卡纸" in result.stderr
    assert "ok: 值班电话畅通, " in result.stderr  # the items found ok by their names
    listed = cli("checklist", "problems", "--format", "csv").stdout.splitlines()
    assert listed[1].split(",")[1:3] == ["printer", "打印机可用"]


def test_checklist_problems_count_each_recheck_of_an_open_problem(cli, site):
    """Each later run that finds the open problem again is one recheck in `checklist
    problems`; a run answering it ok (without fixing it) is none."""
    import json

    assert run(cli, "--ok", "all", "--problem", "printer", "--note", "卡纸").exit_code == 0
    for when, answer in (("12:00", ("--problem", "printer", "--note", "还卡")),
                         ("16:00", ("--problem", "printer", "--note", "仍卡")),
                         ("20:10", ())):
        again = cli("checklist", "--staff", "lina", "--at", f"2026-10-05 {when}",
                    "--ok", "all", *answer)
        assert again.exit_code == 0, again.stderr
    (problem,) = json.loads(cli("checklist", "problems", "--format", "json").stdout)
    assert (problem["item"], problem["rechecks"]) == ("printer", 2)


def test_checklist_problems_at_a_time_lists_those_open_then_as_they_stood(cli, site, clock):
    """`备勤 问题 --时间`, as its siblings take it: the problems open at that moment, their
    rechecks counted up to then; one fixed since is there, one found later is not."""
    import json

    clock.set("2026-10-06T09:00:00+08:00")
    assert run(cli, "--ok", "all", "--problem", "printer", "--note", "卡纸").exit_code == 0
    again = cli("checklist", "--staff", "lina", "--at", "2026-10-05 12:00", "--ok", "all",
                "--problem", "printer", "--note", "还卡", "--problem", "phone", "--note", "无音")
    assert again.exit_code == 0, again.stderr
    fixed = cli("checklist", "fix", "printer", "--note", "换了硒鼓", "--at", "2026-10-05 15:00",
                "--staff", "lina")
    assert fixed.exit_code == 0, fixed.stderr

    def problems(*at: str) -> list[tuple[str, int]]:
        listed = cli("--lang", "zh_CN", "备勤", "问题", *at, "--格式", "json")
        assert listed.exit_code == 0, listed.stderr
        return [(row["item"], row["rechecks"]) for row in json.loads(listed.stdout)]

    assert problems() == [("phone", 0)]
    assert problems("--时间", "2026-10-05 13:00") == [("printer", 1), ("phone", 0)]
    assert problems("--时间", "2026-10-05 11:00") == [("printer", 0)]
    assert problems("--时间", "2026-10-05 08:00") == []
    assert problems("--时间", "2026-10-05") == [("phone", 0)]  # a day alone: its end
    empty = cli("--lang", "zh_CN", "备勤", "问题", "--时间", "2026-10-05 08:00")
    assert empty.exit_code == 0 and "没有未处理的备勤问题" in empty.output


def test_unanswered_items_without_a_terminal_write_nothing(cli, site):
    files, head = record_files(site.root), git_head(site.root)
    for args in (["--ok", "phone"], [], ["--ok", "all", "--problem", "printer"],
                 ["--ok", "fax"]):
        result = run(cli, *args)
        assert result.exit_code == 2, (args, result.stdout)
        assert "Traceback" not in result.stderr
    assert "not answered: 电脑与登记系统正常 (computer), 打印机可用 (printer)" in \
        run(cli, "--ok", "phone").stderr
    assert "missing --note" in run(cli, "--ok", "all", "--problem", "printer").stderr
    assert (record_files(site.root), git_head(site.root)) == (files, head)


def test_interactive_checklist_item_by_item(cli, site, terminal):
    typed = "ok\n\nproblem\n卡纸\nok\np\n报修单用完\n"  # phone, computer, printer, forms, workflows
    result = run(cli, input=typed)
    assert result.exit_code == 0, result.stderr
    (run_id,) = printed_ids(result.stdout)
    results = {r["item"]: (r["ok"], r.get("note")) for r in site.store.get(run_id).get("results")}
    assert results == {"phone": (True, None), "computer": (True, None),
                       "printer": (False, "卡纸"), "forms": (True, None),
                       "workflows": (False, "报修单用完")}
    assert sorted(p.get("item") for p in core.open_problems(site.store)) == ["printer",
                                                                               "workflows"]


@pytest.mark.parametrize("typed, ok", [
    ("没问题\n是\n有问题\n卡纸\n坏了\n表格用完\n否\n流程缺页\n",
     {"phone": True, "computer": True, "printer": False, "forms": False, "workflows": False}),
    # full-width (a Chinese input method), a trailing full-width space or 。, 不好 and 不行
    ("ｏｋ\n正常\u3000\n好的。\n不好\n卡纸\n不行\n流程缺页\n",
     {"phone": True, "computer": True, "printer": True, "forms": False, "workflows": False}),
])
def test_a_clerk_answers_in_her_own_words(cli, site, terminal, typed, ok):
    """没问题, 是, 有问题, 坏了, 否 were refused with "answer 正常 or 问题" item after item, and
    so were ｏｋ, 正常 followed by a full-width space, 好的。, 不好 and 不行."""
    result = run(cli, input=typed)
    assert result.exit_code == 0, result.stderr
    assert "answer ok or problem" not in result.stderr
    (run_id,) = printed_ids(result.stdout)
    results = {r["item"]: r["ok"] for r in site.store.get(run_id).get("results")}
    assert results == ok


def test_the_prompt_offers_its_default_in_the_clerks_words(cli, site, terminal):
    result = cli("--lang", "zh_CN", "checklist", "--staff", "zhangwei", "--at", "2026-10-05 08:10",
                 "--ok", "phone", "--ok", "computer", "--ok", "forms", "--ok", "workflows",
                 input="\n")
    assert result.exit_code == 0, result.stderr
    assert "打印机可用 [正常/问题] [正常]：" in result.stderr and "[ok]" not in result.stderr
    assert site.store.get(printed_ids(result.stdout)[0]).status == "ok"  # the default: ok


def test_interactive_asks_only_what_flags_left_out_and_rejects_nonsense(cli, site, terminal):
    result = run(cli, "--ok", "phone", "--ok", "computer", "--ok", "forms",
                 input="maybe\nok\nok\n")
    assert result.exit_code == 0, result.stderr
    assert "answer ok or problem" in result.stderr
    assert site.store.get(printed_ids(result.stdout)[0]).status == "ok"


def test_a_problem_found_again_is_rechecked_not_duplicated(cli, site):
    run(cli, "--ok", "all", "--problem", "printer", "--note", "卡纸")
    again = cli("checklist", "--staff", "lina", "--at", "2026-10-05 20:10", "--ok", "all",
                "--problem", "printer", "--note", "还是卡纸")
    assert again.exit_code == 0, again.stderr
    (problem,) = core.open_problems(site.store)
    assert [(e.action, e.note, e.by) for e in problem.events] == [("recheck", "还是卡纸", "lina")]
    assert "still open since 2026-10-05 08:10" in again.stderr


def test_answered_ok_keeps_the_problem_open_unless_said_fixed(cli, site, terminal):
    run(cli, "--ok", "all", "--problem", "printer", "--note", "卡纸")
    kept = cli("checklist", "--staff", "lina", "--at", "2026-10-05 20:10", "--ok", "all")
    assert kept.exit_code == 0 and "stays open" in kept.stderr
    assert len(core.open_problems(site.store)) == 1
    # at the terminal: printer ok -> "record the open problem fixed?" yes
    fixed = cli("checklist", "--staff", "lina", "--at", "2026-10-05 20:20",
                "--ok", "phone", "--ok", "computer", "--ok", "forms", "--ok", "workflows",
                input="ok\ny\n")
    assert fixed.exit_code == 0, fixed.stderr
    assert core.open_problems(site.store) == []


def test_fixed_flag_and_fix_command(cli, site):
    run(cli, "--ok", "all", "--problem", "printer", "--note", "卡纸", "--problem", "phone",
        "--note", "无拨号音")
    assert run(cli, "--ok", "all", "--fixed", "forms").exit_code == 2  # forms has no problem
    by_flag = cli("checklist", "--staff", "lina", "--at", "2026-10-05 20:10", "--ok", "all",
                  "--fixed", "printer")
    assert by_flag.exit_code == 0, by_flag.stderr
    assert [p.get("item") for p in core.open_problems(site.store)] == ["phone"]
    phone = core.open_problems(site.store)[0]
    no_note = cli("checklist", "fix", "phone", "--staff", "lina")
    assert no_note.exit_code == 2 and "--note" in no_note.stderr
    by_id = cli("checklist", "fix", phone.id[:16], "--note", "电信已修复", "--staff", "lina",
                "--at", "2026-10-06 09:00")
    assert by_id.exit_code == 0, by_id.stderr
    assert by_id.stdout.strip() == phone.id
    assert site.store.get(phone.id).status == "fixed"
    twice = cli("checklist", "fix", "phone", "--note", "x", "--staff", "lina")
    assert twice.exit_code == 2 and "no open problem" in twice.stderr


def test_a_run_dated_before_a_problems_last_step_writes_nothing(cli, site):
    for at in ("2026-10-05 10:00", "2026-10-05 12:00"):  # opened, then found wrong again
        done = cli("checklist", "--staff", "zhangwei", "--ok", "all", "--problem", "printer",
                   "--note", "卡纸", "--at", at)
        assert done.exit_code == 0, done.stderr
    before, head = record_files(site.root), git_head(site.root)
    late = cli("checklist", "--staff", "zhangwei", "--ok", "all", "--problem", "printer",
               "--note", "卡纸", "--at", "2026-10-05 11:00")
    assert late.exit_code == 2 and "already has a later event" in late.stderr
    assert record_files(site.root) == before and git_head(site.root) == head


def test_a_problem_fixed_by_a_run_stores_no_words_and_shows_them_translated(cli, site):
    run(cli, "--ok", "all", "--problem", "printer", "--note", "卡纸")
    (problem,) = core.open_problems(site.store)
    fixed = cli("checklist", "--staff", "lina", "--at", "2026-10-05 20:10", "--ok", "all",
                "--fixed", "printer")
    assert fixed.exit_code == 0, fixed.stderr
    run_id = printed_ids(fixed.stdout)[0]
    (event,) = site.store.get(problem.id).events
    assert event.note is None and event.data == {"run": run_id}  # nothing translated on disk
    shown = {lang: cli("--lang", lang, "show", problem.id).stdout for lang in ("en", "zh_CN")}
    assert f"found working in checklist {run_id[:12]}" in shown["en"]
    assert f"备勤检查 {run_id[:12]} 中确认已正常" in shown["zh_CN"]


# -- the checklist rules in the core (desk.checklist.start_run / finish_run), without the CLI --

def _at(hour_minute: str):
    from datetime import datetime, timedelta, timezone

    return datetime.fromisoformat(f"2026-10-05T{hour_minute}:00").replace(
        tzinfo=timezone(timedelta(hours=8)))


def test_a_run_is_written_when_every_item_is_answered_and_every_problem_has_a_note(site):
    store, config = site.store, site.config
    run = core.start_run(store, config, ok=["phone", "电脑与登记系统正常"], problems=["printer"])
    assert run.items == ITEMS and run.unanswered == ["forms", "workflows"]
    with pytest.raises(InputError) as refused:
        core.finish_run(store, config, run, at=_at("08:10"), by="zhangwei")
    assert str(refused.value) == ("not answered: 报修单、投诉登记表等表单齐全 (forms), "
                                  "投诉与报修流程可用 (workflows): pass ok all (or ok ITEM, "
                                  "problem ITEM note TEXT); nothing written")  # values, not flags
    assert "--ok all" in str(refused.value.naming(lambda value: f"--{value}"))
    run.answer(core.Answer("forms", True))
    run.answer(core.Answer("workflows", True))
    assert run.unanswered == []  # but the printer's problem says nothing yet
    with pytest.raises(InputError, match="a problem needs a note"):
        core.finish_run(store, config, run, at=_at("08:10"), by="zhangwei")
    assert record_files(site.root) == []
    run.answer(core.Answer("printer", False, "卡纸"))
    result = core.finish_run(store, config, run, at=_at("08:10"), by="zhangwei")
    assert [entry["item"] for entry in result.run.get("results")] == ITEMS  # the site's order
    assert [record.get("item") for record in result.new_problems] == ["printer"]


def test_finishing_a_run_uses_the_problems_it_started_with(site, monkeypatch):
    store, config = site.store, site.config
    core.finish_run(store, config, core.start_run(store, config, ok=["all"], problems=["printer"],
                                                  notes=["卡纸"]), at=_at("08:10"), by="zhangwei")
    run = core.start_run(store, config, ok=["all"], problems=["printer"], notes=["还是卡纸"])
    read_again = []
    monkeypatch.setattr(core, "open_problems", lambda *args: read_again.append(args) or [])
    result = core.finish_run(store, config, run, at=_at("20:10"), by="lina")
    assert read_again == []  # the run's own open_before, not a second read
    assert [record.get("item") for record in result.rechecked] == ["printer"]
    assert result.new_problems == []


def test_a_fixed_item_needs_an_open_problem_and_a_site_needs_a_checklist(site):
    store, config = site.store, site.config
    with pytest.raises(InputError) as refused:
        core.start_run(store, config, ok=["all"], fixed=["printer"])
    assert str(refused.value) == "fixed 打印机可用: it has no open problem"
    run = core.start_run(store, config, ok=["all"], problems=["printer"], notes=["卡纸"])
    core.finish_run(store, config, run, at=_at("08:10"), by="zhangwei")
    again = core.start_run(store, config, ok=["all"], fixed=["打印机可用"])
    assert again.fixed == ["printer"] and again.open_before["printer"].get("note") == "卡纸"
    fixed = core.finish_run(store, config, again, at=_at("09:00"), by="zhangwei")
    assert [record.get("item") for record in fixed.fixed] == ["printer"]
    assert core.open_problems(store) == []

    from dutyctl.frozen import replace

    from dutyctl.config import Catalogue

    with pytest.raises(InputError, match="no checklist items"):
        core.start_run(store, replace(config, checklist=Catalogue({})), ok=["all"])
