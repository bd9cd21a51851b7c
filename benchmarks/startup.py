"""Whole-process startup of the commands clerks type, against a bare Typer app and Watson.

Every figure is the median wall time of N runs of a fresh process, measured in the same run
with the same Python, so the ratios hold across machines even where the milliseconds do not.

    .venv/bin/python benchmarks/startup.py            # 20 runs each
    .venv/bin/python benchmarks/startup.py --runs 50

Timed: `log call`, `clock in` (each run on its own copy of the workspace: one person clocks in
once; a copy's parsed-YAML caches are keyed to the file's path and inode, so that first command
on it parses dutyctl.yaml, the rules and the roster with PyYAML; the second `clock in` row runs
on copies where `who` ran once before, as on a desk's workspace), `who`, `list`, `show`, `--help`, shell-completion calls (TAB after `dutyctl r`, after
`log call --staff`, after `repair done`), a bare one-command Typer app that only echoes its
option (the least any Typer CLI can cost on this Python) and, when Watson is installed beside
this Python (`.venv/bin/pip install td-watson`), `watson add` (a CLI of the same kind: click,
one file written). Goals: `log call` at most 0.8x `watson add` and 1.3x the bare Typer app;
every completion at most 1.0x the bare Typer app.

dutyctl runs on a temporary workspace made by `dutyctl init`, with git auto-commit off (a
commit is git's time, not ours) and November 2026's roster generated (times in the past: a
recording command refuses a future --at). Byte code is cached as
after a normal install (in the temporary folder, whatever PYTHONDONTWRITEBYTECODE says) unless
--no-bytecode-cache.
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


def median_ms(cases: dict, runs: int, env: dict, warmup: int = 2) -> dict:
    """Round-robin over the commands, so a busy moment of the machine hits them all alike.
    A case is a command, or a function of the run's number giving (command, extra env)."""
    timings: dict[str, list[float]] = {label: [] for label in cases}
    for round_number in range(warmup + runs):
        for label, case in cases.items():
            command, extra = case(round_number) if callable(case) else (case, {})
            elapsed = run_once(command, {**env, **extra})
            if round_number >= warmup:
                timings[label].append(elapsed)
    return {label: statistics.median(values) for label, values in timings.items()}


def make_workspace(folder: Path, dutyctl: list[str], env: dict) -> Path:
    root = folder / "site"
    # the English templates (ids zhangwei, repair: the cases below name them) on any locale;
    # their site.language is zh_CN all the same
    subprocess.run([*dutyctl, "--lang", "en", "init", str(root)], check=True,
                   stdout=subprocess.DEVNULL, env=env)
    config = root / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("auto_commit: true", "auto_commit: false"), encoding="utf-8")
    subprocess.run([*dutyctl, "--root", str(root), "roster", "generate", "--month", "2026-11"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return root


def filed_repair(root: Path, dutyctl: list[str], env: dict) -> str:
    """A call that filed a repair: `show` shows it, `repair done <TAB>` offers it."""
    done = subprocess.run([*dutyctl, "--root", str(root), "log", "call", "--name", "李四",
                           "--room", "5-1-1202", "--phone", "13900001111", "--summary",
                           "水管漏了", "--category", "repair", "--file-ticket", "--at",
                           "2026-11-07 20:00"], check=True, capture_output=True, text=True,
                          env=env)
    return done.stdout.split()[-1]


def watson_command() -> list[str] | None:
    script = Path(sys.executable).with_name("watson")
    return [str(script)] if script.exists() else None


def cases_for(folder: Path, dutyctl: list[str], env: dict, runs: int) -> dict:
    bare_app = folder / "bare_typer_app.py"
    bare_app.write_text(BARE_TYPER_APP, encoding="utf-8")
    root = make_workspace(folder, dutyctl, env)
    copies = []
    used = []  # the same, after one command on the copy (its parse caches made)
    at = ("--at", "2026-11-07 21:00")  # a Saturday night
    for number in range(runs + 2):  # clock in: a fresh copy per run (one clock-in per person)
        copies.append(folder / f"clock-{number}")
        shutil.copytree(root, copies[-1])
        used.append(folder / f"used-{number}")
        shutil.copytree(root, used[-1])
        subprocess.run([*dutyctl, "--root", str(used[-1]), "who", *at], check=True,
                       stdout=subprocess.DEVNULL, env=env)
    shown = filed_repair(root, dutyctl, env)
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "bare one-command Typer app": [sys.executable, str(bare_app), "--name", "x"],
        "dutyctl log call": [*dutyctl, "--root", str(root), "log", "call", "--name", "张三",
                             "--room", "3-2-501", "--phone", "13812345678",
                             "--summary", "物业费怎么交"],
        "dutyctl log call (English)": [*dutyctl, "--root", str(root), "--lang", "en", "log",
                                       "call", "--name", "张三", "--room", "3-2-501", "--phone",
                                       "13812345678", "--summary", "物业费怎么交"],
        "dutyctl clock in": lambda number: ([*dutyctl, "--root", str(copies[number]), "clock",
                                             "in", "--staff", "zhangwei", *at], {}),
        "dutyctl clock in (used workspace)": lambda number: (
            [*dutyctl, "--root", str(used[number]), "clock", "in", "--staff", "zhangwei", *at], {}),
        "dutyctl who": [*dutyctl, "--root", str(root), "who", *at],
        "dutyctl list": [*dutyctl, "--root", str(root), "list"],
        "dutyctl --help": [*dutyctl, "--lang", "zh_CN", "--help"],
        "dutyctl --help (English)": [*dutyctl, "--lang", "en", "--help"],
        "dutyctl show": [*dutyctl, "--root", str(root), "show", shown],
        "completion (dutyctl r<TAB>)": lambda number: (dutyctl, {
            "_DUTYCTL_COMPLETE": "complete_bash", "COMP_WORDS": "dutyctl r", "COMP_CWORD": "1"}),
        "completion (--staff <TAB>)": lambda number: (dutyctl, {
            "_DUTYCTL_COMPLETE": "complete_bash", "COMP_CWORD": "6",
            "COMP_WORDS": f"dutyctl --root {root} log call --staff ''"}),
        "completion (repair done <TAB>)": lambda number: (dutyctl, {
            "_DUTYCTL_COMPLETE": "complete_bash", "COMP_CWORD": "5",
            "COMP_WORDS": f"dutyctl --root {root} repair done ''"}),
    }
    watson = watson_command()
    if watson:
        watson_dir = folder / "watson"
        watson_dir.mkdir()
        cases["watson add"] = lambda number: (
            [*watson, "add", "--from", "2026-11-07 09:00", "--to", "2026-11-07 10:00", "desk",
             "+call"], {"WATSON_DIR": str(watson_dir)})
    return cases


def catalogue_load_ms(runs: int = 200) -> tuple[float, float]:
    """What translation adds to a command at most: reading the compiled catalogue once (each
    message after that is a dictionary lookup): (parsing the .mo, reading the copy of it
    dutyctl keeps as byte code is kept: what a command does while the .mo is unchanged)."""
    import gettext
    import statistics
    import sys
    import tempfile
    import time

    from dutyctl import messages

    mo = messages.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{messages.DOMAIN}.mo"
    parsed, kept = [], []
    with tempfile.TemporaryDirectory() as prefix:
        saved = sys.pycache_prefix, sys.dont_write_bytecode
        sys.pycache_prefix, sys.dont_write_bytecode = prefix, False
        try:
            messages._catalogue(mo)  # the copy kept
            for _ in range(runs):
                start = time.perf_counter()
                with mo.open("rb") as handle:
                    gettext.GNUTranslations(handle).gettext("all good")
                parsed.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                messages._catalogue(mo).gettext("all good")
                kept.append((time.perf_counter() - start) * 1000)
        finally:
            sys.pycache_prefix, sys.dont_write_bytecode = saved
    return statistics.median(parsed), statistics.median(kept)


BARE = "bare one-command Typer app"
GOALS = (("dutyctl log call", "watson add", 0.8), ("dutyctl log call", BARE, 1.3),
         ("completion (dutyctl r<TAB>)", BARE, 1.0), ("completion (--staff <TAB>)", BARE, 1.0),
         ("completion (repair done <TAB>)", BARE, 1.0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per command (default 20)")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="compile every module on every run (PYTHONDONTWRITEBYTECODE kept)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="dutyctl-bench-"))
    env = {**os.environ, "DUTYCTL_USER": "zhangwei"}
    env.pop("DUTYCTL_ROOT", None)
    env.pop("DUTYCTL_LANG", None)  # the workspace's own language (zh_CN) decides
    if not args.no_bytecode_cache:
        # as after a normal install: byte code is cached (in the temp folder, not the tree)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    try:
        results = median_ms(cases_for(folder, dutyctl_command(), env, args.runs), args.runs, env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    baseline = results["bare one-command Typer app"]
    watson = results.get("watson add")
    cache = "off" if args.no_bytecode_cache else "on"
    print(f"Python {sys.version.split()[0]}, typer {version('typer')}, byte-code cache {cache}, "
          f"median of {args.runs} runs each (whole process, wall time)")
    for label, ms in results.items():
        against_watson = f"   {ms / watson:5.2f}x watson add" if watson else ""
        print(f"  {label:<32} {ms:7.1f} ms   {ms / baseline:5.2f}x the bare Typer app"
              f"{against_watson}")
    if not watson:
        print("  (watson add not timed: `pip install td-watson` into this environment)")
    # the workspace speaks zh_CN (site.language of `init`): the English runs skip the catalogue
    for chinese, english in (("dutyctl log call", "dutyctl log call (English)"),
                             ("dutyctl --help", "dutyctl --help (English)")):
        print(f"translation cost of {chinese!r}: {results[chinese] - results[english]:+.1f} ms "
              f"(zh_CN against English in the same run)")
    parsed, kept = catalogue_load_ms()
    print(f"loading the zh_CN catalogue in-process: {kept:.2f} ms from its kept copy, "
          f"{parsed:.2f} ms parsing the .mo (median of 200; once per command, only when the "
          f"language is not English)")
    for label, against, goal in GOALS:
        if against in results:
            ratio = results[label] / results[against]
            verdict = "met" if ratio <= goal else "NOT met"
            print(f"goal {label} <= {goal}x {against}: {ratio:.2f}x, {verdict}")


if __name__ == "__main__":
    main()
