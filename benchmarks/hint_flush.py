"""`log call`'s wall time and the fsync/fdatasync it makes, in two cases: the record index up
to date (a reading command ran just before), and back to back after another `log call` (the
caller hint reads the calls the index lacks into its overlay and writes nothing).

    .venv/bin/python benchmarks/hint_flush.py            # 8 runs
    .venv/bin/python benchmarks/hint_flush.py --runs 20 --dutyctl other/.venv/bin/dutyctl

Up to date: `dutyctl list` (the index takes in everything), a pause of RACY seconds (the folder
no longer counts as just written), `list` again, then the timed `log call`. The system calls
are counted with `strace -f -c` (skipped when strace is missing). Compare two installs in the
same run with --dutyctl: absolute times move with the machine's load.
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
from pathlib import Path

RACY = 2.1  # seconds: dutyctl.yamlcache.RACY_SECONDS, and a little


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--dutyctl", default=str(Path(sys.executable).with_name("dutyctl")))
    options = parser.parse_args()
    dutyctl = options.dutyctl
    env = {**os.environ, "DUTYCTL_USER": "zhangwei"}
    env.pop("DUTYCTL_NO_FSYNC", None)  # the test suite's switch: a desk always syncs
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        subprocess.run([dutyctl, "init", str(root)], check=True, stdout=subprocess.DEVNULL,
                       env=env)
        config = root / "dutyctl.yaml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            "auto_commit: true", "auto_commit: false"), encoding="utf-8")
        call = [dutyctl, "--root", str(root), "log", "call", "--name", "张三", "--room",
                "3-2-501", "--phone", "13812345678", "--summary", "物业费怎么交", "--at",
                "2026-11-07 21:00"]
        listing = [dutyctl, "--root", str(root), "list"]

        def index_current() -> None:
            subprocess.run(listing, check=True, capture_output=True, env=env)
            time.sleep(RACY)
            subprocess.run(listing, check=True, capture_output=True, env=env)

        times = []
        for number in range(options.runs + 1):  # the first run warms the byte-code cache
            index_current()
            start = time.perf_counter()
            subprocess.run(call, check=True, capture_output=True, env=env)
            if number:
                times.append((time.perf_counter() - start) * 1000)
        print(f"log call with the index up to date: median {statistics.median(times):.1f} ms "
              f"of {options.runs} runs ({dutyctl})")
        back_to_back = []
        for _ in range(options.runs):
            start = time.perf_counter()
            subprocess.run(call, check=True, capture_output=True, env=env)
            back_to_back.append((time.perf_counter() - start) * 1000)
        print(f"log call back to back: median {statistics.median(back_to_back):.1f} ms "
              f"of {options.runs} runs")
        if shutil.which("strace"):
            index_current()
            print(f"system calls of one log call, index up to date: {_syncs(call, env)}")
            print(f"system calls of one log call, back to back: {_syncs(call, env)}")


def _syncs(call: list[str], env: dict) -> dict | str:
    done = subprocess.run(["strace", "-f", "-c", "-e", "trace=fsync,fdatasync", *call],
                          capture_output=True, text=True, env=env)
    counts = {line.split()[-1]: int(line.split()[3]) for line in
              done.stderr.splitlines() if line.strip().endswith(("fsync", "fdatasync"))}
    return counts or "no fsync, no fdatasync"

if __name__ == "__main__":
    main()
