"""Hand-written roster files for the shift-desk tests (format fixed by the roster contract)."""

from __future__ import annotations

import subprocess
from pathlib import Path

RULES = """\
timezone: Asia/Shanghai
shifts:
  - {id: day, name: 白班, start: "08:00", end: "20:00", days: daily, need: {service: 1}}
  - {id: night, name: 夜班, start: "20:00", end: "08:00", days: daily, need: {service: 1}}
staff:
  - {id: zhangwei, name: 张伟, roles: [service, supervisor]}
  - {id: lina, name: 李娜, roles: [service]}
  - {id: sunli, name: 孙丽, roles: [service]}
  - {id: wangqiang, name: 王强, roles: [technician]}
"""

# October 2026: day 08:00-20:00, night 20:00-08:00 (crosses midnight), all service.
OCTOBER = [
    ("2026-10-05", "day", "zhangwei"),
    ("2026-10-05", "night", "lina"),
    ("2026-10-06", "day", "sunli"),
    ("2026-10-06", "night", "zhangwei"),
    ("2026-10-31", "night", "lina"),  # ends 2026-11-01 08:00: still October's
]


def write_desk_rules(root: Path) -> None:
    (root / "rosters" / "rules.yaml").write_text(RULES, encoding="utf-8")


def write_roster(root: Path, first: str, last: str, rows, name: str | None = None, *,
                 generated_at: str = "2026-09-26T15:00:00+08:00",
                 rules_sha256: str | None = None, overrides=(), unfilled=()) -> Path:
    """rosters/<name or first's month>.yaml, a roster in the contract's format, generated at
    `generated_at` (from the rules of `rules_sha256`: none said unless given). rows: (date,
    shift, staff) or (date, shift, staff, role); `overrides`, `unfilled`: their entries, each
    a YAML flow mapping as written."""
    sha = f', rules_sha256: "{rules_sha256}"' if rules_sha256 is not None else ""
    lines = [f'period: {{from: "{first}", to: "{last}"}}',
             f'generated: {{at: "{generated_at}", seed: 0{sha}}}',
             "assignments:"]
    for row in rows:
        day, shift, staff, role = (*row, "service")[:4]
        lines.append(f'  - {{date: "{day}", shift: {shift}, role: {role}, staff: {staff}}}')
    for key, entries in (("overrides", overrides), ("unfilled", unfilled)):
        lines += [f"{key}:", *(f"  - {entry}" for entry in entries)] if entries else [f"{key}: []"]
    lines += ["stats: {}", ""]
    path = root / "rosters" / f"{name or first[:7]}.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def october_site(root: Path) -> Path:
    write_desk_rules(root)
    return write_roster(root, "2026-10-01", "2026-10-31", OCTOBER)


def day_clerk_gone_home(cli, day: str) -> None:
    """张伟 clocked in for the day of `day` (YYYY-MM-DD) at 07:55, 李娜 for the night at 19:50,
    and 张伟 clocked out at 20:05 without a handover (gone home; 李娜 on duty)."""
    for args in (("clock", "in", "--staff", "zhangwei", "--at", f"{day} 07:55"),
                 ("clock", "in", "--staff", "lina", "--at", f"{day} 19:50"),
                 ("clock", "out", "--staff", "zhangwei", "--at", f"{day} 20:05",
                  "--no-handover", "--reason", "补记")):
        done = cli(*args)
        assert done.exit_code == 0, done.stderr


def record_files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in (root / "records").rglob("*.yaml"))


def git_head(root: Path) -> str:
    done = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                          text=True)
    return done.stdout.strip()


def printed_ids(output: str) -> list[str]:
    """The ids a command printed (CliRunner also echoes typed input to stdout)."""
    return [word for word in output.split() if len(word) == 26 and word.isalnum()]


def ok(result):
    """`result` of a command that must have succeeded (its output shown when it did not)."""
    assert result.exit_code == 0, result.stdout + result.stderr
    return result


def ok_text(result) -> str:
    """What a command that must have succeeded printed (stdout, stripped)."""
    return ok(result).stdout.strip()


def resolved_complaint(cli, filed: str, resolved: str) -> str:
    """A noise complaint at 3-2-501 filed and resolved at those times (`--at`): its id."""
    made = cli("complaint", "file", "--name", "张三", "--room", "3-2-501", "--phone",
               "13812345678", "--category", "noise", "--content", "楼上装修噪音", "--at", filed)
    assert made.exit_code == 0, made.stderr
    complaint = made.stdout.split()[-1]
    done = cli("complaint", "resolve", complaint, "--result", "已协调", "--at", resolved)
    assert done.exit_code == 0, done.stderr
    return complaint
