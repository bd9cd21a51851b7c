"""The weekly and monthly reviews read through the record index exactly what a scan of the
files gives: on generated data over several months, the whole report (every figure, list
and the comparison with the previous period) is the same either way, for finished periods
and for the one still running."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from dutyctl.names import Names
from dutyctl.reports import build
from dutyctl.reports.period import month_period, week_period
from dutyctl.workspace import Workspace
from tests.helpers_desk import ok_text as ok
from tests.helpers_foundation import files_store

FIRST, LAST = date(2026, 8, 20), date(2026, 10, 12)
NOW = datetime(2026, 10, 12, 9, 30, tzinfo=timezone(timedelta(hours=8)))  # the clock fixture's


@pytest.fixture(scope="module")
def months(tmp_path_factory) -> Workspace:
    """Seven and a half weeks of desk records (calls, tickets, duties, handovers...) from
    2026-08-20 to 2026-10-12, and their rosters."""
    from benchmarks.workspace_gen import generate

    root = tmp_path_factory.mktemp("months") / "site"
    generate(root, FIRST, LAST, per_day=12)
    return Workspace(root.resolve())


@pytest.fixture(scope="module")
def from_files(months) -> Workspace:
    """The same workspace whose store has no state folder: every question scans the files.
    Each day folder is parsed once (the tests only read), so a question costs its own logic."""
    scanning = Workspace(months.root)
    scanning.__dict__["store"] = files_store(scanning)
    return scanning


PERIODS = [month_period(date(2026, 8, 1), NOW.tzinfo), month_period(date(2026, 9, 1), NOW.tzinfo),
           month_period(date(2026, 10, 1), NOW.tzinfo),
           *(week_period(date(2026, 8, 17) + timedelta(weeks=week), NOW.tzinfo)
             for week in range(9))]


@pytest.mark.parametrize("period", PERIODS, ids=lambda period: period.label)
def test_a_review_from_the_index_is_the_review_from_the_files(months, from_files, period):
    indexed = build.review(months, period, NOW)
    scanned = build.review(from_files, period, NOW)
    assert indexed.data["report"]["records_read"] > 0
    assert indexed.data == scanned.data
    assert indexed.problems == scanned.problems


def test_the_monthly_command_prints_the_review_from_the_files(months, from_files, cli_at):
    """Through the CLI (index) against the same review rendered from a scan of the files."""
    from dutyctl.cli.reports import _render_report

    shown = ok(cli_at(months.root, "report", "monthly", "--month", "2026-09", "--format",
                      "json"))
    scanned = build.review(from_files, PERIODS[1], NOW)
    expected = _render_report(scanned, "json", Names.of(months), colour=False)
    assert json.loads(shown) == json.loads(expected)
    assert json.loads(shown)["previous"]["records_read"] > 0  # August was compared with


@pytest.fixture
def cli_at(clock):
    """The CLI on another workspace than the test's own, at the clock fixture's instant."""
    from tests.conftest import Cli

    assert clock() == NOW
    return lambda root, *args: Cli(root)(*args)
