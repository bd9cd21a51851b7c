"""Two desks of one Chinese site sharing a bare repository, every command typed in Chinese
as the installed program runs it (`dutyctl 初始化`, `同步`, `交接班`, `接班` …: the console
script's entry point in a fork, tests/entrypoint.py; a sync killed mid-way, the program
itself): what a clerk at the second desk is told when the desks' clocks are apart, or the
shared repository cannot be reached, or another desk pushed a file of the wrong kind."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Forked
from tests.entrypoint import run_forked
from tests.helpers_foundation import git
from tests.test_sync import no_git_config  # noqa: F401

__all__ = ["no_git_config"]  # the fixture pytest finds here by name

FIXED_CLOCK = str(Path(__file__).with_name("fixed_clock"))


def typed(command: list[str], desk: Path, *args: str, user: str = "张伟",
          now: str = "2026-11-20T10:00:00+08:00", path: str | None = None
          ) -> subprocess.CompletedProcess:
    """One command typed at `desk` under a Chinese system, its clock at `now` (`path`: the
    PATH it finds its programs on, the test run's if none). `command`: dutyctl_forked (the
    console script's entry point in a fork, tests/entrypoint.py) or the installed program."""
    env = {**os.environ, "LANG": "zh_CN.UTF-8", "DUTYCTL_USER": user,
           "PYTHONPATH": FIXED_CLOCK, "DUTYCTL_TEST_NOW": now}
    if path is not None:
        env["PATH"] = path
    for name in ("DUTYCTL_LANG", "DUTYCTL_ROOT", "LC_ALL", "LANGUAGE"):
        env.pop(name, None)
    if isinstance(command, Forked):
        return run_forked(list(args), env=env, cwd=desk)
    return subprocess.run([*command, *args], cwd=desk, capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def desks(tmp_path, dutyctl_forked) -> tuple[Path, Path]:
    """(A, B): a site made by `dutyctl 初始化`, pushed to a bare repository by `同步`, and a
    second desk cloned from it."""
    shared = tmp_path / "shared.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(shared))
    assert typed(dutyctl_forked, tmp_path, "初始化", "A").returncode == 0
    front = tmp_path / "A"
    git(front, "remote", "add", "origin", str(shared))
    assert typed(dutyctl_forked, front, "同步").returncode == 0
    git(tmp_path, "clone", "-q", str(shared), "B")
    return front, tmp_path / "B"


def test_a_handover_written_by_a_desk_whose_clock_is_ahead_is_accepted(desks, dutyctl_forked):
    """B's clock 5 minutes behind A's: `接班` of the handover A wrote was refused, `01M… 登记于
    10:05：处理步骤不能早于登记时间`, nothing to do but wait; and `--时间 10:05`, the minute the
    refusal named, was refused the same (the handover written at 10:05:30, shown as 10:05), as
    was `报修 派工 … --时间 10:20` on a repair filed at 10:20:30. Now the signature
    is recorded at the handover's time, saying the clock to set right, as a ticket's step is;
    a time typed to that minute is taken as that moment. And `接班` typed before the sync
    brought the handover was told only `没有等待 李娜 接班的交接`: now also that a handover
    written at another desk comes with `同步`. The time read off A's screen, `--时间 10:08`, was
    told `如果是昨天的事，请写 --时间 "昨天 10:08"`, a hint refused in turn (before the handover
    was written): now that this computer's clock may be behind."""
    front, night = desks
    for to, at in (("李娜", "10:05:00"), ("陈静", "10:20:30")):
        wrote = typed(dutyctl_forked, front, "交接班", "--接班人", to,
                      now=f"2026-11-20T{at}+08:00")
        assert wrote.returncode == 0, wrote.stderr
    early = typed(dutyctl_forked, night, "接班", user="李娜")  # before the sync brought it
    assert early.returncode == 2 and early.stderr == (
        "没有等待 李娜 接班的交接；在另一值班台写的交接要同步后才有：先 dutyctl 同步，再 dutyctl 接班\n"), \
        early.stderr
    waiting = typed(dutyctl_forked, night, "交接班", "待接班", user="李娜")  # nor here
    assert waiting.returncode == 0 and "在另一值班台写的交接要同步后才有：dutyctl 同步" in (
        waiting.stdout + waiting.stderr), waiting
    instead = typed(dutyctl_forked, night, "接班", "--代签", "王强", "--操作人", "孙丽",
                    user="李娜")  # the options the line to type next keeps
    assert instead.returncode == 2 and instead.stderr.endswith(
        "先 dutyctl 同步，再 dutyctl 接班 --代签 王强 --操作人 孙丽\n"), instead.stderr
    filed = typed(dutyctl_forked, front, "报修", "登记", "--姓名", "张三", "--房号", "3-2-501",
                  "--电话", "13812345678", "--内容", "卫生间漏水", now="2026-11-20T10:20:30+08:00")
    assert filed.returncode == 0, filed.stderr
    assert typed(dutyctl_forked, front, "同步", now="2026-11-20T10:21:00+08:00").returncode == 0
    assert typed(dutyctl_forked, night, "同步", user="李娜").returncode == 0
    ahead = typed(dutyctl_forked, night, "接班", "--时间", "10:08", user="李娜")
    assert ahead.returncode == 2 and ahead.stderr == (
        "2026-11-20 10:08 在将来，比这台电脑的时钟快 8 分钟（现在是 2026-11-20 10:00）：如果是这台电脑的时钟慢了，"
        "请校准；要按现在记录，不写 --时间 即可\n"), ahead.stderr  # not "昨天 10:08": refused too
    accepted = typed(dutyctl_forked, night, "接班", user="李娜",
                     now="2026-11-20T10:00:00+08:00")
    assert accepted.returncode == 0, accepted.stderr
    assert "慢 5 分钟：这一步按 2026-11-20 10:05 记录；请把这台电脑的时钟校准" in accepted.stderr, \
        accepted.stderr
    assert "全部接班人已确认：李娜（2026-11-20 10:05）" in accepted.stderr, accepted.stderr
    signed = typed(dutyctl_forked, night, "接班", "--时间", "10:20", user="陈静",
                   now="2026-11-20T10:16:00+08:00")
    assert signed.returncode == 0, signed.stderr
    assert "全部接班人已确认：陈静（2026-11-20 10:20）" in signed.stdout + signed.stderr, signed
    assert "慢" not in signed.stderr  # the time was typed: nothing said of the clock
    sent = typed(dutyctl_forked, night, "报修", "派工", filed.stdout.strip(), "--派给", "王强",
                 "--时间", "10:20", user="陈静", now="2026-11-20T10:16:00+08:00")
    assert sent.returncode == 0 and "已派工给 王强" in sent.stdout, sent.stderr
    waiting = typed(dutyctl_forked, night, "交接班", "待接班", user="陈静",
                    now="2026-11-20T10:16:00+08:00")
    assert waiting.returncode == 0 and "没有待接收的交接班记录" in waiting.stdout + waiting.stderr


def test_the_chinese_manual_says_the_typed_minute_rule_in_the_program_s_words():
    """README.md said it (a time typed to the minute of a record's latest entry is that
    moment; a desk whose clock is behind records a step, and `接班`, at that entry's time);
    the Chinese manual, where it covers `--时间` and `接班`, did not."""
    from dutyctl import messages

    manual = " ".join((Path(__file__).parents[1] / "README.zh-CN.md").read_text(
        encoding="utf-8").split())
    with messages.speaking("zh_CN"):
        behind = messages.tn(
            "this desk's clock is {minutes} minute behind {id}'s latest entry ({at}, another "
            "desk's clock): the step is recorded at {at}; set this computer's clock right",
            "this desk's clock is {minutes} minutes behind {id}'s latest entry ({at}, another "
            "desk's clock): the step is recorded at {at}; set this computer's clock right", 8,
            minutes=8, id="01M4…", at="2026-11-20 10:08")
        later = messages.t("{id} already has a later event ({action} at {latest}): record "
                           "this one at or after it", id="01M4…", action="派工",
                           latest="2026-10-12 10:20")
    assert f"`{behind}`" in manual and f"`{later}`" in manual
    # the rule itself: the minute typed is that moment; a time typed with its seconds is not
    assert "最近一步其实在 10:20:30 时写 `--时间 10:20`——就是那一刻" in manual
    assert "写了秒的（`--时间 10:20:15`）照原样记，从不挪动" in manual
    # where `接班` is told: its signature at the handover's time, and the typed minute
    assert "确认按那份交接的时间记录，并提醒校准时钟；`--时间` 写到那份交接" in manual


@pytest.fixture
def web_server(tmp_path):
    """A plain web server on 127.0.0.1 holding no repository: git over http is told 404."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    (tmp_path / "www").mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(Quiet, directory=str(tmp_path / "www")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_shared_repository_over_http_that_cannot_be_reached_is_said_in_words(
        desks, dutyctl_forked, web_server):
    """A Gitea or GitLab project is reached over http(s), where git says curl's English: a
    server down was `从 web 获取（git fetch）失败：unable to access 'https://…': Failed to
    connect to … Couldn't connect to server`, the ssh and file remotes' words (a name not
    known, no repository there, a connection refused) said of none of http's. Now the same
    words, then git's line as before; the record stays on the desk, exit 3."""
    from tests.test_sync import free_port

    front, night = desks
    assert typed(dutyctl_forked, night, "来电", "--姓名", "王五", "--房号", "5-1-1202", "--电话",
                 "13900001111", "--摘要", "门禁卡坏了", user="李娜").returncode == 0
    for name, url, said in (
            ("down", f"http://127.0.0.1:{free_port()}/site.git", "连不上服务器（没有网络，或服务器已停机）"),
            ("nohost", "https://desk.invalid/site.git", "服务器名称无法解析"),
            ("empty", f"{web_server}/site.git", "这个地址上没有共享仓库")):
        git(night, "remote", "add", name, url)
        failed = typed(dutyctl_forked, night, "同步", "--远程仓库", name, user="李娜")
        assert failed.returncode == 3, failed.stderr
        assert failed.stderr.startswith(f"从 {name} 获取（git fetch）失败：{said}"), failed.stderr
        assert "没有丢失任何内容" in failed.stderr and len(failed.stderr.splitlines()) == 1


def test_a_file_of_another_kind_pushed_into_the_wrong_folder_is_said_in_one_line(
        desks, dutyctl_forked):
    """A pushed by hand a call's file saved as rosters/2026-12.yaml and the rules copied
    into records/: B's sync said `rosters/2026-12.yaml：同步带来了新的排班表` (no roster came),
    and `检查` listed the call as a roster missing `period` with each of its fields unknown,
    the rules as a record missing id, kind, schema … — 15 lines for two files, and `列表`
    skipped the rules file in 5. Now each is one line saying what the file is and where such
    a file belongs."""
    from tests.helpers_foundation import identify

    front, night = desks
    made = typed(dutyctl_forked, front, "来电", "--姓名", "张三", "--房号", "3-2-501", "--电话",
                 "13812345678", "--摘要", "卫生间漏水")
    assert made.returncode == 0, made.stderr
    call = made.stdout.strip()
    day = front / "records" / "2026" / "11" / "20"
    (front / "rosters" / "2026-12.yaml").write_bytes((day / f"{call}.yaml").read_bytes())
    stray = day / "01M9920000000000000000000E.yaml"
    stray.write_bytes((front / "rosters" / "rules.yaml").read_bytes())
    identify(front)
    git(front, "add", "-A")
    git(front, "commit", "-q", "-m", "放错了地方")
    git(front, "push", "-q", "origin", "main")
    synced = typed(dutyctl_forked, night, "同步", user="李娜")
    assert synced.returncode == 0, synced.stderr
    assert "排班表" not in synced.stderr, synced.stderr
    checked = typed(dutyctl_forked, night, "检查", user="李娜")
    assert checked.returncode == 1
    lines = [line for line in checked.stdout.splitlines() if line.startswith(("rosters/",
                                                                              "records/"))]
    assert lines == [
        "records/2026/11/20/01M9920000000000000000000E.yaml:6: 不是记录：这是排班规则；排班规则应放在 "
        "rosters/rules.yaml",
        f"rosters/2026-12.yaml:1: 不是排班表：这是一条记录（来电 {call}）；记录的文件应放在 "
        "records/ 下"], checked.stdout
    listed = typed(dutyctl_forked, night, "列表", user="李娜")
    assert listed.returncode == 0 and call[:12] in listed.stdout
    assert listed.stderr.count("已跳过") == 1, listed.stderr


def test_a_sync_killed_after_its_merge_says_what_the_merge_brought_the_next_time(
        desks, dutyctl_forked, dutyctl_command, tmp_path):
    """B's sync killed (the machine switched off, `kill -9`) right after git merged A's
    dispatch of the repair B had sent to someone else: the next `同步` found nothing to merge
    and said only `已向 origin/main 推送 2 个提交`, so the desk never heard that two
    technicians were sent, nor how many records came. Now it says what that merge brought.
    The dispatch that then settles it said `已改派给 王强（原派给 刘洋）`: now that it settles
    the two."""
    front, night = desks
    filed = typed(dutyctl_forked, front, "报修", "登记", "--姓名", "张三", "--房号", "3-2-501",
                  "--电话", "13812345678", "--内容", "卫生间漏水", "--时间", "09:00")
    assert filed.returncode == 0, filed.stderr
    repair = filed.stdout.strip()[:12]
    assert typed(dutyctl_forked, front, "同步").returncode == 0
    assert typed(dutyctl_forked, night, "同步", user="李娜").returncode == 0
    assert typed(dutyctl_forked, front, "报修", "派工", repair, "--派给", "王强", "--时间",
                 "09:05").returncode == 0
    assert typed(dutyctl_forked, front, "同步").returncode == 0
    assert typed(dutyctl_forked, night, "报修", "派工", repair, "--派给", "刘洋", "--时间",
                 "09:07", user="李娜").returncode == 0
    _sync_killed_after_merge(night, tmp_path, dutyctl_command)
    again = typed(dutyctl_forked, night, "同步", user="李娜")
    assert again.returncode == 0, again.stderr
    assert again.stdout == "已从 origin/main 合并 1 条记录，推送 2 个提交\n", again.stdout
    assert again.stderr.startswith(f"同步带来：报修 {repair} 3-2-501 卫生间漏水：两个值班台未同步时"
                                   "分别派给了 王强"), again.stderr
    assert typed(dutyctl_forked, night, "同步", user="李娜").stdout == \
        "已与 origin/main 同步，无需更新\n"  # said once
    # the clerk settles it by sending 王强: was `已改派给 王强（原派给 刘洋）`, as though 王强
    # had never been sent
    settled = typed(dutyctl_forked, night, "报修", "派工", repair, "--派给", "王强", user="李娜")
    assert settled.returncode == 0, settled.stderr
    assert settled.stdout == (f"{repair} 已派工给 王强：两个值班台未同步时分别派给 王强、刘洋 的派工"
                              "由此定下\n"), settled.stdout


def _sync_killed_after_merge(desk: Path, tmp_path: Path, dutyctl_command) -> None:
    """李娜's `同步` at `desk` through a git that kills it once its merge is made: the installed
    program, a process of its own (git's parent, whom the wrapper kills)."""
    import shutil

    wrapper = tmp_path / "bin"
    wrapper.mkdir()
    (wrapper / "git").write_text(
        f'#!/bin/sh\n"{shutil.which("git")}" "$@"\nrc=$?\n'
        'case " $* " in *" merge --no-edit "*) kill -9 "$PPID";; esac\nexit $rc\n')
    (wrapper / "git").chmod(0o755)
    killed = typed(dutyctl_command, desk, "同步", user="李娜",
                   path=f"{wrapper}{os.pathsep}{os.environ['PATH']}")
    assert killed.returncode == -9, (killed.returncode, killed.stderr)


def test_a_roster_change_made_here_after_a_killed_sync_is_not_said_as_brought(
        desks, dutyctl_forked, dutyctl_command, tmp_path):
    """B's sync killed after merging A's override; B's clerk then recorded an override of
    her own; the next `同步`, saying what the killed merge brought, read the roster on disk
    and said B's own override as brought by the sync, recorded by 李娜. Now the roster as
    that merge left it: only A's override is said; and the `git diff` of dutyctl.yaml it
    names ends at that merge, not HEAD."""
    from tests.helpers_foundation import identify

    front, night = desks
    made = typed(dutyctl_forked, front, "排班", "生成", "--月份", "2026-11")
    assert made.returncode == 0, made.stderr
    assert typed(dutyctl_forked, front, "同步").returncode == 0
    assert typed(dutyctl_forked, night, "同步", user="李娜").returncode == 0
    theirs = typed(dutyctl_forked, front, "顶班", "2026-11-25", "白班", "王强", "--原因", "家中有事",
                   "--强制")
    assert theirs.returncode == 0, theirs.stderr
    with (front / "dutyctl.yaml").open("a", encoding="utf-8") as config:
        config.write("# 热线已改\n")
    identify(front)
    git(front, "commit", "-q", "-am", "热线")
    assert typed(dutyctl_forked, front, "同步").returncode == 0
    assert typed(dutyctl_forked, night, "来电", "--姓名", "王五", "--房号", "5-1-1202", "--电话",
                 "13900001111", "--摘要", "门禁卡坏了", user="李娜").returncode == 0
    before = git(night, "rev-parse", "HEAD").strip()
    _sync_killed_after_merge(night, tmp_path, dutyctl_command)
    merge = git(night, "rev-parse", "HEAD").strip()
    ours = typed(dutyctl_forked, night, "顶班", "2026-11-27", "白班", "陈静", "--原因", "病假",
                 "--强制", user="李娜")
    assert ours.returncode == 0, ours.stderr
    again = typed(dutyctl_forked, night, "同步", user="李娜")
    assert again.returncode == 0, again.stderr
    brought = [line for line in again.stderr.splitlines() if "同步带来的排班调整" in line]
    assert len(brought) == 1 and "11月25日" in brought[0] and "王强" in brought[0], again.stderr
    assert "11月27日" not in again.stderr and "陈静" not in again.stderr, again.stderr
    assert f"git diff {before[:10]} {merge[:10]} -- dutyctl.yaml" in again.stderr, again.stderr


def test_a_time_typed_with_its_seconds_before_a_records_latest_entry_is_not_moved(
        desks, dutyctl_forked):
    """A repair filed at 10:20:30: `派工 --时间 "2026-11-20 10:20:15"` was recorded at 10:20:30,
    silently, the rule for a time typed to the minute (10:20 is that moment) taken for one
    typed with its seconds. Now it is left to the step's own check, which refuses it; 10:20
    is still that moment."""
    front, _ = desks
    filed = typed(dutyctl_forked, front, "报修", "登记", "--姓名", "张三", "--房号", "3-2-501",
                  "--电话", "13812345678", "--内容", "卫生间漏水", now="2026-11-20T10:20:30+08:00")
    assert filed.returncode == 0, filed.stderr
    repair = filed.stdout.strip()
    early = typed(dutyctl_forked, front, "报修", "派工", repair, "--派给", "王强",
                  "--时间", "2026-11-20 10:20:15", now="2026-11-20T10:25:00+08:00")
    assert early.returncode == 2 and "早于" in early.stderr, early
    assert len(early.stderr.splitlines()) == 1, early.stderr
    sent = typed(dutyctl_forked, front, "报修", "派工", repair, "--派给", "王强",
                 "--时间", "10:20", now="2026-11-20T10:25:00+08:00")
    assert sent.returncode == 0, sent.stderr


@pytest.mark.parametrize("stderr, said", [
    ("fatal: unable to access 'https://git.example.cn/site.git/': Failed to connect to proxy "
     "10.0.0.9 port 3128 after 2 ms: Couldn't connect to server", "这台电脑设置的代理服务器连不上"),
    ("fatal: unable to access 'https://git.example.cn/site.git/': Could not resolve proxy: "
     "proxy.invalid", "这台电脑设置的代理服务器连不上"),
    ("fatal: unable to access 'https://git.example.cn/site.git/': Received HTTP code 407 from "
     "proxy after CONNECT", "这台电脑设置的代理服务器连不上"),
    ("fatal: unable to access 'https://git.example.cn/site.git/': CONNECT tunnel failed, "
     "response 403", "这台电脑设置的代理服务器连不上"),
    ("fatal: unable to access 'https://git.example.cn/site.git/': The requested URL returned "
     "error: 403", "本值班台所用的账号没有访问这个仓库的权限"),
    ("fatal: unable to access 'https://git.example.cn/site.git/': Failed to connect to "
     "git.example.cn port 443 after 21045 ms: Timed out", "服务器没有响应"),
    ("fatal: unable to access 'https://git.example.cn/site.git/': Failed to connect to "
     "git.example.cn port 443 after 3 ms: Couldn't connect to server",
     "连不上服务器（没有网络，或服务器已停机）（git："),
    ("fatal: could not read Username for 'https://git.example.cn': No such device or address",
     "服务器要求用户名和密码，而本值班台没有保存：请用 git 的凭据助手 credential helper 保存一次（git："),
])
def test_git_over_http_that_fails_is_said_in_words(monkeypatch, stderr, said):
    """curl's words git passes on: a proxy of this computer's that cannot be reached was said
    as the server down or its name unknown; 403 (no access for this desk's user), Windows'
    `Timed out` were git's English alone; `Couldn't connect to server` (no network, too) was
    said as the server down; the credential hint nested three brackets deep."""
    from dutyctl.sync import _git_failure

    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    assert _git_failure(stderr).startswith(said), _git_failure(stderr)


def test_a_sync_news_note_that_is_not_two_commit_ids_is_ignored(desks, dutyctl_forked,
                                                                  tmp_path):
    """.dutyctl/sync-news (a killed sync's note) was split and handed to git as read: a value
    like `--output=/tmp/x` reached `git rev-list` as an option, which wrote the file. Now only
    two commit ids are read; anything else is ignored and removed."""
    front, night = desks
    out = tmp_path / "written"
    head = git(night, "rev-parse", "HEAD").strip()
    (night / ".dutyctl").mkdir(exist_ok=True)
    (night / ".dutyctl" / "sync-news").write_text(f"--output={out} {head}\n")
    synced = typed(dutyctl_forked, night, "同步", user="李娜")
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout == "已与 origin/main 同步，无需更新\n", synced.stdout
    assert not list(tmp_path.glob("written*"))
    assert not (night / ".dutyctl" / "sync-news").exists()


def test_minutes_ahead_are_never_said_as_the_tolerance(desks, dutyctl_forked):
    """At 10:00:40, `--时间 10:06` (5 minutes 20 seconds ahead, 5 allowed) was refused as
    `快 5 分钟`, rounded: as though 5 were not allowed. Now the minutes are rounded up."""
    front, _ = desks
    ahead = typed(dutyctl_forked, front, "来电", "--姓名", "王五", "--房号", "5-1-1202", "--电话",
                  "13900001111", "--摘要", "门禁卡坏了", "--时间", "10:06",
                  now="2026-11-20T10:00:40+08:00")
    assert ahead.returncode == 2 and "比这台电脑的时钟快 6 分钟" in ahead.stderr, ahead.stderr


@pytest.mark.parametrize("data, here, said", [
    ({"基本信息": {"名称": "阳光花园"}}, "record", "dutyctl.yaml 的副本"),
    ({"人员": [{"编号": "zhangwei"}]}, "roster", "排班规则；排班规则应放在 rosters/rules.yaml"),
    ({"固定轮班": []}, "record", "排班规则；排班规则应放在 rosters/rules.yaml"),
])
def test_a_file_of_another_kind_is_known_by_its_chinese_top_keys(monkeypatch, data, here, said):
    """dutyctl.yaml and the rules take several Chinese names for a top key (基本信息 as well as
    站点, 人员 as well as 员工): only 站点, 班次 and 员工 were known, so a copy of dutyctl.yaml
    written with 基本信息 in records/ was a line for each key it had and each it lacked."""
    from dutyctl.records import another_kind

    monkeypatch.setenv("DUTYCTL_LANG", "zh_CN")
    assert another_kind(data, here) == said
