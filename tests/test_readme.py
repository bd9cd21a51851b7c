"""The README's `sh` blocks run as shown on a copy of the bundled workspace (this repository
is one): every `dutyctl` line exits 0 (or the `# exit N` its comment names) and prints what
its `# stderr:` lines say. A block that also needs other tools (installing, git, the
developer's python and benchmark lines, a git hook) is left to the reader. Syntax
summaries and sample output use `text` blocks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("start,found", BLOCKS, ids=[f"README.md:{start}" for start, _ in BLOCKS])
def test_readme_block_runs_as_shown(tmp_path, start, found):
    site = tmp_path / "site"
    site.mkdir()
    # the demo sites (878 files) only for a block that names them
    uses_examples = any("examples" in step["line"] for step in found)
    for part in WORKSPACE_PARTS if uses_examples else WORKSPACE_PARTS[:-1]:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, site / part)
        else:
            shutil.copy(source, site / part)
    script = []
    for number, step in enumerate(found):
        # the line on its own: a trailing comment must not swallow the closing brace
        script.append(f"{{\n{step['line']}\n}} >{tmp_path}/out{number} "
                      f"2>{tmp_path}/err{number}; echo $? >{tmp_path}/rc{number}")
    env = {key: value for key, value in os.environ.items() if not key.startswith("DUTYCTL_")}
    env["DUTYCTL_LANG"] = "en"  # the manual shows the English messages
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    subprocess.run(["bash", "-c", "\n".join(script)], cwd=site, env=env, check=True,
                   stdin=subprocess.DEVNULL, timeout=600)
    for number, step in enumerate(found):
        code = int((tmp_path / f"rc{number}").read_text())
        stderr = (tmp_path / f"err{number}").read_text(encoding="utf-8")
        where = f"README.md:{start}: {step['line']}"
        assert "Traceback" not in stderr, f"{where}\n{stderr}"
        assert code == step["exit"], f"{where}: exit {code}\n{stderr}"
        for expected in step["stderr"]:
            assert expected in stderr, f"{where}: stderr lacks {expected!r}:\n{stderr}"
