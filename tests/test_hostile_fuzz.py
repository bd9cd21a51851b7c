"""Generated YAML and bytes thrown at the record, event, rules and config readers: nothing
escapes but path:line problems, in bounded time and memory. A fixed budget, derandomized, so
CI runs the same few hundred inputs in seconds."""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dutyctl.store import yamlio
from dutyctl.config import parse_config
from dutyctl.errors import DutyError, Problem
from dutyctl.records import parse_event, parse_record
from dutyctl.roster.rules import parse_rules

FOLDER = tempfile.TemporaryDirectory()  # one file, rewritten per example
BUDGET = settings(max_examples=150, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))

KEYS = st.sampled_from(["id", "kind", "schema", "created_at", "recorded_by", "record", "at",
                        "by", "action", "note", "resident", "summary", "category", "site",
                        "timezone", "shifts", "staff", "name", "start", "end", "need",
                        "calendar", "&a x", "*a", "<<", "? ", "\x1b", "\u202e"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=20), st.sampled_from(["*a", "&a", "!!binary x", "17:00",
                                                          "2026-02-30", "'", '"', "|", "- "]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=12)
LINES = st.lists(st.one_of(st.builds(lambda key, value: f"{key}: {value}", KEYS, SCALARS),
                           st.builds(lambda value: f"  - {value}", SCALARS), st.text(max_size=30)),
                 max_size=12).map("\n".join)


def read_all(text: str) -> list[Problem]:
    """Every reader over one document; the problems found (raising only DutyError)."""
    problems: list[Problem] = []
    try:
        data = yamlio.loads(text, "x.yaml")
    except DutyError as exc:
        return [exc.problem]
    parse_record(data, "x.yaml", None, problems)
    parse_event(data, "x.yaml", problems)
    problems += parse_config(data, "x.yaml")[1]
    problems += parse_rules(data, "x.yaml")[1]
    return problems


def assert_bounded(text: str) -> None:
    started = time.process_time()
    problems = read_all(text)
    assert time.process_time() - started < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 2_000_000  # kB
    for problem in problems:
        assert isinstance(problem, Problem) and str(problem).startswith("x.yaml"), problem
        assert problem.line is None or problem.line >= 0  # 0: the file as a whole


@BUDGET
@given(LINES)
def test_generated_yaml_lines(text):
    assert_bounded(text)


@BUDGET
@given(VALUES)
def test_generated_documents(value):
    assert_bounded(yamlio.dumps(value) if not isinstance(value, str) else value)


@BUDGET
@given(st.binary(max_size=200))
def test_generated_bytes(data):
    path = Path(FOLDER.name) / "x.yaml"
    path.write_bytes(data)
    try:
        text = yamlio.read_text(path, "x.yaml")
    except DutyError as exc:
        assert exc.problem.path == "x.yaml"
        return
    assert_bounded(text)
