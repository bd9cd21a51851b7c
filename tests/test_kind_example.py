"""The worked example of docs/architecture.md ("The kind registry") works as written: its kind
module, run from the page and registered in the test only, is a ticket-like kind the rest of
dutyctl serves without another module changed: filed, listed, searched, deadline-checked,
stepped, gathered into a handover and counted in a report."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from dutyctl import records
from dutyctl.errors import InputError, Refused
from dutyctl.workspace import Workspace
from tests.helpers_desk import ok_text as ok

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"
CST = timezone(timedelta(hours=8))
AT = datetime(2026, 10, 5, 9, 0, tzinfo=CST)
RESIDENT = {"name": "张三", "room": "3-2-501", "phone": "13812345678"}


@pytest.fixture
def suggestion_kind():
    text = GUIDE.read_text(encoding="utf-8")
    (block,) = re.findall(r"```python\n(# dutyctl/kinds/suggestion\.py\n.*?)```", text, re.S)
    records.kinds()  # the package's own kinds first
    namespace: dict = {}
    exec(compile(block, "dutyctl/kinds/suggestion.py", "exec"), namespace)
    yield namespace["SUGGESTION"]
    del records._REGISTRY["suggestion"]


@pytest.fixture
def site(workspace, suggestion_kind) -> Workspace:
    """The workspace with the suggestion's categories and urgency classes in dutyctl.yaml,
    as a site adds them (the kind module itself reads no file)."""
    path = workspace.root / "dutyctl.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["categories"]["suggestion"] = {"default": "greening",
                                          "choices": {"greening": "绿化", "facilities": "设施"}}
    config["urgency"]["suggestion"] = {
        "default": "general", "keywords": {"urgent": ["安全隐患"]},
        "classes": {"urgent": {"name": "紧急", "clock": "24x7", "respond": "1h", "complete": "1d"},
                    "general": {"name": "一般", "clock": "24x7", "respond": "2h",
                                "complete": "3d"}}}
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return Workspace(workspace.root)


def _file(site: Workspace, content: str, at: datetime = AT, **details):
    return records.file_record(site.store, site.config, "suggestion", resident=RESIDENT,
                               category=details.pop("category", "绿化"), content=content,
                               urgency=details.pop("urgency", None), at=at, by="zhangwei")


def test_the_worked_example_is_filed_through_its_declaration(site):
    """KindSpec.file: the category by its label, the urgency suggested by its keywords, and
    every check before anything is written."""
    filed = _file(site, "东门台阶有安全隐患，建议加装扶手")
    assert (filed.kind, filed.status, records.assignee(filed)) == ("suggestion", "open",
                                                                   "zhangwei")
    assert (filed.get("category"), filed.get("urgency"), filed.get("urgency_keyword")) == (
        "greening", "urgent", "安全隐患")
    with pytest.raises(InputError, match="unknown suggestion category 'pets'"):
        _file(site, "养狗", category="pets")
    assert [record.id for record in site.store.scan(kinds=("suggestion",)).records] == [
        filed.id]
    assert records.ticket_kinds() == ("complaint", "repair", "suggestion")
    assert records.counted_kinds()["suggestion"] == "suggestions"


def test_the_worked_example_lives_its_life(site):
    from dutyctl.tickets import lifecycle
    from dutyctl.tickets.deadlines import load_book

    store = site.store
    filed = _file(site, "小区东门加装雨棚")
    # its deadlines come from its `meets` and its urgency classes in dutyctl.yaml
    deadlines = {deadline.name: deadline for deadline in
                 load_book(site).of(filed, AT + timedelta(hours=3))}
    assert deadlines["respond"].due == AT + timedelta(hours=2)
    assert deadlines["respond"].state(AT + timedelta(hours=3)) == "overdue"
    handled = store.append(filed, "handle", at=AT + timedelta(hours=3), by="lina",
                           note="已转物业经理")
    assert (handled.status, records.assignee(handled)) == ("handling", "lina")
    with pytest.raises(Refused, match="visit is only possible when it is resolved"):
        lifecycle.visit(store, handled, 5, None, at=AT + timedelta(hours=4), by="lina")
    resolved = store.append(handled, "resolve", at=AT + timedelta(hours=5), by="lina",
                            note="已采纳，下月施工")
    visited = lifecycle.visit(store, resolved, 5, "很满意", at=AT + timedelta(hours=6),
                              by="zhangwei")
    assert visited.status == "closed"
    reopened = lifecycle.reopen(store, visited, "住户说还没装", at=AT + timedelta(hours=7),
                                by="lina")
    assert reopened.status == "open"
    (read_back,) = store.scan(kinds=("suggestion",)).records
    assert read_back.status == "open" and len(read_back.events) == 4


def test_the_worked_example_is_listed_handed_over_and_reported(site, clock):
    """Through the CLI, nothing of it but its module: `suggestion file` files it, list and
    search find it, the handover
    carries it after the readiness problems, the daily report counts it in its own section,
    its column per hour, the overdue alert and "Needs attention"."""
    from tests.conftest import Cli

    cli = Cli(site.root)
    out = ok(cli("suggestion", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                 "13812345678", "--category", "绿化", "--content", "小区东门加装雨棚",
                 "--at", "2026-10-05 09:00"))
    (filed,) = site.store.scan(kinds=("suggestion",)).records
    assert out.strip() == filed.id and filed.get("category") == "greening"
    listed = json.loads(ok(cli("list", "--kind", "suggestion", "--format", "json")))
    assert [row["id"] for row in listed] == [filed.id]
    assert filed.id in ok(cli("search", "雨棚", "--format", "json"))
    ok(cli("handover", "--to", "lina", "--at", "2026-10-05 19:40"))
    (pending,) = json.loads(ok(cli("handover", "pending", "--format", "json")))
    shown = json.loads(ok(cli("handover", "show", pending["id"], "--format", "json")))
    assert [(item["kind"], item["record"]) for item in shown["items"]] == [
        ("suggestion", filed.id)]
    report = json.loads(ok(cli("report", "daily", "--date", "2026-10-05", "--format", "json")))
    mine = report["suggestions"]
    assert (mine["filed"], mine["open"], mine["overdue"]) == (1, 1, 1)
    assert mine["by_category"] == {"greening": 1}
    assert report["per_hour"][9]["suggestions"] == 1
    assert report["alerts"]["overdue"] == 1
    (overdue,) = next(group["items"] for group in report["attention"]
                      if group["group"] == "overdue")
    assert (overdue["kind"], overdue["id"]) == ("suggestion", filed.short_id)
    text = ok(cli("report", "daily", "--date", "2026-10-05"))
    assert "Suggestions" in text and "小区东门加装雨棚" in text


def test_the_worked_example_is_compared_with_the_previous_period(site, clock):
    """Its headline figures (filed, and in a review the median times) stand beside the
    previous period's like a complaint's: fewer or more filed is neither better nor worse
    (its Figures say so), a slower answer is worse."""
    from tests.conftest import Cli

    store = site.store
    before = _file(site, "东门加装雨棚", at=AT - timedelta(days=5))  # the week before
    store.append(before, "handle", at=AT - timedelta(days=5, hours=-1), by="lina")
    for hours in (0, 1):
        filed = _file(site, "西门加装雨棚", at=AT + timedelta(hours=hours))
    store.append(filed, "handle", at=AT + timedelta(hours=4), by="lina")
    cli = Cli(site.root)
    weekly = json.loads(ok(cli("report", "weekly", "--week", "2026-W41", "--format", "json")))
    rows = {row["figure"]: row for row in weekly["comparison"]}
    assert [rows["suggestions_filed"][key] for key in ("this", "previous", "verdict")] == [
        2, 1, "neither"]
    respond = rows["suggestion_respond_median_minutes"]
    assert (respond["this"], respond["previous"], respond["verdict"]) == (180.0, 60.0, "worse")
    assert rows["complaints_filed"]["verdict"] == "same"  # the bundled kinds' rows stay
    text = ok(cli("report", "weekly", "--week", "2026-W41"))
    assert re.search(r"Suggestions filed +2 +1 +▲ \+1\n", text)
    assert re.search(r"Suggestion: median time to respond +3h +1h +▲ \+2h, worse\n", text)
    daily = json.loads(ok(cli("report", "daily", "--date", "2026-10-05", "--format", "json")))
    rows = {row["figure"]: row for row in daily["comparison"]}
    assert [rows["suggestions_open"][key] for key in ("this", "previous", "verdict")] == [
        3, 1, "worse"]


def _markdown_table(text: str, heading: str) -> list[list[str]]:
    """The first table under `## heading` in a markdown report: header, then rows."""
    lines = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0].splitlines()
    rows = [line for line in lines if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows
            if not set(row) <= set("|-: ")]


def test_the_worked_example_has_its_trend_and_its_portfolio_volume(site, clock):
    """A review's trend per day (chart and table) and the portfolio review's volumes give the
    kind its own column after repairs, as they give complaints and repairs."""
    from tests.conftest import Cli

    for hours in (0, 1, 26):
        _file(site, "东门加装雨棚", at=AT + timedelta(hours=hours))
    cli = Cli(site.root)
    review = ok(cli("report", "weekly", "--week", "2026-W41", "--format", "markdown"))
    header, *days = _markdown_table(review, "Trend per day")
    assert header == ["date", "calls", "callbacks promised", "complaints", "repairs",
                      "suggestions", "emergencies", "tickets resolved"]
    column = header.index("suggestions")
    assert [(day[0], day[column]) for day in days[:3]] == [
        ("Mon 10-05", "2"), ("Tue 10-06", "1"), ("Wed 10-07", "0")]
    html = ok(cli("report", "weekly", "--week", "2026-W41", "--format", "html"))
    chart = html.split("Daily volumes", 1)[1].split("</svg>", 1)[0]
    assert "suggestions" in chart
    portfolio = json.loads(ok(cli("report", "portfolio", str(site.root), "--week", "2026-W41",
                                  "--format", "json")))
    (volumes,) = [row["volumes"] for row in portfolio["sites"]]
    assert list(volumes) == ["calls", "complaints_filed", "repairs_filed", "suggestions_filed",
                             "emergencies"]
    assert volumes["suggestions_filed"] == 3
    shown = ok(cli("report", "portfolio", str(site.root), "--week", "2026-W41", "--format",
                   "markdown"))
    header, row = _markdown_table(shown, "Volumes and what needs attention")
    assert header[:7] == ["site", "records", "calls", "complaints", "repairs", "suggestions",
                          "emergencies not under control"]
    assert row[header.index("suggestions")] == "3"


def test_the_worked_example_gets_the_ticket_steps_its_transitions_allow(site, clock):
    """Its whole life through the CLI: handled, resolved, visited, reopened, closed; a step
    its status does not allow is refused (exit 2), a step its kind lacks is no command."""
    from tests.conftest import Cli

    cli = Cli(site.root)
    listing = ok(cli("suggestion", "--help")).split("Commands:")[1]
    commands = [line.split()[0] for line in listing.splitlines()
                if line.startswith("  ") and not line.startswith("   ")]  # not a wrapped line
    assert commands == ["file", "handle", "resolve", "visit", "close",
                        "reopen"]  # no hold, no transfer: it has no such step
    filed = _file(site, "小区东门加装雨棚")
    refused = cli("suggestion", "visit", filed.id, "--satisfaction", "5", "--at",
                  "2026-10-05 09:30")
    assert refused.exit_code == 2 and "only possible when it is resolved" in refused.stderr
    ok(cli("suggestion", "handle", filed.id, "--action", "已转物业经理", "--at",
           "2026-10-05 10:00", "--staff", "lina"))
    handled = site.store.get(filed.id)
    assert (handled.status, records.assignee(handled)) == ("handling", "lina")
    ok(cli("suggestion", "resolve", filed.id, "--result", "已采纳，下月施工", "--at",
           "2026-10-05 11:00"))
    assert site.store.get(filed.id).status == "resolved"
    ok(cli("suggestion", "visit", filed.id, "--satisfaction", "5", "--note", "很满意",
           "--at", "2026-10-05 12:00"))
    visited = site.store.get(filed.id)
    assert visited.status == "closed" and visited.events[-1].data["satisfaction"] == 5
    ok(cli("suggestion", "reopen", filed.id, "--reason", "住户说还没装", "--at",
           "2026-10-05 13:00"))
    ok(cli("suggestion", "close", filed.id, "--as", "withdrawn", "--reason", "住户撤回",
           "--at", "2026-10-05 14:00"))
    assert [event.action for event in site.store.get(filed.id).events] == [
        "handle", "resolve", "visit", "reopen", "close"]
    refused = cli("suggestion", "transfer", filed.id, "--to", "engineering")
    assert refused.exit_code != 0 and site.store.get(filed.id).status == "cancelled"


def test_a_repair_is_not_handled_like_a_complaint(site):
    """The generic steps ask the registry: a repair has no handle or resolve step."""
    from dutyctl.tickets import lifecycle

    repair = records.file_record(site.store, site.config, "repair", resident=RESIDENT,
                                 category=None, content="水龙头漏水", urgency=None, at=AT,
                                 by="zhangwei")
    with pytest.raises(InputError, match="is of kind repair, not complaint or suggestion"):
        lifecycle.handle(site.store, repair, "看过了", at=AT, by="lina")
    with pytest.raises(InputError, match="is of kind repair, not complaint or suggestion"):
        lifecycle.resolve(site.store, repair, "修好了", at=AT, by="lina")


def test_a_call_files_the_worked_example(site, clock):
    """`log call --file-ticket`: a call of category suggestion (建议) files a suggestion."""
    from tests.conftest import Cli

    cli = Cli(site.root)
    out = ok(cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
                 "--category", "建议", "--summary", "东门加装雨棚", "--file-ticket",
                 "--at", "2026-10-05 09:00"))
    (ticket,) = site.store.scan(kinds=("suggestion",)).records
    assert ticket.id in out and ticket.get("content") == "东门加装雨棚"


def test_two_kinds_cannot_mean_different_data_by_one_action(suggestion_kind):
    """Events are read before their record: `close` carries the same data in every kind."""
    from dutyctl.frozen import replace

    other = replace(suggestion_kind, event_data={"close": (("why",), lambda top: None)})
    records.register(other)
    try:
        with pytest.raises(ValueError, match="action 'close' carries other data"):
            records.event_data()
    finally:
        records.register(suggestion_kind)
    assert records.event_data()["close"] is suggestion_kind.event_data["close"]


def test_the_worked_example_checks_its_close_event(suggestion_kind):
    from dutyctl.errors import Problem
    from dutyctl.records import parse_event

    problems: list[Problem] = []
    event = {"id": "01JC0000000000000000000000.01JC0000000000000000000001", "schema": 1,
             "record": "01JC0000000000000000000000", "at": "2026-10-05T10:00:00+08:00",
             "by": "lina", "action": "close", "closed_as": "duplicate"}
    assert parse_event(event, "x.yaml", problems) is None
    assert any("link" in problem.message for problem in problems)


def test_the_worked_example_commands_speak_chinese(site, clock):
    from tests.conftest import Cli

    cli = Cli(site.root)
    shown = ok(cli("--lang", "zh_CN", "suggestion", "--help"))
    assert "一类工单：登记" in shown and "记录回访，工单随之关闭" in shown
    assert "dutyctl.yaml 中的类别（编号或名称）。" in ok(cli("--lang", "zh_CN", "suggestion",
                                                          "file", "--help"))


def test_the_worked_example_steps_say_nothing_of_a_transfer_it_has_not(site, clock):
    """handle and resolve are shared with complaints; a kind without transfer (or without the
    center's remit) is not told about them, in either language."""
    from tests.conftest import Cli

    cli = Cli(site.root)
    for language, words in (("en", ("transfer", "remit")), ("zh_CN", ("转交", "职责范围"))):
        for step in ("handle", "resolve"):
            shown = ok(cli("--lang", language, "suggestion", step, "--help"))
            assert not [word for word in words if word in shown], (language, step, shown)
    complaint = ok(cli("--lang", "zh_CN", "complaint", "resolve", "--help"))
    assert "转交后" in complaint


def test_a_kind_filed_by_its_own_workflow_is_not_filed_through_the_registry(workspace):
    at = datetime(2026, 10, 5, 9, 0, tzinfo=CST)
    with pytest.raises(InputError, match="a handover is not filed this way"):
        records.file_record(workspace.store, workspace.config, "handover", at=at, by="lina")


def test_a_ticket_kind_without_filing_is_refused_clearly(site, suggestion_kind, clock):
    """A ticket kind declaring no `file`: `X file`, `--from-call` and `log call --file-ticket`
    refuse it in one line (exit 2), writing nothing, never a traceback."""
    from dutyctl.frozen import replace
    from tests.conftest import Cli

    records.register(replace(suggestion_kind, file=None))
    cli = Cli(site.root)
    refused = cli("suggestion", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                  "13812345678", "--content", "小区东门加装雨棚", "--at", "2026-10-05 09:00")
    assert (refused.exit_code, refused.stderr.strip()) == (
        2, "a suggestion is not filed this way"), refused.stderr
    refused = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone",
                  "13812345678", "--category", "建议", "--summary", "东门加装雨棚",
                  "--file-ticket", "--at", "2026-10-05 09:00")
    assert refused.exit_code == 2 and "not filed this way" in refused.stderr
    assert "Traceback" not in refused.stderr + refused.stdout
    assert site.store.scan().records == []  # not even the call
    call = ok(cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone",
                  "13812345678", "--category", "建议", "--summary", "东门加装雨棚",
                  "--at", "2026-10-05 09:00")).split()[0]
    refused = cli("suggestion", "file", "--from-call", call, "--at", "2026-10-05 09:10")
    assert refused.exit_code == 2 and "not filed this way" in refused.stderr
    (only,) = site.store.scan().records
    assert only.kind == "call" and not only.events
