"""README.zh-CN.md, the Chinese manual, runs as shown: its `sh` blocks are one shift and one
supervisor's morning, run in order on a copy of the bundled workspace in one shell (ids kept
in variables such as "$REPAIR" carry from block to block), in the language the workspace
chooses (DUTYCTL_LANG unset: site.language zh_CN). Every `dutyctl` line exits 0 (or the
`# exit N` its comment names) and prints what its `# stdout:` and `# stderr:` lines say. A block that also
needs other tools (the install block: python, pip) is left to the reader."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MANUAL = "README.zh-CN.md"
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


def manual_steps() -> list[dict]:
    text = (REPO / MANUAL).read_text(encoding="utf-8")
    return [dict(step, block=start) for start, lines in sh_blocks(text) for step in steps(lines)]


def workspace_copy(site: Path) -> None:
    site.mkdir()
    for part in WORKSPACE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, site / part)
        else:
            shutil.copy(source, site / part)


def test_the_readme_links_the_chinese_manual_from_its_top():
    head = (REPO / "README.md").read_text(encoding="utf-8").splitlines()[:3]
    assert f"中文手册：[{MANUAL}]({MANUAL})" in head


def test_the_manual_installs_with_the_readme_commands():
    readme = dict(sh_blocks((REPO / "README.md").read_text(encoding="utf-8")))
    manual = dict(sh_blocks((REPO / MANUAL).read_text(encoding="utf-8")))
    install = next(iter(readme.values()))
    assert install in manual.values()


def test_the_chinese_manual_runs_as_shown(tmp_path):
    found = manual_steps()
    assert len(found) >= 25 and sum(bool(step["stdout"] + step["stderr"]) for step in found) >= 6
    site = tmp_path / "site"
    workspace_copy(site)
    script = []
    for number, step in enumerate(found):
        # a group, not a subshell: an assignment ("REPAIR=$(...)") carries to later lines
        script.append(f"{{\n{step['line']}\n}} >{tmp_path}/out{number} "
                      f"2>{tmp_path}/err{number}; echo $? >{tmp_path}/rc{number}")
    env = {key: value for key, value in os.environ.items() if not key.startswith("DUTYCTL_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    subprocess.run(["bash", "-c", "\n".join(script)], cwd=site, env=env, check=True,
                   stdin=subprocess.DEVNULL, timeout=600)
    for number, step in enumerate(found):
        code = int((tmp_path / f"rc{number}").read_text())
        stderr = (tmp_path / f"err{number}").read_text(encoding="utf-8")
        stdout = (tmp_path / f"out{number}").read_text(encoding="utf-8")
        where = f"{MANUAL}:{step['block']}: {step['line']}"
        assert "Traceback" not in stderr, f"{where}\n{stderr}"
        assert code == step["exit"], f"{where}: exit {code}\n{stderr}"
        for expected in step["stderr"]:
            assert expected in stderr, f"{where}: stderr lacks {expected!r}:\n{stderr}"
        for expected in step["stdout"]:
            assert expected in stdout, f"{where}: stdout lacks {expected!r}:\n{stdout}"
