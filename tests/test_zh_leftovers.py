"""Chinese screens without English left on them: usage errors naming an argument by its
placeholder, a call-out's and a checklist run's `show` in words, the due column's brackets,
the ETA step's word, and a refused phone number on `emergency open`."""

from __future__ import annotations

from tests.helpers_desk import ok_text as ok
from tests.test_oncall import RESIDENT, october
from tests.test_zh_screens import english_words

ZH = ("--lang", "zh_CN")


def test_a_missing_argument_is_named_by_its_placeholder_in_the_language(cli):
    cases = [(("show",), "缺少参数“编号”"), (("roster", "explain"), "缺少参数“日期”"),
             (("roster", "explain", "2026-10-09"), "缺少参数“班次”"),
             (("repair", "dispatch"), "缺少参数“编号”")]
    for args, expected in cases:
        result = cli(*ZH, *args)
        assert result.exit_code == 2, args
        assert expected in result.stderr, (args, result.stderr)
        assert not english_words(result.stderr, "root", "show", "roster", "explain",
                                 "repair", "dispatch", "help", "dutyctl"), result.stderr
    assert "missing argument 'ID'" in cli("--lang", "en", "show").stderr


def test_a_call_out_shows_its_shift_and_repair_in_words(cli, workspace):
    october(workspace)
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "水管爆裂", "--at",
                    "2026-10-09 23:40"))
    ok(cli("repair", "dispatch", repair, "--at", "2026-10-09 23:48"))
    ok(cli("callout", "end", "王强", "--at", "2026-10-10 01:20"))
    callout = ok(cli("list", "--kind", "callout", "-f", "csv")).splitlines()[1].split(",")[0]
    shown = ok(cli(*ZH, "show", callout))
    assert "班次：夜间备班 2026-10-09 20:00–08:00（维修工）" in shown, shown
    assert f"报修：{repair[:12]} 水管爆裂（已派工）" in shown, shown
    assert not english_words(shown, "wangqiang", "zhangwei"), shown


def test_a_checklist_run_shows_its_answers_by_label(cli):
    run = ok(cli("checklist", "--ok", "all", "--problem", "printer", "--note", "卡纸",
                 "--at", "2026-10-09 08:00")).splitlines()[0]
    shown = ok(cli(*ZH, "show", run))
    # items joined with ；: an item's own label holds 、 (报修单、投诉登记表等表单齐全)
    assert ("检查结果：正常：值班电话畅通；电脑与登记系统正常；报修单、投诉登记表等表单齐全；"
            "投诉与报修流程可用。问题：打印机可用（卡纸）") in shown, shown
    said = cli(*ZH, "checklist", "--ok", "all", "--at", "2026-10-09 20:05").stderr
    assert "正常：值班电话畅通；电脑与登记系统正常；打印机可用；报修单、投诉登记表等表单齐全；" \
           "投诉与报修流程可用" in said, said
    assert not english_words(shown, "zhangwei"), shown


def test_the_due_column_speaks_with_the_brackets_of_chinese_text(cli, workspace):
    october(workspace)
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "厨房爆管，跑水", "--at",
                    "2026-10-09 23:40"))
    ok(cli("repair", "dispatch", repair, "--at", "2026-10-09 23:48"))
    listed = ok(cli(*ZH, "list", "--wide", "--as-of", "2026-10-09 23:50"))
    row = next(line for line in listed.splitlines() if line.startswith(repair[:12]))
    assert row.endswith("到场 10-10 00:10（还剩 20分钟）"), row
    assert "arrive 10-10 00:10 (due in 20m)" in ok(cli("list", "--wide", "--as-of",
                                                    "2026-10-09 23:50"))


def test_the_eta_step_reads_as_the_expected_handling_time_everywhere(cli):
    repair = ok(cli("repair", "file", *RESIDENT, "--content", "门锁坏了", "--at",
                    "2026-10-12 09:00"))
    told = ok(cli(*ZH, "repair", "eta", repair, "--by", "2026-10-13 10:00",
                  "--at", "2026-10-12 09:10"))
    shown = ok(cli(*ZH, "show", repair))
    assert "预计处理时间" in told and "预计处理时间：2026-10-13 10:00" in shown, shown
    assert "预计到场" not in shown
    assert "预计处理时间" in ok(cli(*ZH, "--help"))


def test_emergency_open_checks_the_reporters_phone_as_every_filing_does(cli):
    """The reporter's phone passes the residents' check (schema.check_phone): a number too
    short or not a number is one line, exit 2, nothing written, as for a repair; a short
    service number (3 digits or more: 110, 12345) passes both."""
    reporter = ("--name", "张三", "--room", "3-2-501")
    for phone in ("12", "abc"):
        opened = cli(*ZH, "emergency", "open", "--type", "停电", "--where", "3号楼", *reporter,
                     "--phone", phone, "--at", "2026-10-12 09:00")
        filed = cli(*ZH, "repair", "file", *reporter, "--phone", phone, "--content", "停电",
                    "--at", "2026-10-12 09:00")
        for result in (opened, filed):
            assert result.exit_code == 2, result.stdout
            assert result.stderr == f"--phone '{phone}'：应为电话号码，如 \"13812345678\"\n"
    assert ok(cli("list", "-f", "json")) == "[]"


def test_a_refusal_lists_the_checklist_items_apart_when_one_holds_a_comma(cli):
    """`没有名为“x”的检查项；可选：…打印机可用、报修单、投诉登记表等表单齐全、…`: joined with 、,
    the item holding 、 read as two. Its refusal joins them with ； as the run's screen does."""
    refused = cli(*ZH, "checklist", "--ok", "all", "--problem", "不存在", "--note", "x",
                  "--at", "2026-10-09 08:00")
    assert refused.exit_code == 2, refused.output
    assert "打印机可用（printer）；报修单、投诉登记表等表单齐全（forms）；" in refused.stderr, (
        refused.stderr)
