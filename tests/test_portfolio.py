"""The portfolio review: many sites in one weekly or monthly review, each rate against the
site's own targets, the sites that miss first, unreadable sites one line each."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dutyctl.cli import app
from dutyctl.errors import InputError
from dutyctl.textwidth import display_width
from dutyctl.reports import build, portfolio
from dutyctl.reports.period import month_period
from dutyctl.workspace import Workspace
from tests.conftest import run_dutyctl

REPO = Path(__file__).resolve().parent.parent
MONTH = "2026-10"  # the demo's records run from 2026-10-12 to 2026-11-01
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
LENIENT = "\ntargets:\n  satisfied_share: 50%\n  visit_rate: 50%\n  on_time: 50%\n"


def clock(tz):
    return NOW.astimezone(tz)


def demo_site(folder: Path, name: str, extra: str = "") -> Path:
    shutil.copytree(REPO / "examples" / "demo", folder,
                    ignore=shutil.ignore_patterns(".dutyctl"))
    config = folder / "dutyctl.yaml"
    text = config.read_text(encoding="utf-8").replace("阳光花园小区物业客户服务中心", name)
    config.write_text(text + extra, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def company(tmp_path_factory) -> Path:
    """Three sites from the demo: 北苑 on the default targets (it misses two), 南苑 with
    lenient targets (it meets them all), 东苑 with a time zone that does not exist; and a
    folder 西苑 that is not there."""
    root = tmp_path_factory.mktemp("company")
    demo_site(root / "north", "北苑物业服务中心")
    demo_site(root / "south", "南苑物业服务中心", LENIENT)
    broken = demo_site(root / "east", "东苑物业服务中心")
    config = broken / "dutyctl.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "timezone: Asia/Shanghai", "timezone: Mars/Olympus"), encoding="utf-8")
    return root


def sites(company: Path, *names: str) -> list[portfolio.Site]:
    return [portfolio.Site(name, company / name) for name in names]


def test_each_site_is_judged_against_its_own_targets_and_the_misses_come_first(company):
    data = portfolio.review(sites(company, "south", "north"), "monthly", MONTH, clock)
    first, second = data["sites"]
    assert (first["site"], second["site"]) == ("北苑物业服务中心", "南苑物业服务中心")
    assert first["misses"] == ["emergency_arrive_rate", "visit_rate"] and second["misses"] == []
    assert first["rates"]["visit_rate"]["target"] == 1.0
    assert second["rates"]["visit_rate"] == {"value": 0.909, "target": 0.5, "meets": True,
                                             "count": 60, "of": 66}
    assert [(miss["site"], miss["figure"]) for miss in data["misses"]] == [
        ("北苑物业服务中心", "emergency_arrive_rate"), ("北苑物业服务中心", "visit_rate")]
    assert data["report"] == {
        "type": "portfolio", "period_type": "monthly", "period": MONTH, "first": "2026-10-01",
        "last": "2026-10-31", "sites": 2, "read": 2, "unreadable": 0, "missing_a_target": 1,
        "complete": True}
    assert data["alerts"]["target"] == 2
    assert data["alerts"]["dissatisfied"] == (first["alerts"]["dissatisfied"]
                                              + second["alerts"]["dissatisfied"]) > 0


def test_a_sites_figures_are_those_of_its_own_monthly_review(company):
    workspace = Workspace(company / "north")
    period = month_period(datetime(2026, 10, 1).date(), workspace.config.tz)
    own = build.review(workspace, period, NOW).data
    row = portfolio.review(sites(company, "north"), "monthly", MONTH, clock)["sites"][0]
    assert row["rates"]["compliance_rate"]["value"] == own["compliance"]["overall"]["rate"]
    assert row["rates"]["satisfied_share"]["value"] == own["satisfaction"]["all"][
        "satisfied_share"]
    assert row["covered_in_fact"] == own["coverage"]["actual"]["rate"]
    assert row["alerts"] == own["alerts"]
    assert row["records_read"] == own["report"]["records_read"]
    assert row["volumes"]["calls"] == own["calls"]["total"]
    arrive = [line for line in own["compliance"]["by_class"]
              if (line["kind"], line["urgency"], line["limit"]) == ("repair", "emergency",
                                                                    "arrive")]
    assert row["rates"]["emergency_arrive_rate"]["value"] == arrive[0]["rate"]


def test_a_missing_or_broken_site_is_one_line_and_the_others_are_still_read(company):
    data = portfolio.review(sites(company, "east", "west", "north"), "monthly", MONTH, clock)
    assert [row["status"] for row in data["sites"]] == ["ok", "unreadable", "missing"]
    east, west = data["sites"][1:]
    assert east["error"].startswith("dutyctl.yaml:4: site.timezone: ") and "\n" not in east["error"]
    assert west["error"] == "no such folder"
    assert data["report"]["read"] == 1 and data["report"]["unreadable"] == 2


def test_a_folder_name_too_long_for_the_system_is_one_line_and_the_others_are_still_read(
        company):
    """A site listed with a name longer than the file system takes (a pasted line in the
    list of sites): one line saying why, as for any site not read. The check whether it was
    a workspace raised the system's error again (Python 3.11's is_file lets ENAMETOOLONG
    through), and the whole review ended with exit 3."""
    long = company / ("y" * (os.pathconf(company, "PC_NAME_MAX") + 1))
    data = portfolio.review([*sites(company, "north"), portfolio.Site(long.name, long)],
                            "monthly", MONTH, clock)
    assert [row["status"] for row in data["sites"]] == ["ok", "unreadable"]
    assert data["sites"][1]["folder"] == long.name and data["sites"][1]["error"].startswith(
        "cannot read it: "), data["sites"][1]
    assert data["report"]["read"] == 1 and data["report"]["unreadable"] == 1


def test_a_list_of_sites_skips_comments_takes_folders_from_its_own_folder_and_each_once(
        tmp_path):
    listing = tmp_path / "lists" / "sites.txt"
    listing.parent.mkdir()
    listing.write_text("# 华东区\n../north   # 北苑\n\n/srv/sites/south\n../north\n",
                       encoding="utf-8")
    found = portfolio.sites_of(["extra"], listing)
    assert [(site.listed, site.folder) for site in found] == [
        ("extra", "extra"), ("../north", "north"), ("/srv/sites/south", "south")]
    assert found[1].path == listing.parent / "../north"


def test_a_list_of_sites_that_is_not_text_names_its_line(tmp_path):
    listing = tmp_path / "sites.txt"
    listing.write_bytes(b"north\nsou\xffth\n")
    with pytest.raises(InputError) as caught:
        portfolio.sites_of([], listing)
    assert str(caught.value) == (f"{listing}:2: not UTF-8 text: it was saved in another "
                                 "encoding (such as GBK, by Notepad or Excel): save it as UTF-8 "
                                 "(in Notepad: Save As, encoding UTF-8)")
    listing.write_bytes("\ufeff北苑\n".encode("utf-8") + "南苑\n".encode("gbk"))
    with pytest.raises(InputError) as caught:  # the list of sites is read as a record is
        portfolio.sites_of([], listing)
    assert str(caught.value).startswith(f"{listing}:2: not UTF-8 text: it was saved as GBK")
    with pytest.raises(InputError, match="no sites"):
        portfolio.sites_of([], None)


# -- the command ------------------------------------------------------------------------------

def invoke(*args: str, lang: str = "en"):
    return CliRunner().invoke(app, ["--lang", lang, "report", "portfolio", *args])


def test_the_review_in_chinese_within_100_columns_exit_1_for_an_unreadable_site(company):
    done = invoke(str(company / "north"), str(company / "south"), str(company / "east"),
                  "--month", MONTH, lang="zh_CN")
    assert done.exit_code == 1
    text = done.stdout
    assert text.startswith("各站点月度综合评估 2026年10月\n"
                           "2026年10月1日 – 2026年10月31日；共 3 个站点\n")  # days in words
    (line,) = [line for line in text.splitlines() if line.startswith("北苑物业服务中心  急修")]
    assert line.split()[2:] == ["66.7%（2/3）", "≥", "90%"], line  # a rate beside its base
    assert max(map(display_width, text.splitlines())) <= 100
    assert text.index("未达标的站点") < text.index("各站点比率与目标")
    assert "在该站点的文件夹里运行 dutyctl 月报" in text  # no --site-reports
    assert f"站点未能读取：{company / 'east'}：dutyctl.yaml:4: " in done.stderr


def test_the_review_exits_0_when_every_site_is_read_and_1_on_a_fail_on_word(company):
    both = (str(company / "north"), str(company / "south"), "--month", MONTH)
    assert invoke(*both).exit_code == 0
    alone = invoke(str(company / "south"), "--month", MONTH, "--fail-on", "target,emergency")
    assert alone.exit_code == 0, alone.stderr
    failed = invoke(*both, "--fail-on", "target,dissatisfied")
    assert failed.exit_code == 1
    assert "--fail-on: target=2, dissatisfied=18" in failed.stderr
    in_chinese = invoke(*both, "--失败条件", "未达标、回访不满意", lang="zh_CN")
    assert in_chinese.exit_code == 1
    assert "--失败条件：未达标=2、回访不满意=18" in in_chinese.stderr
    # the option as typed: --fail-on on a Chinese screen is named --fail-on
    typed = invoke(*both, "--fail-on", "未达标、回访不满意", lang="zh_CN")
    assert "--fail-on：未达标=2、回访不满意=18" in typed.stderr, typed.stderr
    assert "失败条件" not in typed.stderr


@pytest.mark.parametrize("args, said", [
    (("--month", MONTH, "--fail-on", "late"), "unknown --fail-on word 'late'; choose one of: "),
    (("--month", MONTH, "--fail-on", "dissatisfied,targ"), "unknown --fail-on word 'targ'"),
    (("--month", MONTH, "--week", "2026-W43"), "give --week or --month, not both"),
    (("--month", "2026-13"), "2026-13"),
    (("--month", MONTH, "--link", "/r/{site}.html"), "link pattern: unknown {site}"),
    (("--month", MONTH, "--format", "pdf"), "unknown format 'pdf'"),
    (("--month", MONTH, "--site-reports", "/nonexistent/dir"), "no such folder"),
])
def test_bad_usage_is_one_line_and_exit_2_before_any_site_is_read(company, args, said):
    done = invoke(str(company / "north"), *args)
    assert done.exit_code == 2, done.output
    assert said in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_no_sites_at_all_is_bad_usage():
    done = invoke("--month", MONTH)
    assert done.exit_code == 2 and "no sites" in done.stderr


def test_site_reports_are_written_and_linked_from_the_reviews_own_folder(company, tmp_path):
    (tmp_path / "out" / "sites").mkdir(parents=True)
    review = tmp_path / "out" / "review.html"
    done = invoke(str(company / "north"), str(company / "south"), "--month", MONTH,
                  "--format", "html", "--site-reports", str(tmp_path / "out" / "sites"),
                  "--output", str(review))
    assert done.exit_code == 0, done.stderr
    written = sorted(path.name for path in (tmp_path / "out" / "sites").iterdir())
    assert written == ["north-2026-10.html", "south-2026-10.html"]
    own = (tmp_path / "out" / "sites" / "north-2026-10.html").read_text(encoding="utf-8")
    assert "北苑物业服务中心 — monthly review" in own
    assert '<a href="sites/north-2026-10.html">北苑物业服务中心</a>' in review.read_text(
        encoding="utf-8")


def test_a_link_pattern_names_each_sites_folder_and_the_period(company):
    done = invoke(str(company / "north"), "--month", MONTH, "--format", "json",
                  "--link", "https://intranet.example/{folder}/{period}.html")
    row = json.loads(done.stdout)["sites"][0]
    assert row["report"] == "https://intranet.example/north/2026-10.html"
    markdown = invoke(str(company / "north"), "--month", MONTH, "--format", "markdown",
                      "--link", "reports/{folder} {period}.html").stdout
    assert "[北苑物业服务中心](<reports/north%202026-10.html>)" in markdown
    # in a Chinese desk's words, as its manual names them: they were refused as unknown
    chinese = invoke(str(company / "north"), "--month", MONTH, "--format", "json",
                     "--link", "/srv/｛站点｝/{统计期}.html")  # braces typed full width too
    assert json.loads(chinese.stdout)["sites"][0]["report"] == "/srv/north/2026-10.html"


def test_the_program_reads_a_list_of_sites(company, tmp_path, dutyctl_forked):
    listing = tmp_path / "sites.txt"
    listing.write_text(f"# 全部站点\n{company / 'north'}\n{company / 'west'}\n",
                       encoding="utf-8")
    done = run_dutyctl(dutyctl_forked, "report", "portfolio", "--sites", str(listing),
                       "--week", "2026-W43", "--format", "json", root=company / "north")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert data["report"]["period"] == "2026-W43" and data["report"]["period_type"] == "weekly"
    assert [row["status"] for row in data["sites"]] == ["ok", "missing"]
    assert done.stderr.splitlines() == [
        f"site not read: {company / 'west'}: no such folder"]


def test_an_unreadable_record_file_is_left_out_and_named_from_the_sites_folder(tmp_path):
    site = demo_site(tmp_path / "north", "北苑物业服务中心")
    bad = site / "records" / "2026" / "10" / "20" / "01M5B3ETVRA9F9HDNHWPF1YYA9.yaml"
    bad.write_text("kind: call\nat: [\n", encoding="utf-8")
    done = invoke(str(site), "--month", MONTH, "--format", "json")
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["sites"][0]["skipped"] == 1
    assert done.stderr.splitlines() == [  # named from the site's folder: not another site's
        f"skipped: {site}/records/2026/10/20/01M5B3ETVRA9F9HDNHWPF1YYA9.yaml:3: not valid YAML: "
        "did not find expected node content; the file is read no further: check it again once "
        "this is mended"]


def test_a_site_s_skipped_files_are_counted_as_files_not_problems(tmp_path):
    """A malformed call with several problems (a line each), in a file whose name holds a
    ':': one file skipped."""
    site = demo_site(tmp_path / "north", "北苑物业服务中心")
    bad = site / "records" / "2026" / "10" / "20" / "from:desk2.yaml"
    bad.write_text("id: 01M5B3ETVRA9F9HDNHWPF1YYA9\nkind: call\nschema: 1\ncreated_at: 9:00\n",
                   encoding="utf-8")
    done = invoke(str(site), "--month", MONTH, "--format", "json")
    assert done.exit_code == 0, done.stderr
    assert done.stderr.count("skipped: ") > 1  # a line per problem
    assert json.loads(done.stdout)["sites"][0]["skipped"] == 1


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_link_pattern_cannot_make_a_script_link(company, fmt):
    shown = invoke(str(company / "north"), "--month", MONTH, "--format", fmt,
                   "--link", "javascript:alert({folder})").stdout
    target = "](<javascript" if fmt == "markdown" else 'href="javascript'
    assert target + ":alert" not in shown and target + "%3Aalert" in shown


def test_two_sites_of_the_same_name_are_told_apart_by_their_folders(tmp_path, monkeypatch):
    """Two centres a company both calls 阳光花园 (or a copied dutyctl.yaml): each row says
    its folder, first, so a narrow column still shows it; a site listed as `.` is named by
    the folder it stands for (its report is not the hidden file `.-2026-10.html`)."""
    demo_site(tmp_path / "north", "阳光花园小区物业客户服务中心")
    demo_site(tmp_path / "south", "阳光花园小区物业客户服务中心", LENIENT)
    monkeypatch.chdir(tmp_path / "south")
    (tmp_path / "out").mkdir()
    done = invoke(str(tmp_path / "north"), ".", "--month", MONTH, "--site-reports",
                  str(tmp_path / "out"), lang="zh_CN")
    assert done.exit_code == 0, done.stderr
    rows = [line.split()[0] for line in done.stdout.splitlines() if "阳光花园" in line]
    assert rows[:2] == ["north：阳光花园小区物业客户服务中心"] * 2  # its two misses
    assert {row[:6] for row in rows[2:]} == {"north：", "south："}
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "north-2026-10.txt", "south-2026-10.txt"]
    alone = invoke(str(tmp_path / "north"), "--month", MONTH, lang="zh_CN").stdout
    assert "north：" not in alone and "阳光花园小区物业客户服务中心  急修" in alone


def test_a_site_with_several_problems_says_the_first_and_counts_the_rest_in_words(tmp_path):
    from dutyctl import messages
    from dutyctl.errors import Problem, ProblemsFound

    broken = ProblemsFound([Problem("dutyctl.yaml", 9, "b"), Problem("dutyctl.yaml", 4, "a")])
    site = portfolio.Site("east", tmp_path)
    assert portfolio.failed_row(site, broken)["error"] == (
        "dutyctl.yaml:4: a (and 1 more problem)")
    with messages.speaking("zh_CN"):
        said = portfolio.failed_row(site, broken)["error"]
    assert said == "dutyctl.yaml:4: a（另有 1 个问题）", said


# -- site reports go where --output goes -------------------------------------------------------

def test_a_site_report_through_a_link_writes_the_file_it_names_and_keeps_the_link(company,
                                                                                   tmp_path):
    """`--site-reports /srv/reports`, where north-2026-10.txt is a link the web server
    serves: the link was replaced by a file of its own, the file it named kept the old
    report (as --output writes through it: storage.write_output)."""
    out, served = tmp_path / "out", tmp_path / "served.txt"
    out.mkdir()
    served.write_text("old", encoding="utf-8")
    (out / "north-2026-10.txt").symlink_to(served)
    done = invoke(str(company / "north"), "--month", MONTH, "--site-reports", str(out))
    assert done.exit_code == 0, done.stderr
    assert (out / "north-2026-10.txt").is_symlink()
    assert "北苑物业服务中心" in served.read_text(encoding="utf-8")


def test_a_site_report_onto_a_named_pipe_nothing_reads_is_refused_not_replaced(company,
                                                                               tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "north-2026-10.txt")
    done = invoke(str(company / "north"), "--month", MONTH, "--site-reports", str(out))
    assert done.exit_code == 3, done.output
    assert (out / "north-2026-10.txt").is_fifo()
    assert "a named pipe nothing reads" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("inside", ["records", "rosters", ".git"])
def test_site_reports_never_go_into_a_sites_own_folders(tmp_path, inside):
    """`--site-reports north/records` put north-2026-10.txt among the site's records (a
    file every desk's check then names), as --output may not (only the workspace of the
    folder the command ran in was asked)."""
    north = demo_site(tmp_path / "north", "北苑物业服务中心")
    (north / inside).mkdir(exist_ok=True)
    before = sorted(os.listdir(north / inside))
    done = invoke(str(north), "--month", MONTH, "--site-reports", str(north / inside))
    assert done.exit_code == 2, done.output
    assert "a file of the workspace itself" in done.stderr, done.stderr
    assert sorted(os.listdir(north / inside)) == before
    review = invoke(str(north), "--month", MONTH, "--output", str(north / inside / "a.txt"))
    assert review.exit_code == 2 and "a file of the workspace itself" in review.stderr
    assert sorted(os.listdir(north / inside)) == before
