"""The portfolio review over many sites with months of history, against one site's monthly report.

    nice python benchmarks/portfolio_bench.py [--sites 10] [--months 3,12] [--per-day 60]
        [--distinct 2] [--runs 3] [--dir /tmp/dutyctl-portfolio]

For each history length (months ending on 2026-10-31) it generates `--distinct` workspaces
with benchmarks/workspace_gen.py (different seeds, kept in --dir) and makes `--sites` sites
of them: each site its own folder with its own dutyctl.yaml (its own name) and its own index,
its rosters and records hard links to one of the generated workspaces (the same files, read
as its own: the review cannot tell). Then it runs the installed `dutyctl` as cron does (a
fresh process, JSON to a pipe):

  single  `report monthly --month 2026-10` of one site: the baseline, in the same run
  review  `report portfolio --sites FILE --month 2026-10` over every site

cold: every index deleted first (the first review builds every site's index; the single-site
baseline builds its own); warm: the median of --runs runs, alternating single and review so
a busy machine slows both alike. "per site" is the review's time divided by the number of
sites, and the ratio compares it with the single-site monthly report.

100 sites x 3 years (about 150,000 records a site at 140 a day; hours to build cold):

    nice python benchmarks/portfolio_bench.py --sites 100 --months 36 --per-day 140 --distinct 3
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

from report_bench import LAST_DAY, ensure, run  # one generator and one runner

MONTH = "2026-10"
SITE_NAME = "阳光花园小区物业客户服务中心"  # the name in the bundled template


def first_day(months: int) -> date:
    year, month = LAST_DAY.year, LAST_DAY.month - months + 1
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def site_from(source: Path, folder: Path, number: int) -> None:
    """A site of its own (dutyctl.yaml, index) whose rosters and records are hard links."""
    if (folder / "records").is_dir():
        return
    folder.mkdir(parents=True)
    text = (source / "dutyctl.yaml").read_text(encoding="utf-8")
    (folder / "dutyctl.yaml").write_text(text.replace(SITE_NAME, f"第{number:03d}号物业服务中心"),
                                         encoding="utf-8")
    for part in ("rosters", "records"):
        subprocess.run(["cp", "-al", str(source / part), str(folder / part)], check=True)


def company(base: Path, months: int, sites: int, distinct: int, per_day: int) -> Path:
    """`sites` site folders and the file listing them; returns the list."""
    sources = [ensure(base / f"gen-{months}m-{seed}", first_day(months), per_day, seed)
               for seed in range(distinct)]
    folders = [base / f"{months}m" / f"site{number:03d}" for number in range(sites)]
    for number, folder in enumerate(folders):
        site_from(sources[number % distinct], folder, number)
    listing = base / f"{months}m" / f"sites-{sites}.txt"
    listing.write_text("".join(f"{folder.name}\n" for folder in folders), encoding="utf-8")
    return listing


def timed(args: list[str]) -> float:
    return run([*args, "--format", "json"])


def measure(listing: Path, runs: int) -> dict[str, float]:
    folders = [listing.parent / line for line in listing.read_text().split()]
    single = ["--root", str(folders[0]), "report", "monthly", "--month", MONTH]
    review = ["report", "portfolio", "--sites", str(listing), "--month", MONTH]
    for folder in folders:
        shutil.rmtree(folder / ".dutyctl", ignore_errors=True)
    found = {"single cold": timed(single), "review cold": timed(review)}
    warm: dict[str, list[float]] = {"single": [], "review": []}
    for _ in range(runs):
        warm["single"].append(timed(single))
        warm["review"].append(timed(review))
    found.update({name: statistics.median(times) for name, times in warm.items()})
    return found


def records_of(folder: Path) -> int:
    return sum(1 for path in (folder / "records").rglob("*.yaml") if path.name.count(".") == 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/dutyctl-portfolio"))
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--months", default="3,12", help="history lengths, comma-separated")
    parser.add_argument("--per-day", type=int, default=60)
    parser.add_argument("--distinct", type=int, default=2,
                        help="generated workspaces the sites are made of")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for months in (int(value) for value in args.months.split(",")):
        listing = company(args.dir, months, args.sites, max(1, min(args.distinct, args.sites)),
                          args.per_day)
        site = listing.parent / "site000"
        print(f"{months} months: {args.sites} sites, {records_of(site)} records a site",
              file=sys.stderr)
        rows.append((months, measure(listing, args.runs)))
    print(f"\n{'history':<9}{'single':>9}{'review':>10}{'per site':>10}{'ratio':>7}"
          f"{'single cold':>13}{'review cold':>13}{'per site':>10}{'ratio':>7}")
    for months, found in rows:
        per_site, cold_site = found["review"] / args.sites, found["review cold"] / args.sites
        print(f"{months:>3} mo   {found['single']:>8.2f}s{found['review']:>9.2f}s"
              f"{per_site:>9.2f}s{per_site / found['single']:>7.2f}"
              f"{found['single cold']:>12.2f}s{found['review cold']:>12.2f}s"
              f"{cold_site:>9.2f}s{cold_site / found['single cold']:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
