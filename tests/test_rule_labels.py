"""Screens name a hard rule by its label (休息不足), never by its YAML key alone
(min_rest_hours): tables and generate's reasons by the label only, a finding of a check with
the rules.yaml key once in brackets (where a supervisor would change it); json keeps the key."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from dutyctl.people import staff_ids
from dutyctl.roster.rules import LIMIT_FIELDS, RULE_LABELS, rule_label
from dutyctl.roster.timeline import Conflict
from tests.helpers_roster import rules_text, write_rules

ZH_LABELS = {"min_rest_hours": "休息不足", "max_hours_per_week": "周工时超限",
             "max_consecutive_days": "连续上班天数超限", "roles": "岗位不符", "leave": "请假",
             "on_shift": "已在本班次"}
#: Any rule key as it is written in the rules file or the roster file.
ANY_KEY = re.compile(r"\b(" + "|".join(sorted(RULE_LABELS, key=len, reverse=True)) + r")\b")
SNAKE_KEY = re.compile(r"\b(" + "|".join(LIMIT_FIELDS) + r")\b")


def _zh(cli, *args: str):
    return cli(*args, env={"DUTYCTL_LANG": "zh_CN"})


@pytest.fixture
def december(cli):
    result = cli("roster", "generate", "--month", "2026-12")
    assert result.exit_code == 0, result.stderr


def test_every_rule_a_check_can_name_has_a_chinese_label(monkeypatch):
    named = {conflict_rule for conflict_rule in LIMIT_FIELDS} | {
        "overlap", "roles", "leave", "active", "busy", "on_shift"}
    assert named <= set(RULE_LABELS)
    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    labels = {key: rule_label(key) for key in RULE_LABELS}
    assert not [label for label in labels.values() if re.search(r"[A-Za-z_]", label)]
    assert len(set(labels.values())) == len(labels)  # no two rules read alike
    assert {key: labels[key] for key in ZH_LABELS} == ZH_LABELS
    assert rule_label("a_newer_rule") == "a_newer_rule"  # unknown: as the file has it


def test_a_break_is_described_without_its_key(monkeypatch):
    from dutyctl.roster.rules import Limits

    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    for rule in ("overlap", *LIMIT_FIELDS):
        monday = date(2026, 12, 21).toordinal()  # a week over its hours names its Monday
        described = Conflict(rule, None, 3, monday).describe(Limits(), lambda work: "12-24 白班")
        assert not ANY_KEY.search(described), described


def test_explain_shows_labels_and_json_keeps_the_keys(december, cli):
    zh = _zh(cli, "roster", "explain", "2026-12-11", "night")
    assert zh.exit_code == 0, zh.stderr
    assert not ANY_KEY.search(zh.stdout), zh.stdout
    assert "请假" in zh.stdout and "岗位不符" in zh.stdout
    assert "规则" in zh.stdout.splitlines()[1]  # the column is there, holding labels
    en = cli("roster", "explain", "2026-12-11", "night")
    assert not SNAKE_KEY.search(en.stdout) and "wrong role" in en.stdout
    places = json.loads(_zh(cli, "roster", "explain", "2026-12-11", "night", "-f",
                            "json").stdout)
    candidates = [c for place in places for c in place["candidates"]]
    lina = next(c for c in candidates if c["staff"] == "lina")
    assert (lina["rule"], lina["rule_name"]) == ("leave", "请假")
    assert list(lina) == ["staff", "name", "verdict", "rule", "rule_name", "detail", "cost"]
    assert {c["rule_name"] for c in candidates if not c["rule"]} == {""}
    assert {c["rule"] for c in candidates if c["verdict"] == "excluded"} <= set(RULE_LABELS)
    assert not [c["detail"] for c in candidates if ANY_KEY.search(c["detail"])]


def test_check_of_a_hand_edit_names_the_rule_by_its_label(december, cli, workspace):
    path = workspace.rosters_dir / "2026-12.yaml"
    text = path.read_text(encoding="utf-8")
    night = next(line for line in text.splitlines()
                 if '"2026-12-11", shift: night, role: service' in line)
    # a technician on a service place, next to their day shift: wrong role and too little rest
    day = next(line for line in text.splitlines()
               if '"2026-12-11", shift: day, role: technician' in line)
    technician = day.rsplit("staff: ", 1)[1].rstrip("}")
    path.write_text(text.replace(night, night[:night.index("staff: ")]
                                 + f"staff: {technician}}}"), encoding="utf-8")
    zh = _zh(cli, "roster", "check")
    assert zh.exit_code == 1
    name = staff_ids(workspace)[technician]
    found = [line for line in zh.stdout.splitlines() if f"12月11日 周五 夜班 {name}：" in line]
    assert any("岗位不符（岗位），不具备客服专员岗位" in line for line in found), found
    assert any("休息不足（最少休息小时），与 12月11日 周五 白班 之间仅休息 0 小时，至少需要 12 小时"
               in line for line in found), found
    for line in zh.stdout.splitlines() + _zh(cli, "check").stdout.splitlines():
        # a key at most once, in brackets right after its label: never alone, never twice
        bracketed = re.findall(r"([^\s（：，]+)（([a-z_]+)）", line)
        assert len(bracketed) <= 1, line
        assert [(ZH_LABELS.get(key, label), key) for label, key in bracketed] == bracketed, line
        assert not ANY_KEY.search(re.sub(r"（[a-z_]+）|\([a-z]+\)", "", line)), line
    en = cli("roster", "check")
    assert "too little rest (min_rest_hours): 0h rest next to Fri 12-11 白班, needs 12h" \
        in en.stdout
    assert not re.search(r"(^|: )(min_rest_hours|roles):", en.stdout, re.M)
    findings = json.loads(cli("roster", "check", "-f", "json").stdout)
    assert [f for f in findings if "(min_rest_hours)" in f["message"]]
    explained = _zh(cli, "roster", "explain", "2026-12-11", "night").stdout
    assert ("排在此处不符合硬性规则：岗位不符（排班表生成后规则改过、前后有强制的顶班或换班，或排班表被手工修改）：可用 "
            "'dutyctl 排班 顶班' 改由别人上这个班") in explained, explained
    assert not ANY_KEY.search(explained)


def test_generate_says_what_blocked_each_unfilled_place_in_labels(cli, workspace):
    shifts = '- {id: day, name: 白班, start: "08:00", end: "20:00", need: {technician: 1}}\n'
    staff = '- {id: t1, name: 维修一, roles: [technician], leave: ["2026-12-02"]}\n'
    write_rules(workspace, rules_text(shifts, staff, "max_consecutive_days: 3\n"))
    zh = _zh(cli, "roster", "generate", "--from", "2026-12-01", "--to", "2026-12-08")
    assert zh.exit_code == 1
    unfilled = [line for line in zh.stderr.splitlines() if "缺人" in line]
    assert unfilled and all(line.endswith(("维修一：请假", "维修一：连续上班天数超限"))
                            for line in unfilled), unfilled
    assert not ANY_KEY.search(zh.stderr), zh.stderr
    checked = _zh(cli, "roster", "check", "-f", "json")
    blocked = [f["finding"]["blocked"] for f in json.loads(checked.stdout)
               if f.get("finding", {}).get("rule") == "coverage"]
    assert {"t1": "leave"} in blocked and {"t1": "max_consecutive_days"} in blocked
