"""China's official calendar kept in the user's cache (sitecalendar._cached_china): the same
answers as the installed `holidays` package, and read afresh when the package changes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from types import SimpleNamespace

from dutyctl import sitecalendar
from tests import holiday_data


def test_the_cache_answers_as_the_installed_package_for_every_day(installed_holidays):
    cached, years = sitecalendar.official_calendar("CN")  # made from the package
    again, same_years = sitecalendar.official_calendar("CN")  # read from the cache
    live, live_years = sitecalendar._from_package("CN")
    assert years == same_years == live_years and isinstance(again, sitecalendar.OfficialDays)
    day = date(years[0] - 1, 1, 1)
    while day <= date(years[1] + 1, 12, 31):  # a year either side: asked of the package
        for days in (cached, again):
            assert (day in days, days.get(day), days.is_working_day(day)) == (
                day in live, live.get(day), live.is_working_day(day)), day
        day += timedelta(days=1)


def fake_package(tmp_path, monkeypatch, data: dict):
    """A stand-in `holidays` package folder whose data is `data["calendar"]`."""
    package = tmp_path / "holidays"
    (package / "countries").mkdir(parents=True)
    (package / "version.py").write_text("__version__ = '1'\n", encoding="utf-8")
    (package / "countries" / "china.py").write_text("# 2026\n", encoding="utf-8")
    monkeypatch.setattr("importlib.util.find_spec", lambda name: SimpleNamespace(
        submodule_search_locations=[str(package)]))
    monkeypatch.setattr(sitecalendar, "_from_package", lambda country: data["calendar"])
    return package


class PackageDays(holiday_data.OfficialDays):
    """holiday_data's days with the package's `weekend_workdays`."""

    @property
    def weekend_workdays(self):
        return self.workdays


def calendar_until(last: int):
    holidays = dict(holiday_data.HOLIDAYS)
    if last >= 2027:
        holidays["2027-01-01"] = "元旦"
    return PackageDays(holidays, holiday_data.WORKDAYS), (2025, last)


def test_a_new_release_of_the_package_is_read_afresh(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = {"calendar": calendar_until(2026)}
    package = fake_package(tmp_path, monkeypatch, data)
    days, years = sitecalendar._cached_china()
    assert years == (2025, 2026) and date(2026, 10, 1) in days
    data["calendar"] = calendar_until(2027)  # the package changes, its files do not (yet)
    assert sitecalendar._cached_china()[1] == (2025, 2026)  # the cache answers
    (package / "countries" / "china.py").write_text("# 2026 and 2027\n", encoding="utf-8")
    days, years = sitecalendar._cached_china()  # a new release: asked again
    assert years == (2025, 2027) and days.get(date(2027, 1, 1)) == "元旦"


def test_a_damaged_or_unwritable_cache_only_means_asking_the_package(tmp_path, monkeypatch):
    data = {"calendar": calendar_until(2026)}
    fake_package(tmp_path, monkeypatch, data)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    sitecalendar._cached_china()
    (cache,) = (tmp_path / "cache" / "dutyctl").glob("*.marshal")  # beside its key
    cache.write_bytes(b"\x00not marshal")
    assert sitecalendar._cached_china()[1] == (2025, 2026)
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert sitecalendar._cached_china()[1] == (2025, 2026)


def test_a_command_does_not_import_the_package_once_cached(tmp_path):
    probe = ("import sys\nfrom datetime import date\nfrom dutyctl.sitecalendar import "
             "SiteCalendar\nprint(SiteCalendar().is_working_day(date(2026, 10, 10)), "
             "'holidays' in sys.modules)")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           env=env, check=True).stdout.split() for _ in range(2)]
    # the same answer both times, whatever the installed release knows; only the first asks it
    assert [flag for _, flag in runs] == ["True", "False"] and runs[0][0] == runs[1][0]


def test_two_installs_of_the_package_keep_a_cache_each(tmp_path, monkeypatch):
    """Two environments on one account (a venv, pipx) do not replace each other's cache at
    every command (each would then ask its package every time)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    packages = {}
    for install in ("one", "two"):
        (tmp_path / install).mkdir()
        packages[install] = fake_package(tmp_path / install, monkeypatch, {})
    asked = []

    def installed(install):
        monkeypatch.setattr("importlib.util.find_spec", lambda name: SimpleNamespace(
            submodule_search_locations=[str(packages[install])]))
        monkeypatch.setattr(sitecalendar, "_from_package",
                            lambda country: asked.append(install) or calendar_until(2026))

    for install in ("one", "two", "one", "two"):
        installed(install)
        assert sitecalendar._cached_china()[1] == (2025, 2026)
    assert asked == ["one", "two"]  # each made its own cache once; later commands read it
