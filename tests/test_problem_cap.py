"""One rule caps a file's problems (errors.cap_problems, MAX_PROBLEMS_PER_FILE): applied while
reading, so that a hostile file costs a bounded memory, and again where lists read apart are
said together, so that the cap and its 'and N more' line stay right after merging and
sorting."""

from __future__ import annotations

import json

from dutyctl import errors
from dutyctl.errors import Problem
from tests.helpers_foundation import call_flags, record_files

CAP = errors.MAX_PROBLEMS_PER_FILE


def test_a_list_capped_while_read_stays_capped_once_sorted_and_merged():
    read = [Problem("a.yaml", number, "junk") for number in range(1, 101)]
    errors.cap_problems(read)  # as the store caps a file while reading it
    other = [Problem("a.yaml", 200, "said by another pass"), Problem("b.yaml", 3, "x")]
    said = errors.by_file(read + other)
    mine = [problem for problem in said if problem.path == "a.yaml"]
    assert mine[:CAP] == read[:CAP]  # by line, the "and N more" line not among them
    assert mine[CAP].finding == {"rule": errors.MORE_PROBLEMS, "count": 100 - CAP + 1}
    assert len(mine) == CAP + 1 and said[-1] == other[1]
    assert errors.problem_count(said) == 102
    assert errors.by_file(said) == said


def test_a_report_says_a_hostile_file_s_problems_in_order_once_capped(cli, workspace):
    logged = cli(*call_flags("张三", "3-2-501", "13812345678", "漏水", "--at",
                             "2026-10-12 09:30"))
    record_id = logged.stdout.strip().splitlines()[0]
    (path,) = [path for path in record_files(workspace.root) if path.stem == record_id]
    path.write_text(path.read_text(encoding="utf-8")
                    + "".join(f"junk{number}: x\n" for number in range(80)), encoding="utf-8")
    report = cli("report", "daily", "--date", "2026-10-12", "--format", "json")
    assert report.exit_code == 0, report.stderr
    lines = [line for line in json.loads(report.stdout)["skipped"] if record_id in line]
    assert len(lines) == CAP + 1, lines
    assert ": junk0: " in lines[0] and lines[-1].endswith(
        f"and {80 - CAP} more problems in this file"), lines
    text = cli("report", "daily", "--date", "2026-10-12").stdout.splitlines()
    said = [line for line in text if record_id in line]
    assert said[-1].endswith(f"and {80 - CAP} more problems in this file"), said
