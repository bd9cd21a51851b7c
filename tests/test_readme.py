"""The README's `sh` blocks run as shown on a copy of the bundled workspace (this repository
is one): every `dutyctl` line exits 0 (or the `# exit N` its comment names) and prints what
its `# stderr:` lines say. A block that also needs other tools (installing, git, the
developer's python and benchmark lines, a git hook) is left to the reader. Syntax
summaries and sample output use `text` blocks. Bash runs the lines; each `dutyctl` in them runs
through the console script's entry point in a fork of the test process (tests/entrypoint.py;
tests/test_entrypoint.py shows a fork says what the installed program says). Each sample
screen shown as typed (a `text` block starting `$ dutyctl `) is replayed on a copy of the
bundled workspace with the clock set: each line is the program's, a line `…` standing for
lines left out (the Chinese manual's, mostly screens of its own sh lines: test_readme_zh)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.entrypoint import run_shell

REPO = Path(__file__).resolve().parent.parent
WORKSPACE_PARTS = ("dutyctl.yaml", "rosters", "records", "examples")
RUNNABLE = re.compile(r"^(dutyctl |export DUTYCTL_|[A-Z_]+=\$\(dutyctl )")


def sh_blocks(text: str) -> list[tuple[int, list[str]]]:
    """(line number, lines) of each ```sh block, continuation lines joined."""
    blocks, current, start = [], None, 0
    for number, line in enumerate(text.splitlines(), 1):
        if current is None and line.strip() == "```sh":
            current, start = [], number
        elif current is not None and line.startswith("```"):
            blocks.append((start, current))
            current = None
        elif current is not None:
            if current and current[-1].endswith("\\"):
                current[-1] = current[-1][:-1] + " " + line.strip()
            else:
                current.append(line)
    return blocks


def steps(lines: list[str]) -> list[dict]:
    """Each runnable line with its expected exit code and the stderr lines that follow it;
    nothing for a block that also needs other tools (git, pip, python): the reader runs it."""
    if any(line.strip() and not line.lstrip().startswith("#") and not RUNNABLE.match(line)
           for line in lines):
        return []
    found = []
    for line in lines:
        if line.startswith("# stderr: ") and found:
            found[-1]["stderr"].append(line[len("# stderr: "):])
        elif RUNNABLE.match(line):
            code = re.search(r"#.*\bexit (\d)\s*$", line)  # a comment ending "exit 1"
            found.append({"line": line, "exit": int(code[1]) if code else 0, "stderr": []})
    return found


BLOCKS = [(start, steps(lines)) for start, lines in sh_blocks((REPO / "README.md").read_text(
    encoding="utf-8"))]
BLOCKS = [(start, found) for start, found in BLOCKS if found]


def test_the_readme_has_runnable_blocks_with_expected_output():
    assert len(BLOCKS) >= 6
    assert any(step["stderr"] for _, found in BLOCKS for step in found)


def workspace_copy(site: Path, examples: bool = True) -> None:
    """A copy of the bundled workspace at `site` (the demo sites' 878 files when asked)."""
    site.mkdir()
    for part in WORKSPACE_PARTS if examples else WORKSPACE_PARTS[:-1]:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, site / part)
        else:
            shutil.copy(source, site / part)


# "now" for the manuals' lines: after the last time they record, within the bundled rosters
# (a line without --at acts now: the clerk on duty then, a time in the future refused)
MANUAL_NOW = "2026-12-01T10:00:00+08:00"


def manual_environment(**values: str) -> dict[str, str]:
    """The test's environment without any DUTYCTL_ setting, the installed `dutyctl` first on
    PATH, the clock at MANUAL_NOW (tests/fixed_clock, in a fork as in a new process: never
    the day the suite runs), and `values`."""
    from tests.entrypoint import FIXED_CLOCK

    env = {key: value for key, value in os.environ.items() if not key.startswith("DUTYCTL_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (FIXED_CLOCK, env.get("PYTHONPATH"))))
    env["DUTYCTL_TEST_NOW"] = MANUAL_NOW
    env.update(values)
    return env


def run_steps(found: list[dict], site: Path, scratch: Path, env: dict[str, str],
              forked=run_shell) -> list[tuple[int, str, str]]:
    """(exit code, stdout, stderr) of each step, run in order in one bash in `site`: each
    `dutyctl` through the console script's entry point in a fork of this process
    (tests/entrypoint.py `run_shell`, or `forked` if another), not a new Python each; the
    installed program when `forked` is None."""
    script = []
    for number, step in enumerate(found):
        # a group, not a subshell: an assignment ("REPAIR=$(...)") carries to later lines;
        # the line on its own: a trailing comment must not swallow the closing brace
        script.append(f"{{\n{step['line']}\n}} >{scratch}/out{number} "
                      f"2>{scratch}/err{number}; echo $? >{scratch}/rc{number}")
    if forked:
        shell = forked("\n".join(script), cwd=site, env=env)
    else:
        shell = subprocess.run(["bash", "-c", "\n".join(script)], cwd=site, env=env,
                               stdin=subprocess.DEVNULL, capture_output=True, text=True,
                               timeout=600)
    assert shell.returncode == 0, shell.stderr
    return [(int((scratch / f"rc{number}").read_text()),
             (scratch / f"out{number}").read_text(encoding="utf-8"),
             (scratch / f"err{number}").read_text(encoding="utf-8"))
            for number in range(len(found))]


@pytest.mark.parametrize("start,found", BLOCKS, ids=[f"README.md:{start}" for start, _ in BLOCKS])
def test_readme_block_runs_as_shown(tmp_path, start, found):
    site = tmp_path / "site"
    workspace_copy(site, examples=any("examples" in step["line"] for step in found))
    # the manual shows the English messages
    ran = run_steps(found, site, tmp_path, manual_environment(DUTYCTL_LANG="en"))
    for step, (code, _, stderr) in zip(found, ran, strict=True):
        where = f"README.md:{start}: {step['line']}"
        assert "Traceback" not in stderr, f"{where}\n{stderr}"
        assert code == step["exit"], f"{where}: exit {code}\n{stderr}"
        for expected in step["stderr"]:
            assert expected in stderr, f"{where}: stderr lacks {expected!r}:\n{stderr}"


# A record id, or the 12 characters shown of it: new ones each run.
RECORD_ID = re.compile(r"\b01[0-9A-HJKMNP-TV-Z]{10,24}\b")
ELIDED = "…"  # a line of its own in a sample: lines left out


def transcripts(manual: str) -> list[tuple[int, list[tuple[str, list[str]]]]]:
    """(line number, [(command, the lines it printed)]) of each `text` block that starts with a
    command as typed ("$ dutyctl ...") and shows what each command printed; blank lines that
    end a command's output only part it from the next command."""
    found, current, start = [], None, 0
    for number, line in enumerate((REPO / manual).read_text(encoding="utf-8").splitlines(), 1):
        if current is None and line.strip() == "```text":
            current, start = [], number
        elif current is not None and line.startswith("```"):
            if current:
                found.append((start, [(command, _trimmed(lines)) for command, lines in current]))
            current = None
        elif current is not None and line.startswith("$ dutyctl "):
            current.append((line[len("$ "):], []))
        elif current:
            current[-1][1].append(line)
        elif current is not None:  # a sample that does not start with a command
            current = None
    return found


def _trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def assert_same_screen(shown: list[str], printed: list[str], where: str) -> None:
    """`printed` is what the sample `shown` says, record ids aside and a line `…` standing for
    any number of lines."""
    shown = [RECORD_ID.sub("<id>", line) for line in shown]
    printed = [RECORD_ID.sub("<id>", line) for line in _trimmed(printed)]
    pattern = "".join(r"(?:[^\n]*\n)*?" if line == ELIDED else re.escape(line) + "\n"
                      for line in shown)
    if not re.fullmatch(pattern, "".join(line + "\n" for line in printed)):
        assert "\n".join(shown) == "\n".join(printed), where


# Samples from another site: the bundled dutyctl.yaml has no `rooms:` scheme.
OTHER_SITES = ("dutyctl log call --name 张三 --room 3栋2单元503",)
# The night call-out sample (both manuals): a night already past on the bundled roster (a time
# recorded may not be in the future), replayed the morning after, its repair filed first.
CALL_OUT = ("dutyctl repair dispatch ", "dutyctl 报修 派工 ")  # (the Chinese manual: its name)
SAMPLE_ID = "01M8"  # the repair as the sample types it (a prefix of its id)
SAMPLES = [("README.md", "en", start, commands) for start, commands in transcripts("README.md")
           if not commands[0][0].startswith(OTHER_SITES)] + [
    # the Chinese manual's other samples are screens of its sh lines: tests/test_readme_zh.py
    ("README.zh-CN.md", "zh_CN", start, commands)
    for start, commands in transcripts("README.zh-CN.md")
    if commands[0][0].startswith(CALL_OUT)]


def test_both_manuals_show_sample_screens():
    assert {manual for manual, *_ in SAMPLES} == {"README.md", "README.zh-CN.md"}
    assert sum(len(commands) for *_, commands in SAMPLES) >= 7


def file_the_call_out_repair(cli, env: dict) -> str:
    filed = cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                "13900001111", "--category", "水电", "--content", "厨房水管爆管，跑水",
                "--at", "2026-11-30 20:02", env=env)
    assert filed.exit_code == 0, filed.stderr
    return filed.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("manual,language,start,commands", SAMPLES,
                         ids=[f"{manual}:{start}" for manual, _, start, _ in SAMPLES])
def test_a_sample_screen_is_what_the_program_prints(tmp_path, clock, manual, language, start,
                                                    commands):
    """On a copy of the bundled workspace with the clock set (the samples name their times:
    the morning of 30 November, the call-out's the morning after), each command prints the
    lines shown (stdout, then stderr)."""
    from tests.conftest import Cli

    site = tmp_path / "site"
    workspace_copy(site, examples=False)
    cli, env = Cli(site), {"DUTYCTL_LANG": language, "COLUMNS": "100"}
    night = commands[0][0].startswith(CALL_OUT)
    clock.set("2026-12-01T07:00:00+08:00" if night else "2026-11-30T09:00:00+08:00")
    typed = {SAMPLE_ID: file_the_call_out_repair(cli, env)} if night else {}
    for command, shown in commands:
        done = cli(*[typed.get(arg, arg) for arg in shlex.split(command)[1:]], env=env)
        assert done.exception is None or isinstance(done.exception, SystemExit), done.stderr
        assert_same_screen(shown, done.stdout.splitlines() + done.stderr.splitlines(),
                           f"{manual}:{start}: {command}")
