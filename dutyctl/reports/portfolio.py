"""The portfolio review: one weekly or monthly review across many sites (workspaces).

A property company's quality department reads every service center's key rates side by side,
each against that site's own `targets:`. Each workspace is read through its record index, as
its own reports read it (`build.essentials`): the cost per site follows the period, not the
years of history. A site that cannot be read (no workspace there, a broken dutyctl.yaml, an
unreadable roster) becomes one line of the review and never stops it.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from dutyctl.errors import DutyError, InputError, os_reason
from dutyctl.kinds.repair import KIND as REPAIR
from dutyctl.messages import NP_, t
from dutyctl.records import LIMIT_ARRIVE, ticket_kinds
from dutyctl.reports import build, figures
from dutyctl.reports.period import Period, resolve

#: The rates each site is judged on, in the order the review shows them.
RATES = ("compliance_rate", "emergency_arrive_rate", "satisfied_share", "visit_rate")
#: --fail-on words of the portfolio: the single-site ones (summed over the sites) and one more.
MISSED = "target"
FAIL_ON = (*build.ALERTS, MISSED)
FAIL_ON_WORDS = {**build.ALERT_WORDS, MISSED: NP_("alert", "target")}
OK, MISSING, UNREADABLE = "ok", "missing", "unreadable"
SITES_FILE_LIMIT = 1024 * 1024  # a list of folders, not a data file
PLACEHOLDERS = ("{folder}", "{period}")
#: the same in the words a Chinese desk writes (the manual names them so)
CHINESE_PLACEHOLDERS = {"{站点}": "{folder}", "{目录}": "{folder}", "{文件夹}": "{folder}",
                        "{统计期}": "{period}", "{期间}": "{period}"}


@dataclass(frozen=True)
class Site:
    """A folder as listed (on the command line or in a sites file) and where it is."""

    listed: str
    path: Path

    @property
    def folder(self) -> str:
        """The folder's own name: what a link pattern and a site report's file name use."""
        # `.` or `..` has no name of its own: the folder it stands for has one (a report file
        # named `.-2026-10.html` would be hidden)
        return self.path.name or Path(os.path.abspath(self.path)).name or self.listed


def sites_from_file(path: Path) -> list[Site]:
    """One folder per line; blank lines and `#` comments ignored; a relative folder is taken
    from the file's own folder (the list can move with the sites)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(SITES_FILE_LIMIT + 1)
    except OSError as exc:
        raise InputError(t("cannot read the list of sites: {reason}",
                           reason=os_reason(exc)), path=path) from None
    if len(raw) > SITES_FILE_LIMIT:
        raise InputError(t("the list of sites is larger than {limit} MB",
                           limit=SITES_FILE_LIMIT // (1024 * 1024)), path=path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        from dutyctl.store.yamlio import not_utf8

        raise not_utf8(exc, path) from None
    found = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            found.append(Site(entry, (path.parent / Path(entry).expanduser())))
    return found


def sites_of(folders: list[str], listing: Path | None) -> list[Site]:
    """The sites named on the command line, then those of the list; each folder once."""
    named = [Site(folder, Path(folder).expanduser()) for folder in folders]
    if listing is not None:
        named += sites_from_file(listing)
    seen, unique = set(), []
    for site in named:
        key = os.path.normpath(os.path.abspath(site.path))
        if key not in seen:
            seen.add(key)
            unique.append(site)
    if not unique:
        raise InputError(lambda name: t("no sites: name their folders, or a file listing them "
                                        "with {sites}", sites=name("sites")))
    return unique


def link_pattern(pattern: str | None) -> str | None:
    """The --link pattern with its Chinese placeholders (`{站点}`) as PLACEHOLDERS; one that
    names another is refused."""
    if pattern is None:
        return None
    import re

    pattern = pattern.replace("\uff5b", "{").replace("\uff5d", "}")  # ｛站点｝: full width
    for chinese, own in CHINESE_PLACEHOLDERS.items():
        pattern = pattern.replace(chinese, own)
    unknown = [name for name in re.findall(r"\{[^}]*\}", pattern) if name not in PLACEHOLDERS]
    if unknown:
        raise InputError(t("link pattern: unknown {names} (it may use {choices})",
                           names=t(", ").join(unknown),
                           choices=t(", ").join((*PLACEHOLDERS, *CHINESE_PLACEHOLDERS))))
    return pattern


# -- one site -----------------------------------------------------------------------------------

def site_language(site: Site) -> str | None:
    """`site.language` of the site's dutyctl.yaml, read without loading it (or None)."""
    from dutyctl.messages import normalise
    from dutyctl.workspace import site_language_hint

    return normalise(site_language_hint(str(site.path)))


def open_site(site: Site):
    """The site's workspace, its configuration loaded (a DutyError when there is none)."""
    from dutyctl.workspace import find_workspace

    workspace = find_workspace(str(site.path))
    workspace.config  # noqa: B018 - a broken dutyctl.yaml is this site's one line
    return workspace


def rates(sections: dict, config) -> dict[str, dict]:
    """The site's rates, each with the site's own target and whether it meets it."""
    compliance, satisfaction = sections["compliance"], sections["satisfaction"]["all"]
    overall = compliance["overall"]
    emergency = next(iter(config.emergency_repair_classes()), None)  # 急修: none, no rate
    arrive = next((row for row in compliance["by_class"]
                   if (row["kind"], row["urgency"], row["limit"])
                   == (REPAIR, emergency, LIMIT_ARRIVE)), None)
    arrive_target = config.targets.on_time_for(REPAIR, emergency, LIMIT_ARRIVE)
    found = {"compliance_rate": (overall["rate"], overall["target"]),
             "emergency_arrive_rate": (arrive["rate"] if arrive else None, arrive_target),
             "satisfied_share": (satisfaction["satisfied_share"],
                                 satisfaction["satisfied_target"]),
             "visit_rate": (satisfaction["visit_rate"], satisfaction["visit_target"])}
    # what each rate is a share of: 0.0% of one visit is no site-wide failure
    satisfied = sum(satisfaction["distribution"].get(str(score), 0)
                    for score in range(figures.SATISFIED, 6))
    counts = {"compliance_rate": (overall[figures.ON_TIME],
                                  overall[figures.ON_TIME] + overall[figures.LATE]),
              "emergency_arrive_rate": ((arrive[figures.ON_TIME],
                                         arrive[figures.ON_TIME] + arrive[figures.LATE])
                                        if arrive else (0, 0)),
              "satisfied_share": (satisfied, satisfaction["visits"]),
              "visit_rate": (satisfaction["visited"], satisfaction["resolved"])}
    return {key: {"value": found[key][0], **figures.judged(*found[key]),
                  "count": counts[key][0], "of": counts[key][1]} for key in RATES}


def site_row(site: Site, data: dict, config) -> dict:
    """What the portfolio shows of one site read: its rates against its targets, its
    volumes, what needs attention there, and its coverage in fact."""
    head = data["report"]
    judged = rates(data, config)
    return {"folder": site.listed, "folder_name": site.folder, "site": head["site"],
            "status": OK, "error": None,
            "period": head["period"], "first": head["first"], "last": head["last"],
            "timezone": head["timezone"], "as_of": head["as_of"], "complete": head["complete"],
            "records_read": head["records_read"],
            "volumes": {"calls": data["calls"]["total"],
                        **{build.ticket_key(kind, "filed"): data[build.section(kind)]["filed"]
                           for kind in ticket_kinds()},
                        "emergencies": data["emergencies"]["opened"]},
            "rates": judged,
            "covered_in_fact": data["coverage"]["actual"]["rate"],
            "alerts": data["alerts"],
            "misses": [key for key in RATES if judged[key]["meets"] is False],
            "skipped": data["skipped_files"],  # files, as README says (a problem a line)
            "report": None}


def failed_row(site: Site, error: Exception) -> dict:
    """A site that could not be read: one line saying why, paths from the site's folder."""
    from dutyctl.config import CONFIG_FILE
    from dutyctl.errors import ProblemsFound, first_problem

    if isinstance(error, ProblemsFound):
        reason = first_problem(error)  # the first, and how many more (counted in words)
    elif isinstance(error, OSError):
        reason = t("cannot read it: {reason}", reason=os_reason(error))
    elif isinstance(error, DutyError) and _same_folder(error.problem.path, site.path):
        reason = error.problem.message  # the folder itself: already named before the reason
    else:
        reason = str(error)
    try:  # not is_file(), whose OSErrors differ by Python version (ENAMETOOLONG raised)
        missing = not stat.S_ISREG((site.path / CONFIG_FILE).stat().st_mode)
    except (FileNotFoundError, NotADirectoryError):
        missing = True
    except OSError:  # there but not to be read (a name too long, no permission): unreadable
        missing = False
    return {"folder": site.listed, "site": None, "status": MISSING if missing else UNREADABLE,
            "error": " ".join(reason.split()), "misses": [], "report": None}


def _same_folder(path: str, folder: Path) -> bool:
    return bool(path) and os.path.abspath(path) == os.path.abspath(folder)


def period_of(kind: str, when: str | None, tz, now: datetime) -> Period:
    return resolve(kind, when, tz, now)


# -- the review ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SiteReport:
    """A site's own review, made beside the portfolio: where it goes and how it is written."""

    folder: Path  # where the site reports are written
    write: Callable[[object, object, Path], None]  # (report, workspace, path)
    extension: str


def review(sites: list[Site], kind: str, when: str | None, clock: Callable,
           site_reports: SiteReport | None = None, link: str | None = None,
           opened: Callable | None = None) -> dict:
    """The portfolio document: every site read (or why not), the misses, the alerts summed.

    `clock(tz)` gives now in a zone; `opened(workspace)` is told of each workspace before it
    is read (the CLI shows index-build progress there)."""
    from datetime import timezone

    period_of(kind, when, timezone.utc, clock(timezone.utc))  # a bad period: before any site
    rows, names_used = [], set()
    for site in sites:
        with naming_the_site(site):
            rows.append(_read_site(site, kind, when, clock, site_reports, link, opened,
                                   names_used))
    return document(kind, when, rows, clock)


@contextmanager
def naming_the_site(site: Site):
    """What the core says on the side while a site is read (a record file skipped, a warning)
    is said after it, naming the site: `north/records/...` is not the next site's file."""
    from dutyctl import notices
    from dutyctl.errors import Problem

    heard: list = []
    try:
        with notices.listening(heard.append):
            yield
    finally:
        for notice in heard:
            if notice.problem is None:
                notices.warn(t("{folder}: {text}", folder=site.listed, text=notice.text))
            else:
                problem = notice.problem
                notices.skipped(Problem(os.path.join(site.listed, problem.listed), problem.line,
                                        problem.message))


def _read_site(site: Site, kind: str, when: str | None, clock: Callable,
               site_reports: SiteReport | None, link: str | None, opened: Callable | None,
               names_used: set[str]) -> dict:
    """One row of the review: the site read, or why it could not be."""
    try:
        workspace = open_site(site)
        if opened:
            opened(workspace)
        now = clock(workspace.config.tz)
        period = period_of(kind, when, workspace.config.tz, now)
        if site_reports is not None:
            report = build.review(workspace, period, now)
            row = site_row(site, report.data, workspace.config)
            path = site_reports.folder / _report_name(site, period, site_reports.extension,
                                                      names_used)
        else:
            row = site_row(site, build.essentials(workspace, period, now).data,
                           workspace.config)
            if link:
                row["report"] = link.replace("{folder}", site.folder).replace(
                    "{period}", period.label)
    except (DutyError, OSError) as error:
        return failed_row(site, error)
    if site_reports is not None:  # where it goes refused (a pipe nothing reads, a full disk):
        site_reports.write(report, workspace, path)  # the command's output, not the site's
        row["report"] = str(path)
    return row


def _report_name(site: Site, period: Period, extension: str, used: set[str]) -> str:
    """`<folder>-<period>.<ext>`; a second folder of the same name gets `-2`."""
    stem, number = f"{site.folder}-{period.label}", 1
    name = f"{stem}.{extension}"
    while name in used:
        number += 1
        name = f"{stem}-{number}.{extension}"
    used.add(name)
    return name


def ordered(rows: list[dict]) -> list[dict]:
    """Sites that miss a target first (the most misses first), then the others; unreadable
    sites last; otherwise in the order listed."""
    return sorted(rows, key=lambda row: (row["status"] != OK, -len(row["misses"])))


def document(kind: str, when: str | None, rows: list[dict], clock: Callable) -> dict:
    read = [row for row in rows if row["status"] == OK]
    first = read[0] if read else None
    if first is None:
        from datetime import timezone

        period = period_of(kind, when, timezone.utc, clock(timezone.utc))
        label, span = period.label, (period.first.isoformat(), period.last.isoformat())
    else:
        label, span = first["period"], (first["first"], first["last"])
    alerts = {word: sum(row["alerts"][word] for row in read) for word in build.ALERTS}
    misses = [{"folder": row["folder"], "folder_name": row.get("folder_name", row["folder"]),
               "site": row["site"],
               "figure": key,
               "value": row["rates"][key]["value"], "target": row["rates"][key]["target"],
               "count": row["rates"][key].get("count"), "of": row["rates"][key].get("of")}
              for row in ordered(read) for key in row["misses"]]
    return {"report": {"type": "portfolio", "period_type": kind, "period": label,
                       "first": span[0], "last": span[1], "sites": len(rows),
                       "read": len(read), "unreadable": len(rows) - len(read),
                       "missing_a_target": sum(1 for row in read if row["misses"]),
                       "complete": all(row["complete"] for row in read)},
            "alerts": {**alerts, MISSED: len(misses)},
            "misses": misses,
            "sites": ordered(rows)}


def failing(data: dict, words: list[str]) -> list[tuple[str, int]]:
    """(word, count) for each --fail-on word the review found."""
    return [(word, data["alerts"][word]) for word in words if data["alerts"][word]]
