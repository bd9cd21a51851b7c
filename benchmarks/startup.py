"""Whole-process startup of `dutyctl log call` and `dutyctl --help` against a bare Typer app.

Every figure is the median wall time of N runs of a fresh process, measured in the same run
with the same Python, so the ratios hold across machines even where the milliseconds do not.

    .venv/bin/python benchmarks/startup.py            # 20 runs each
    .venv/bin/python benchmarks/startup.py --runs 50

`dutyctl log call` runs on a temporary workspace made by `dutyctl init`, with git auto-commit
off (a commit is git's time, not ours). Byte code is cached as after a normal install (in the
temporary folder, whatever PYTHONDONTWRITEBYTECODE says) unless --no-bytecode-cache. The baseline is a one-command Typer app that only
echoes its option: the least any Typer CLI can cost on this Python.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

BARE_TYPER_APP = '''\
import typer

app = typer.Typer()


@app.command()
def hello(name: str = typer.Option("world", "--name")) -> None:
    typer.echo(name)


if __name__ == "__main__":
    app()
'''


def dutyctl_command() -> list[str]:
    """The installed console script beside this Python, else `python -m dutyctl`."""
    script = Path(sys.executable).with_name("dutyctl")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dutyctl"]


def run_once(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()}")
    return elapsed * 1000


def median_ms(cases: dict[str, list[str]], runs: int, env: dict, warmup: int = 2) -> dict:
    """Round-robin over the commands, so a busy moment of the machine hits them all alike."""
    timings: dict[str, list[float]] = {label: [] for label in cases}
    for round_number in range(warmup + runs):
        for label, command in cases.items():
            elapsed = run_once(command, env)
            if round_number >= warmup:
                timings[label].append(elapsed)
    return {label: statistics.median(values) for label, values in timings.items()}


def make_workspace(folder: Path, dutyctl: list[str], env: dict) -> Path:
    root = folder / "site"
    subprocess.run([*dutyctl, "init", str(root)], check=True, stdout=subprocess.DEVNULL, env=env)
    config = root / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("auto_commit: true", "auto_commit: false"), encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per command (default 20)")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="compile every module on every run (PYTHONDONTWRITEBYTECODE kept)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="dutyctl-bench-"))
    env = {**os.environ, "DUTYCTL_USER": "zhangwei"}
    env.pop("DUTYCTL_ROOT", None)
    if not args.no_bytecode_cache:
        # as after a normal install: byte code is cached (in the temp folder, not the tree)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    dutyctl = dutyctl_command()
    try:
        bare_app = folder / "bare_typer_app.py"
        bare_app.write_text(BARE_TYPER_APP, encoding="utf-8")
        root = make_workspace(folder, dutyctl, env)
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "bare one-command Typer app": [sys.executable, str(bare_app), "--name", "x"],
            "dutyctl --help": [*dutyctl, "--help"],
            "dutyctl log call": [*dutyctl, "--root", str(root), "log", "call", "--name", "张三",
                                 "--room", "3-2-501", "--phone", "13812345678",
                                 "--summary", "物业费怎么交"],
        }
        results = median_ms(cases, args.runs, env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    baseline = results["bare one-command Typer app"]
    cache = "off" if args.no_bytecode_cache else "on"
    print(f"Python {sys.version.split()[0]}, typer {version('typer')}, byte-code cache {cache}, "
          f"median of {args.runs} runs each (whole process, wall time)")
    for label, ms in results.items():
        print(f"  {label:<28} {ms:7.1f} ms   {ms / baseline:5.2f}x the bare Typer app")


if __name__ == "__main__":
    main()
