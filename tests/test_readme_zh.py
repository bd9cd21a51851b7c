"""README.zh-CN.md, the Chinese manual, runs as shown: its `sh` blocks are one shift and one
supervisor's morning, run in order on a copy of the bundled workspace in one shell (ids kept
in variables such as "$REPAIR" carry from block to block), in the language the workspace
chooses (DUTYCTL_LANG unset: site.language zh_CN). Every `dutyctl` line exits 0 (or the
`# exit N` its comment names) and prints what its `# stdout:` and `# stderr:` lines say; a
sample screen (a `text` block starting `$ dutyctl `) of one of those lines is what that line
printed, line for line (record ids aside; the night call-out sample has its own test). A
block that also needs other tools (the install block: python, pip) is left to the reader.
Parsed and run as tests/test_readme.py parses and runs README.md (each `dutyctl` in a fork of
the test process), plus `# stdout:` and one shared shell."""

from __future__ import annotations

import re
import shlex

from tests.test_readme import (CALL_OUT, REPO, RUNNABLE, assert_same_screen, manual_environment,
                               run_steps, sh_blocks, transcripts, workspace_copy)

MANUAL = "README.zh-CN.md"


def steps(lines: list[str]) -> list[dict]:
    """Each runnable line with its expected exit code and the stdout/stderr lines that follow it;
    nothing for a block that also needs other tools: the reader runs it."""
    if any(line.strip() and not line.lstrip().startswith("#") and not RUNNABLE.match(line)
           for line in lines):
        return []
    found = []
    for line in lines:
        stream = re.match(r"# (stdout|stderr): ", line)
        if stream and found:
            found[-1][stream[1]].append(line[stream.end():])
        elif RUNNABLE.match(line):
            code = re.search(r"#.*\bexit (\d)\s*$", line)  # a comment ending "exit 1"
            found.append({"line": line, "exit": int(code[1]) if code else 0,
                          "stdout": [], "stderr": []})
    return found


def printed_in(expected: str, output: str) -> bool:
    """The line the manual shows is in the output, `…` standing for what differs from run to
    run (a record's id) or is left out."""
    return re.search(".*?".join(map(re.escape, expected.split("…"))), output) is not None


def manual_steps() -> list[dict]:
    text = (REPO / MANUAL).read_text(encoding="utf-8")
    return [dict(step, block=start) for start, lines in sh_blocks(text) for step in steps(lines)]


def test_the_readme_links_the_chinese_manual_from_its_top():
    head = (REPO / "README.md").read_text(encoding="utf-8").splitlines()[:3]
    assert f"中文手册：[{MANUAL}]({MANUAL})" in head


def test_the_manual_installs_with_the_readme_commands():
    """The manual's first block runs the README's two set-up commands, word for word (its
    comments in Chinese)."""
    def commands(block: list[str]) -> list[str]:
        return [line for line in block if not line.startswith("#")]

    readme = dict(sh_blocks((REPO / "README.md").read_text(encoding="utf-8")))
    manual = dict(sh_blocks((REPO / MANUAL).read_text(encoding="utf-8")))
    install = commands(next(iter(readme.values())))
    assert len(install) == 2
    assert commands(next(iter(manual.values()))) == install


def test_the_chinese_manual_runs_as_shown(tmp_path):
    found = manual_steps()
    assert len(found) >= 25 and sum(bool(step["stdout"] + step["stderr"]) for step in found) >= 6
    site = tmp_path / "site"
    workspace_copy(site)
    ran = run_steps(found, site, tmp_path, manual_environment(COLUMNS="100"))
    for step, (code, stdout, stderr) in zip(found, ran, strict=True):
        where = f"{MANUAL}:{step['block']}: {step['line']}"
        assert "Traceback" not in stderr, f"{where}\n{stderr}"
        assert code == step["exit"], f"{where}: exit {code}\n{stderr}"
        for expected in step["stderr"]:
            assert printed_in(expected, stderr), f"{where}: stderr lacks {expected!r}:\n{stderr}"
        for expected in step["stdout"]:
            assert printed_in(expected, stdout), f"{where}: stdout lacks {expected!r}:\n{stdout}"
    screens = [(start, command, shown) for start, commands in transcripts(MANUAL)
               if not commands[0][0].startswith(CALL_OUT) for command, shown in commands]
    assert len(screens) >= 5
    for start, command, shown in screens:
        printed = next((stdout.splitlines() + stderr.splitlines()
                        for step, (_, stdout, stderr) in zip(found, ran, strict=True)
                        if shlex.split(step["line"], comments=True) == shlex.split(command)),
                       None)
        assert printed is not None, f"{MANUAL}:{start}: {command} is no line of an sh block"
        assert_same_screen(shown, printed, f"{MANUAL}:{start}: {command}")
