"""Notifications: a fake WeChat Work robot and a fake DingTalk robot on 127.0.0.1 (threads in
this process) answering as the real APIs do, errors and slow answers included; a command
channel run as a small script; the outbox, its flush and the deadline watch."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest

from dutyctl.notify import dispatch, outbox as outbox_module
from dutyctl.notify.dispatch import Delivery, flush, queue
from dutyctl.notify.outbox import Message, Outbox
from dutyctl.notify.texts import Notice
from dutyctl.notify.send import dingtalk_sign
from dutyctl.workspace import Workspace
from tests.conftest import Cli, run_dutyctl
from tests.helpers_desk import october_site
from tests.helpers_foundation import git, identify

DINGTALK_SECRET = "SECtest0123456789abcdef"
OK = {"errcode": 0, "errmsg": "ok"}


class Robot:
    """Both robots on one port: /cgi-bin/webhook/send?key=K (WeChat Work) and
    /robot/send?access_token=T (DingTalk, signed). `answers[robot]` is a script of how that
    robot answers its next requests ("ok", "refuse", "http500", "slow"); empty means "ok"."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: dict[str, list[str]] = {"wechat": [], "dingtalk": []}
        self.lock = threading.Lock()
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                which = "wechat" if parts.path.startswith("/cgi-bin") else "dingtalk"
                with robot.lock:
                    script = robot.answers[which]
                    answer = script.pop(0) if script else "ok"
                seen = {"path": parts.path, "query": query, "body": body, "answer": answer,
                        "raw_query": parts.query}
                if answer == "slow":
                    time.sleep(4)
                if answer == "http500":
                    robot.record(seen)  # before answering: the client goes on at once
                    self.send_response(500)
                    self.end_headers()
                    return
                reply = OK
                if parts.path == "/robot/send" and not robot.signed(query):
                    reply = {"errcode": 310000, "errmsg": "sign not match"}
                elif answer == "refuse":
                    reply = ({"errcode": 93000, "errmsg": "invalid webhook url"}
                             if parts.path.startswith("/cgi-bin") else
                             {"errcode": 130101, "errmsg": "send too fast"})
                seen["errcode"] = reply["errcode"]
                robot.record(seen)
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up waiting

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # shutdown() waits for the next poll: 0.5 s by default, per test
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,),
                                       daemon=True)
        self.thread.start()
        port = self.server.server_address[1]
        self.wechat_url = f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=test-key"
        self.dingtalk_url = f"http://127.0.0.1:{port}/robot/send?access_token=test-token"

    def record(self, seen: dict) -> None:
        with self.lock:
            self.requests.append(seen)

    @staticmethod
    def signed(query: dict) -> bool:
        """DingTalk's check: HMAC-SHA256 of "timestamp\\nsecret", base64, within an hour."""
        if "timestamp" not in query or "sign" not in query:
            return False
        stamp = query["timestamp"][0]
        if abs(int(stamp) - time.time() * 1000) > 3600 * 1000:
            return False
        expected = base64.b64encode(hmac.new(DINGTALK_SECRET.encode(),
                                             f"{stamp}\n{DINGTALK_SECRET}".encode(),
                                             hashlib.sha256).digest()).decode()
        return query["sign"][0] == expected

    def delivered(self, path_start: str = "") -> list[str]:
        """Texts the robot accepted (errcode 0)."""
        with self.lock:
            return [seen["body"]["text"]["content"] for seen in self.requests
                    if seen.get("errcode") == 0 and seen["path"].startswith(path_start)]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot(monkeypatch):
    server = Robot()
    monkeypatch.setenv("TEST_WECHAT_WEBHOOK", server.wechat_url)
    monkeypatch.setenv("TEST_DINGTALK_WEBHOOK", server.dingtalk_url)
    yield server
    server.close()


SMS_SCRIPT = """\
# a stand-in SMS gateway client: the message on stdin, appended to the log named by $1
if [ -e "${1%.log}.fail" ]; then echo "gateway down" >&2; exit 1; fi
cat >> "$1"
printf '\\n-----\\n' >> "$1"
"""


def configure(root: Path, secrets: Path, extra: str = "") -> Path:
    """The notify section for the fake robots and an SMS script; returns the SMS log path."""
    secrets.mkdir(exist_ok=True)
    (secrets / "dingtalk-secret").write_text(DINGTALK_SECRET + "\n", encoding="utf-8")
    script = secrets / "sms.sh"
    script.write_text(SMS_SCRIPT, encoding="utf-8")
    sms_log = secrets / "sms.log"
    text = f"""
notify:
  channels:
    office: {{type: wechat-work, webhook_env: TEST_WECHAT_WEBHOOK}}
    bosses:
      type: dingtalk
      webhook_env: TEST_DINGTALK_WEBHOOK
      secret_file: "{secrets / 'dingtalk-secret'}"
    sms:
      type: command
      command: [/bin/sh, "{script}", "{sms_log}"]
  rules:
    emergency-opened: [office, bosses, sms]
    emergency-closed: [office]
    emergency-repair-filed: [office]
    deadline-soon: [office]
    deadline-missed: [bosses]
    handover-not-accepted: [bosses]
    absence: [bosses]
  warn_before: 15m
{extra}"""
    with (root / "dutyctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write(text)
    return sms_log


@pytest.fixture
def site(workspace, tmp_path, robot, clock):
    """The notify section configured, its SMS command approved; the clock at the `clock`
    fixture's 2026-10-12 09:30."""
    sms_log = configure(workspace.root, tmp_path / "secrets")
    approve(workspace.root, "sms")
    return workspace, sms_log


def approve(root: Path, name: str) -> None:
    """This desk approves the command of channel `name` as dutyctl.yaml has it now."""
    from dutyctl.notify.consent import allow, lookup

    desk = Workspace(root)
    channel = desk.config.notify.channels[name]
    allow(desk, channel, lookup(channel.command))


def open_fire(cli) -> str:
    done = cli("emergency", "open", "--type", "fire", "--where", "3号楼大堂", "--content",
               "3楼冒烟，住户13812345678报警", "--at", "09:00")
    assert done.exit_code == 0, done.stderr
    return done.stdout.splitlines()[0]


def waiting(root: Path) -> list[Message]:
    return Outbox(root / ".dutyctl").waiting()


# -- the configuration ----------------------------------------------------------------------


def test_a_secret_written_in_the_config_is_refused_at_its_line(workspace):
    with (workspace.root / "dutyctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\nnotify:\n  channels:\n    office:\n      type: wechat-work\n"
                     "      webhook: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc\n"
                     "  rules:\n    emergency-opened: [office, nobody]\n")
    lines = (workspace.root / "dutyctl.yaml").read_text(encoding="utf-8").splitlines()
    webhook_line = next(number for number, line in enumerate(lines, 1) if "webhook:" in line)
    cli = Cli(workspace.root)
    checked = cli("check")
    assert checked.exit_code == 1
    assert (f"dutyctl.yaml:{webhook_line}: notify.channels.office.webhook: a secret written in "
            "dutyctl.yaml") in checked.stdout
    assert "notify.rules.emergency-opened: no channel 'nobody'" in checked.stdout
    refused = cli("log", "note", "值班正常", "--staff", "zhangwei", "--at", "2026-11-20 09:00")
    assert refused.exit_code == 2 and f"dutyctl.yaml:{webhook_line}:" in refused.stderr
    assert "Traceback" not in refused.stderr
    shown = cli("who", "--at", "2026-11-20 09:00")  # reads on without the notify section
    assert f"dutyctl.yaml:{webhook_line}:" in shown.stderr and "Traceback" not in shown.stderr


def test_channel_types_and_events_are_taken_in_chinese(workspace):
    """A supervisor writes `type: 企业微信` and `缺勤:`, as the README's comments name them;
    the ids are kept, and a word that is none of them is refused with the Chinese ones."""
    with (workspace.root / "dutyctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\nnotify:\n  channels:\n    值班群: {type: 企业微信, webhook_env: WX}\n"
                     "    主管群: {type: 钉钉, webhook_env: DD, secret_env: DS}\n"
                     "  rules:\n    突发事件登记: [值班群, 主管群]\n    缺勤: [主管群]\n")
    cli = Cli(workspace.root)
    assert cli("check").exit_code == 0
    settings = Workspace(workspace.root).config.notify
    assert settings.channels["值班群"].type == "wechat-work"
    assert settings.channels["主管群"].type == "dingtalk"
    assert settings.rules["emergency-opened"] == ("值班群", "主管群")
    assert settings.rules["absence"] == ("主管群",)
    text = (workspace.root / "dutyctl.yaml").read_text(encoding="utf-8")
    (workspace.root / "dutyctl.yaml").write_text(
        text.replace("type: 企业微信", "type: 微信").replace("缺勤:", "缺了勤:"), encoding="utf-8")
    checked = cli("check", env={"DUTYCTL_LANG": "zh_CN"})
    assert checked.exit_code == 1
    assert "“微信”不在可选值中：企业微信群机器人（wechat-work）、钉钉群机器人（dingtalk）" in checked.stdout
    assert "notify.rules.缺了勤: 未知事件（应为以下之一：突发事件登记（emergency-opened）" in checked.stdout
    (workspace.root / "dutyctl.yaml").write_text(text.replace(
        "    缺勤: [主管群]\n", "    缺勤: [主管群]\n    emergency-opened: [主管群]\n"),
        encoding="utf-8")
    twice = cli("check", env={"DUTYCTL_LANG": "zh_CN"})  # one line of two would be lost
    assert twice.exit_code == 1 and "notify.rules.emergency-opened: 事件 突发事件登记" in twice.stdout


def test_check_flags_a_secret_file_inside_the_workspace(workspace):
    inside = workspace.root / "secret.txt"
    with (workspace.root / "dutyctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"\nnotify:\n  channels:\n    bosses:\n      type: dingtalk\n"
                     f"      webhook_env: X_HOOK\n      secret_file: \"{inside}\"\n")
    checked = Cli(workspace.root)("check")
    assert checked.exit_code == 1
    assert "notify.channels.bosses: " in checked.stdout and "inside the workspace" in checked.stdout


def test_without_a_notify_section_nothing_is_queued(workspace, clock):
    cli = Cli(workspace.root)
    assert open_fire(cli)
    assert waiting(workspace.root) == []
    unknown = cli("notify", "test", "office")
    assert unknown.stderr == ("no channel 'office': dutyctl.yaml has no notify.channels yet "
                              "(the README's Notifications section shows one)\n")  # never "-"
    assert unknown.exit_code == 2
    assert cli("notify", "watch", "--at", "09:20").stdout == ""


def test_relative_secret_file_and_bad_env_name_are_refused(workspace):
    with (workspace.root / "dutyctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\nnotify:\n  channels:\n    bosses:\n      type: dingtalk\n"
                     "      webhook_env: \"not a name\"\n      secret_file: secret.txt\n"
                     "  handover_within: 2wd\n")
    checked = Cli(workspace.root)("check")
    assert ("notify.channels.bosses.webhook_env: expected the name of an environment"
            in checked.stdout)
    assert "notify.channels.bosses.secret_file: expected an absolute path" in checked.stdout
    assert "notify.handover_within:" in checked.stdout


# -- the robots' APIs -------------------------------------------------------------------------


def test_dingtalk_signature_matches_the_documented_recipe():
    stamp = 1700000000000
    digest = hmac.new(b"SECabc", f"{stamp}\nSECabc".encode(), hashlib.sha256).digest()
    sign = dingtalk_sign("SECabc", stamp)
    assert unquote_plus(sign) == base64.b64encode(digest).decode()
    assert "+" not in sign and "/" not in sign and "=" not in sign  # URL-encoded


def test_an_emergency_reaches_every_channel_in_the_site_language(site, cli, robot):
    workspace, sms_log = site
    record_id = open_fire(cli)
    wechat = robot.delivered("/cgi-bin")
    dingtalk = robot.delivered("/robot")
    assert len(wechat) == 1 and len(dingtalk) == 1
    signed = next(seen for seen in robot.requests if seen["path"] == "/robot/send")
    assert signed["query"]["access_token"] == ["test-token"] and "sign" in signed["query"]
    assert signed["body"]["msgtype"] == "text"
    for text in (wechat[0], dingtalk[0], sms_log.read_text(encoding="utf-8")):
        assert "【阳光花园小区物业客户服务中心】突发事件：火灾" in text  # site.language
        assert "3号楼大堂" in text and record_id[:12] in text
        assert "138****5678" in text and "13812345678" not in text
    assert waiting(workspace.root) == []


def test_a_refusal_leaves_the_record_written_and_the_message_waiting(site, cli, robot):
    workspace, _ = site
    robot.answers = {"wechat": ["refuse"], "dingtalk": ["http500"]}
    record_id = open_fire(cli)
    assert list(workspace.root.glob(f"records/**/{record_id}.yaml"))
    kept = {message.channel: message for message in waiting(workspace.root)}
    assert set(kept) == {"office", "bosses"}
    assert "errcode 93000" in kept["office"].reason and "HTTP 500" in kept["bosses"].reason
    assert kept["office"].attempts == 1
    delivery, still = flush(Workspace(workspace.root))
    assert sorted(message.channel for message in delivery.sent) == ["bosses", "office"]
    assert still == []
    assert len(robot.delivered("/cgi-bin")) == 1 and len(robot.delivered("/robot")) == 1
    again = Cli(workspace.root)("notify", "flush")
    assert again.exit_code == 0 and again.stdout == ""  # cron mails nothing
    assert len(robot.requests) == 4  # 2 failed + 2 sent, nothing twice


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:abc/", "http://例子.测试/",
                                 "http://127.0.0.1:9/路径", "http://a b/", "http://a..b/"])
def test_a_webhook_that_is_no_valid_url_is_a_refusal_kept_for_later(site, cli, robot,
                                                                      monkeypatch, url):
    """A webhook URL mistyped in the secret (an unclosed bracket, a port of letters, Chinese
    in it): `notify test` ended with the unexpected error, and an emergency's announcement
    printed a thread's traceback and left the message in sending/, where neither the outbox
    nor a flush saw it. Now each is a refusal, said without the URL (it holds the key), the
    message waiting in the outbox for a flush once the URL is mended."""
    workspace, _ = site
    monkeypatch.setenv("TEST_WECHAT_WEBHOOK", url)
    tested = cli("notify", "test", "office")
    assert tested.exit_code == 3 and "the webhook is not a valid URL" in tested.stderr, \
        tested.stderr
    assert url not in tested.stderr
    opened = cli("emergency", "open", "--type", "fire", "--where", "3号楼大堂", "--content",
                 "3楼冒烟", "--at", "09:00")
    assert opened.exit_code == 0 and "Traceback" not in opened.stderr, opened.stderr
    (kept,) = [message for message in waiting(workspace.root) if message.channel == "office"]
    assert "not a valid URL" in kept.reason
    monkeypatch.setenv("TEST_WECHAT_WEBHOOK", robot.wechat_url)
    delivery, still = flush(Workspace(workspace.root))
    assert "office" in [message.channel for message in delivery.sent] and still == []


def test_a_wrong_dingtalk_secret_is_a_refusal_kept_for_later(site, cli, robot, tmp_path):
    workspace, _ = site
    (tmp_path / "secrets" / "dingtalk-secret").write_text("SECwrong", encoding="utf-8")
    open_fire(cli)
    kept = [message for message in waiting(workspace.root) if message.channel == "bosses"]
    assert len(kept) == 1 and "310000" in kept[0].reason
    (tmp_path / "secrets" / "dingtalk-secret").write_text(DINGTALK_SECRET, encoding="utf-8")
    assert Cli(workspace.root)("notify", "flush").exit_code == 0
    assert len(robot.delivered("/robot")) == 1


def test_a_slow_robot_never_holds_the_desk(site, cli, robot, monkeypatch):
    workspace, _ = site
    robot.answers["wechat"] = ["slow"]
    monkeypatch.setattr(dispatch, "DESK_BUDGET", 0.3)  # 1.5 s at the desk: waited for nothing
    done = cli("emergency", "open", "--type", "fire", "--where", "3号楼", "--at", "09:00")
    assert done.exit_code == 0
    assert "it waits in the outbox" in done.stderr
    # the robot answers after 4 s: the desk gave up at its budget, tried once, and said so
    kept = {message.channel: message for message in waiting(workspace.root)}
    assert set(kept) == {"office"}
    assert kept["office"].reason == "no answer within 0.3 s" and kept["office"].attempts == 1
    assert flush(Workspace(workspace.root))[1] == []


def test_the_command_channel_gets_the_message_on_stdin_and_failures_wait(site, cli, robot):
    workspace, sms_log = site
    sms_log.with_suffix(".fail").write_text("", encoding="utf-8")
    open_fire(cli)
    kept = [message for message in waiting(workspace.root) if message.channel == "sms"]
    assert len(kept) == 1 and "gateway down" in kept[0].reason
    assert not sms_log.exists()
    sms_log.with_suffix(".fail").unlink()
    assert flush(Workspace(workspace.root))[1] == []
    assert sms_log.read_text(encoding="utf-8").count("-----") == 1


@pytest.mark.parametrize("failed_in, shown_in", [("zh_CN", "en"), ("en", "zh_CN")])
def test_why_a_message_waits_is_said_in_the_language_of_the_command_showing_it(
        site, cli, robot, failed_in, shown_in):
    """The outbox keeps why the last attempt failed as a message id and its values, never
    the words: a desk in the other language reads it in its own."""
    workspace, sms_log = site
    sms_log.with_suffix(".fail").write_text("", encoding="utf-8")
    said = {"en": "the command failed (exit 1): gateway down",
            "zh_CN": "命令执行失败（退出码 1）：gateway down"}
    done = cli("--lang", failed_in, "emergency", "open", "--type", "fire", "--where", "3号楼",
               "--at", "09:00")
    assert done.exit_code == 0 and said[failed_in] in done.stderr, done.stderr
    (kept,) = [path for path in (workspace.root / ".dutyctl" / "outbox").glob("*.sms.json")]
    text = kept.read_text(encoding="utf-8")
    assert "the command failed (exit {code}): {said}" in text and said["zh_CN"] not in text
    for fmt in ("table", "csv"):
        shown = cli("--lang", shown_in, "notify", "outbox", "--format", fmt)
        assert shown.exit_code == 0, shown.stderr
        assert said[shown_in] in shown.stdout and said[failed_in] not in shown.stdout


def test_two_flushes_at_once_send_each_message_once(site, robot):
    workspace, _ = site
    ws = Workspace(workspace.root)
    from datetime import datetime, timezone

    at = datetime(2026, 10, 12, 1, 0, tzinfo=timezone.utc)
    for number in range(6):
        queue(ws, "emergency-closed", Notice(f"message {number}", f"message {number}"), at)
    results: list[Delivery] = []
    threads = [threading.Thread(target=lambda: results.append(flush(ws)[0])) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(len(result.sent) for result in results) == 6
    assert sorted(robot.delivered()) == sorted(f"message {n}" for n in range(6))
    assert waiting(workspace.root) == []


def test_a_claim_left_by_a_killed_sender_goes_back_to_the_queue(workspace, monkeypatch):
    box = Outbox(workspace.root / ".dutyctl")
    message = Message("A1", "office", "emergency-closed", "text", "2026-10-12T09:00:00+08:00")
    box.put(message)
    assert box.claim(message) and not box.claim(message)
    assert box.waiting() == []
    monkeypatch.setattr(outbox_module, "STALE_CLAIM", -1)
    assert [replace(queued, seal=None) for queued in box.waiting()] == [message]


def test_the_outbox_lists_a_message_by_its_headline_without_the_sites_tag(site, cli, robot):
    workspace, _ = site
    robot.answers = {"wechat": ["refuse"] * 3, "dingtalk": ["refuse"] * 3}
    assert cli("emergency", "open", "--type", "fire", "--where", "3号楼", "--content", "冒烟",
               "--at", "09:00").exit_code == 0
    queued = Outbox(workspace.root / ".dutyctl").waiting()  # in the site's language
    assert queued and all(message.text.startswith("【阳光花园小区物业客户服务中心】突发事件")
                          for message in queued)
    assert {message.about for message in queued} == {"突发事件：火灾，地点：3号楼（10-12 09:00 张伟 登记）"}
    # a message queued by an older dutyctl (no headline kept) is listed by its first line
    older = Message("A1", "office", "emergency-closed", "[阳光花园] closed\nId: x",
                    "2026-10-12T09:00:00+08:00")
    assert older.about == "[阳光花园] closed"


def test_an_emergency_repair_and_a_closing_are_announced(site, cli, robot):
    workspace, _ = site
    filed = cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                "13900001111", "--category", "water-electric", "--content", "爆管漏水",
                "--urgency", "emergency", "--at", "09:10")
    assert filed.exit_code == 0, filed.stderr
    general = cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                  "13900001111", "--category", "doors-windows", "--content", "门把手松了",
                  "--urgency", "general", "--at", "09:11")
    assert general.exit_code == 0
    texts = robot.delivered("/cgi-bin")
    assert len(texts) == 1 and "急修" in texts[0] and "139****1111" in texts[0]
    assert "10-12 09:40" in texts[0]  # on site within 30 minutes
    record_id = open_fire(cli)
    closed = cli("emergency", "close", record_id, "--summary", "已扑灭", "--at", "09:20")
    assert closed.exit_code == 0
    assert "已扑灭" in robot.delivered("/cgi-bin")[-1]


def test_notify_test_says_whether_the_channel_works(site, cli, robot, tmp_path):
    assert cli("notify", "test", "bosses").exit_code == 0
    assert "测试消息" in robot.delivered("/robot")[0]
    robot.answers["wechat"] = ["http500"]
    failed = cli("notify", "test", "office")
    assert failed.exit_code == 3 and "HTTP 500" in failed.stderr
    unknown = cli("notify", "test", "nowhere")
    assert unknown.exit_code == 2 and "office" in unknown.stderr


# -- the deadline watch ---------------------------------------------------------------------


def file_emergency_repair(cli, at: str) -> str:
    done = cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
               "13900001111", "--category", "water-electric", "--content", "爆管",
               "--urgency", "emergency", "--at", at)
    assert done.exit_code == 0, done.stderr
    return done.stdout.strip()


def alert_files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes()
            for path in sorted((root / "alerts").rglob("*.yaml"))}


def test_the_watch_raises_each_alert_once(site, cli, robot, clock):
    workspace, _ = site
    file_emergency_repair(cli, "09:00")  # respond by 09:15, arrive by 09:30
    robot.requests.clear()
    first = cli("notify", "watch", "--at", "09:20")
    assert first.exit_code == 0, first.stderr
    assert len(robot.delivered("/robot")) == 1  # respond: missed -> bosses
    assert len(robot.delivered("/cgi-bin")) == 1  # arrive: due soon -> office
    assert "已超时" in robot.delivered("/robot")[0] and "响应" in robot.delivered("/robot")[0]
    soon = robot.delivered("/cgi-bin")[0]
    assert "到场" in soon and "还剩 10分钟" in soon
    for minute in ("09:22", "09:25"):
        assert cli("notify", "watch", "--at", minute).stdout == ""
    assert len(robot.requests) == 2
    cli("notify", "watch", "--at", "09:31")  # arrive is now missed too
    assert len(robot.delivered("/robot")) == 2 and len(robot.requests) == 3
    assert len(alert_files(workspace.root)) == 3
    second = file_emergency_repair(cli, "09:29")  # announced at filing: request 4
    assert cli("repair", "dispatch", second, "--to", "wangqiang", "--at", "09:30").exit_code == 0
    assert cli("notify", "watch", "--at", "09:31").stdout == ""  # responded; arrive in 28m
    assert len(robot.requests) == 4
    cli("notify", "watch", "--at", "09:45")  # arrive by 09:59: due soon
    assert len(robot.requests) == 5 and "即将超时" in robot.delivered("/cgi-bin")[-1]


def test_due_soon_counts_what_is_left_on_the_limits_clock(site, cli, robot, clock):
    """warn_before (15m) against what is left on the limit's clock, as the alert's text
    counts it: a business-hours repair due Monday 08:35 is due soon on Friday at 17:20 (15
    business minutes left), and one due after the National Day holiday on the holiday."""
    clock.set("2026-11-30T09:00:00+08:00")

    def general_repair(at: str) -> str:
        done = cli("repair", "file", "--name", "赵六", "--room", "3-1-201", "--phone",
                   "13900001111", "--category", "leaks", "--content", "墙面渗水",
                   "--urgency", "general", "--at", at)
        assert done.exit_code == 0, done.stderr
        return done.stdout.strip()

    general_repair("2026-11-06 15:35")  # respond: 115 minutes on Friday, 5 on Monday
    assert cli("notify", "watch", "--at", "2026-11-06 17:00").stdout == ""  # 35m left
    raised = cli("notify", "watch", "--at", "2026-11-06 17:20")
    assert raised.exit_code == 0, raised.stderr
    (soon,) = robot.delivered("/cgi-bin")
    assert "即将超时" in soon and "响应" in soon and "还剩 15分钟" in soon
    general_repair("2026-09-30 15:35")  # due 10-08 08:35: 10-01..10-07 are off
    assert cli("notify", "watch", "--at", "2026-09-30 17:00").stdout == ""  # 35m left
    cli("notify", "watch", "--at", "2026-10-05 12:00")  # a holiday: 5m left
    assert len(robot.delivered("/cgi-bin")) == 2
    assert "还剩 5分钟" in robot.delivered("/cgi-bin")[-1]


def test_handover_not_accepted_is_raised_once(site, cli, robot):
    workspace, _ = site
    written = cli("handover", "--to", "lina", "--note", "钥匙在抽屉", "--at", "09:00")
    assert written.exit_code == 0, written.stderr
    assert cli("notify", "watch", "--at", "09:20").stdout == ""
    raised = cli("notify", "watch", "--at", "09:31")
    assert len(robot.delivered("/robot")) == 1 and "李娜" in robot.delivered("/robot")[0]
    assert raised.stdout.count("\n") == 1
    cli("notify", "watch", "--at", "09:40")
    assert len(robot.requests) == 1


def test_a_handover_accepted_by_one_of_two_is_still_waiting_and_names_who_is_missing(
        site, cli, robot):
    written = cli("handover", "--to", "lina,wangqiang", "--at", "09:00")
    assert written.exit_code == 0, written.stderr
    accepted = cli("handover", "accept", "--staff", "lina", "--at", "09:10")
    assert accepted.exit_code == 0, accepted.stderr
    raised = cli("notify", "watch", "--at", "09:31")
    assert raised.exit_code == 0, raised.stderr
    (text,) = robot.delivered("/robot")
    assert "尚未确认的是 王强" in text and "李娜、王强" in text  # to both, 王强 missing


def test_an_absence_at_shift_start_is_raised_once(site, cli, robot):
    workspace, _ = site
    october_site(workspace.root)  # 10-05: 张伟 day 08:00-20:00, 李娜 night from 20:00
    assert cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55").exit_code == 0
    assert cli("notify", "watch", "--at", "2026-10-05 20:03").stdout == ""  # within grace
    raised = cli("notify", "watch", "--at", "2026-10-05 20:10")
    assert raised.exit_code == 0, raised.stderr
    texts = robot.delivered("/robot")
    # the person, then the shift: "缺勤：陈静的前台已于…" read as her front desk
    assert len(texts) == 1 and "缺勤：李娜尚未签到，夜班已于 " in texts[0], texts
    assert "张伟" not in texts[0]
    assert cli("notify", "watch", "--at", "2026-10-05 20:30").stdout == ""
    assert len(robot.requests) == 1


@pytest.mark.auto_commit
def test_two_desks_raise_the_identical_alert_and_merge_it_as_one(workspace, tmp_path, robot,
                                                                 clock):
    configure(workspace.root, tmp_path / "secrets")
    git(workspace.root, "add", "dutyctl.yaml")
    git(workspace.root, "commit", "-q", "-m", "notify")  # the clock at 2026-10-12 09:30
    front = Cli(workspace.root)
    file_emergency_repair(front, "09:00")
    night_root = tmp_path / "night"
    git(tmp_path, "clone", "-q", str(workspace.root), str(night_root))
    identify(night_root)
    night = Cli(night_root)
    assert front("notify", "watch", "--at", "09:20").exit_code == 0
    assert night("notify", "watch", "--at", "09:20").exit_code == 0  # not synced yet
    assert alert_files(workspace.root) == alert_files(night_root) != {}
    subject = git(workspace.root, "log", "-1", "--format=%s").strip()  # the site's language
    assert subject.startswith("dutyctl 通知 监控：") and subject.endswith("条提醒"), subject
    git(night_root, "pull", "-q", "--no-rebase", "origin", "main")
    assert git(night_root, "status", "--porcelain") == ""
    sent = len(robot.requests)
    assert night("notify", "watch", "--at", "09:25").stdout == ""
    assert front("notify", "watch", "--at", "09:25").stdout == ""
    assert len(robot.requests) == sent


def test_the_installed_binary_flushes_the_outbox(site, cli, robot, dutyctl_command):
    workspace, _ = site
    robot.answers = {"wechat": ["refuse"], "dingtalk": ["refuse"]}
    open_fire(cli)
    assert len(waiting(workspace.root)) == 2
    done = run_dutyctl(dutyctl_command, "notify", "flush", root=workspace.root)
    assert done.returncode == 0, done.stderr
    assert waiting(workspace.root) == []


def test_nothing_is_queued_through_a_state_folder_linked_elsewhere(site, cli, tmp_path):
    """A `.dutyctl` committed as a link to a folder elsewhere (another desk's): the watch's
    alert is refused as a lock is (exit 3), and no message is written through the link."""
    workspace, _ = site
    file_emergency_repair(cli, "09:00")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    state = workspace.root / ".dutyctl"
    shutil.rmtree(state)
    state.symlink_to(elsewhere)
    watched = cli("notify", "watch", "--at", "09:20")
    assert watched.exit_code == 3 and ".dutyctl" in watched.stderr, watched.stderr
    assert list(elsewhere.rglob("*.json")) == []


def test_no_absence_is_raised_for_a_shift_a_cover_chained_into(site, cli, robot):
    """张伟 covers day, night and the next day on one clock-in (clocked out at its end): the
    watch judges the next day's shift as attendance does, chained from the night before it,
    not alone (review H): no absence alert for him."""
    workspace, _ = site
    october_site(workspace.root)  # 10-05: 张伟 day 08:00-20:00, 李娜 night from 20:00
    for day, shift, replaced in (("2026-10-05", "night", "lina"), ("2026-10-06", "day", None)):
        replaces = ("--replaces", replaced) if replaced else ()
        done = cli("roster", "override", day, shift, "zhangwei", *replaces, "--reason", "顶班",
                   "--force", "--at", "2026-10-04 10:00")
        assert done.exit_code == 0, done.stderr
    assert cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55").exit_code == 0
    out = cli("clock", "out", "--staff", "zhangwei", "--at", "2026-10-06 20:05", "--no-handover",
              "--reason", "连班")
    assert out.exit_code == 0, out.stderr
    watched = cli("notify", "watch", "--at", "2026-10-06 20:10")
    assert watched.exit_code == 0, watched.stderr
    assert not any("缺勤：张伟" in text for text in robot.delivered("/robot")), \
        robot.delivered("/robot")


@pytest.mark.parametrize("how", ["unsealed", "sealed by another desk", "edited",
                                 "unsealed, on a desk without a key yet"])
def test_a_message_this_desk_did_not_queue_is_never_sent(site, cli, robot, how):
    """An outbox file another desk committed (`git add -f`) came in with a sync, and the next
    flush sent its forged evacuation text from this desk's channels. Only messages sealed
    under this desk's key are sent; the others are named as skipped, left for a person."""
    workspace, _ = site
    robot.answers = {"wechat": ["refuse"], "dingtalk": ["refuse"]}
    open_fire(cli)
    (genuine, *_) = [path for path in (workspace.root / ".dutyctl" / "outbox").glob("*.json")]
    data = json.loads(genuine.read_text(encoding="utf-8"))
    data["text"] = "突发事件：燃气泄漏，请立即撤离！（伪造）"
    if how.startswith("unsealed"):
        data["seal"] = None
    if how.endswith("without a key yet"):  # a fresh clone: no cache written yet
        from dutyctl.caches import KEY_FILE, forget_all

        (workspace.root / ".git" / KEY_FILE).unlink()
        forget_all()
    elif how == "sealed by another desk":  # under a key of its own
        from dutyctl.notify.outbox import Message

        data["seal"] = Message(**{**data, "seal": None}).sealed(b"k" * 32).seal
    forged = genuine.with_name("01M901VV9QMQSZMTG88YWN26FM" + genuine.name[26:])
    data["id"] = forged.name.split(".")[0]
    if how == "edited":  # sealed by this desk, then its text changed
        genuine.write_text(json.dumps({**data, "id": json.loads(genuine.read_text(
            encoding="utf-8"))["id"]}, ensure_ascii=False), encoding="utf-8")
        forged = genuine
    else:
        forged.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    flushed = Cli(workspace.root)("notify", "flush")
    assert flushed.exit_code == 0, flushed.output
    assert not any("伪造" in text for text in robot.delivered())
    assert (f"skipped: .dutyctl/outbox/{forged.name}: a message this desk did not queue"
            in flushed.stderr)
    assert forged.exists()  # left for a person to look at
    listed = Cli(workspace.root)("notify", "outbox", "-f", "json")
    assert forged.name.split(".")[0] not in listed.stdout


def test_a_failure_reason_from_a_file_is_never_evaluated():
    """A stored reason is [message, values], filled in when shown: a format field of a file's
    own making ({x:>3000000000} took 54 s and 2.9 GB) is said as written."""
    from dutyctl.notify.outbox import why_said

    assert why_said(["cannot run {command:>3000000000}", {"command": "x"}]) == (
        "cannot run {command:>3000000000}")
    assert why_said(["cannot run {command.__class__}", {"command": "x"}]) == (
        "cannot run {command.__class__}")
    assert why_said(["no answer within {seconds:.1f} s", {"seconds": 3}]) == (
        "no answer within 3.0 s")


def test_an_unreadable_roster_stops_the_absence_alerts_alone(site, cli, robot):
    """A conflict marker in the month's roster ended the whole watch with exit 2: no deadline
    alert either. Now the absences are not looked for, said on stderr; the rest are raised."""
    workspace, _ = site
    roster = october_site(workspace.root)
    text = roster.read_text(encoding="utf-8")
    roster.write_text(text.replace("assignments:\n", "assignments:\n<<<<<<< HEAD\n", 1),
                      encoding="utf-8")
    file_emergency_repair(cli, "09:00")  # respond by 09:15
    robot.requests.clear()
    watched = cli("notify", "watch", "--at", "09:20")
    assert watched.exit_code == 0, watched.output
    assert len(robot.delivered("/robot")) == 1  # the missed response, to the bosses
    (line,) = [line for line in watched.stderr.splitlines() if "absence alerts" in line]
    assert line.startswith("absence alerts not looked for: rosters/2026-10.yaml:"), line


def test_a_file_where_an_alert_folder_belongs_holds_back_its_days_alerts_alone(site, cli,
                                                                             robot):
    """A file `alerts/2026/10/12` from another desk: the watch stopped with exit 3 at the
    first alert of that day (an absolute path said), after queuing its message, and never
    raised it again. Now that day's alerts wait, said on stderr and by `check`, nothing
    queued; once the way is clear they are raised."""
    workspace, _ = site
    file_emergency_repair(cli, "09:00")  # respond missed at 09:20
    (workspace.root / "alerts" / "2026" / "10").mkdir(parents=True)
    (workspace.root / "alerts" / "2026" / "10" / "12").write_text("x\n", encoding="utf-8")
    robot.requests.clear()
    watched = cli("notify", "watch", "--at", "09:20")
    assert watched.exit_code == 0, watched.output
    assert ("alerts/2026/10/12: not a folder: the alerts of 2026/10/12 are not raised until it "
            "is one") in watched.stderr
    assert robot.requests == [] and waiting(workspace.root) == []
    check = cli("check")
    assert check.exit_code == 1 and "alerts/2026/10/12: not a folder: alerts/ keeps" in (
        check.stdout)
    (workspace.root / "alerts" / "2026" / "10" / "12").unlink()
    assert cli("notify", "watch", "--at", "09:21").exit_code == 0
    assert len(robot.delivered("/robot")) == 1


def test_a_shift_name_with_escapes_reaches_no_channel_raw(site, cli, robot):
    """A shift named with a terminal escape and a bidi override (another desk's rules): the
    absence alert handed it raw to the robots and the SMS command; said as screens say it."""
    workspace, _ = site
    october_site(workspace.root)
    rules = workspace.root / "rosters" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "name: 夜班", 'name: "夜班\\e[2J\\u202e"', 1), encoding="utf-8")
    assert cli("clock", "in", "--staff", "zhangwei", "--at", "2026-10-05 07:55").exit_code == 0
    assert cli("notify", "watch", "--at", "2026-10-05 20:10").exit_code == 0
    (text,) = robot.delivered("/robot")
    assert "\x1b" not in text and "\u202e" not in text and "缺勤：李娜" in text, text
    assert "夜班\u241b[2J" in text


@pytest.mark.parametrize("how", ["a link to a FIFO", "JSON nested 50,000 deep"])
def test_an_outbox_file_that_is_no_message_stops_no_notify_command(site, tmp_path,
                                                                   dutyctl_command, how):
    """A link committed into the outbox to a FIFO hung `notify outbox`, `flush` and `watch`
    (the file was opened through it); a message nested 50,000 deep ended them in a
    RecursionError. Both are read around."""
    import os

    from tests.conftest import run_dutyctl

    workspace, _ = site
    outbox = workspace.root / ".dutyctl" / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / "01M901VV9QMQSZMTG88YWN26FM.office.json"
    if how == "a link to a FIFO":
        os.mkfifo(tmp_path / "fifo")
        path.symlink_to(tmp_path / "fifo")
    else:
        path.write_text("[" * 50_000 + "]" * 50_000, encoding="ascii")
    for args in (("notify", "outbox"), ("notify", "flush"), ("notify", "watch")):
        done = run_dutyctl(dutyctl_command, *args, root=workspace.root, timeout=60)
        assert done.returncode == 0 and "unexpected error" not in done.stderr, (args,
                                                                                done.stderr)
    if how == "a link to a FIFO":
        checked = run_dutyctl(dutyctl_command, "check", root=workspace.root, timeout=60)
        assert f".dutyctl/outbox/{path.name}: a symbolic link where dutyctl keeps a file" in (
            checked.stdout), checked.stdout


def test_a_repair_raised_to_an_emergency_repair_is_announced_with_its_arrival(site, cli,
                                                                               robot):
    """A repair filed urgent and raised to an emergency repair later goes to the channels as
    one filed so, its arrival due 30 minutes from the change; lowered again, nothing more."""
    filed = cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                "13900001111", "--category", "water-electric", "--content", "天花板渗水",
                "--urgency", "urgent", "--at", "09:00")
    assert filed.exit_code == 0 and robot.delivered("/cgi-bin") == []
    record_id = filed.stdout.strip()
    raised = cli("repair", "reclassify", record_id, "--urgency", "emergency", "--reason",
                 "整单元停水", "--at", "09:10")
    assert raised.exit_code == 0, raised.stderr
    texts = robot.delivered("/cgi-bin")
    assert len(texts) == 1 and "急修" in texts[0] and "10-12 09:40" in texts[0], texts
    lowered = cli("repair", "reclassify", record_id, "--urgency", "urgent", "--reason", "已止水",
                  "--at", "09:20")
    assert lowered.exit_code == 0 and len(robot.delivered("/cgi-bin")) == 1


def test_messages_nobody_needs_are_dropped_by_record_or_channel(site, cli, robot):
    """A channel that fails kept its messages for jobs long done: `notify flush` exited 1 on
    every cron run for days, and nothing but deleting files under .dutyctl took them out.
    `notify drop` takes those of a record, of a channel, or all, naming each."""
    workspace, _ = site
    robot.answers = {"wechat": ["refuse"] * 9, "dingtalk": ["refuse"] * 9}
    fire = open_fire(cli)  # to office and bosses (the SMS went)
    repair = cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                 "13900001111", "--category", "water-electric", "--content", "爆管漏水",
                 "--urgency", "emergency", "--at", "09:10").stdout.strip()  # to office
    assert len(waiting(workspace.root)) == 3
    assert cli("notify", "flush").exit_code == 1
    both = cli("notify", "drop", "0")  # a prefix of both records': never both dropped
    assert both.exit_code == 2 and "type more of the id" in both.stderr
    assert len(waiting(workspace.root)) == 3
    dropped = cli("notify", "drop", repair[:12])
    assert dropped.exit_code == 0, dropped.stderr
    assert dropped.stdout == "dropped 1 message\n"
    assert dropped.stderr.startswith("dropped: office: ") and "急修" in dropped.stderr
    assert {message.record for message in waiting(workspace.root)} == {fire}
    assert cli("notify", "drop", "--channel", "office").stdout == "dropped 1 message\n"
    nothing = cli("notify", "drop", repair[:12])
    assert nothing.exit_code == 2 and "no waiting message matches" in nothing.stderr
    bare = cli("--lang", "zh_CN", "通知", "丢弃")
    assert bare.exit_code == 2 and "--渠道" in bare.stderr and "--全部" in bare.stderr
    assert cli("notify", "drop", "--all").stdout == "dropped 1 message\n"
    flushed = cli("notify", "flush")
    assert (flushed.exit_code, flushed.stdout) == (0, "")  # cron mails nothing any more


def test_a_message_queued_before_messages_named_their_record_is_still_sent(site, cli, robot):
    """An outbox file written by the dutyctl before (no `record` field, sealed without it)
    stays this desk's own: sent, never skipped as another desk's."""
    import json

    workspace, _ = site
    robot.answers = {"wechat": ["refuse"], "dingtalk": ["refuse"]}
    open_fire(cli)
    from dataclasses import replace

    box = Outbox(workspace.root / ".dutyctl")
    for message in box.waiting():
        box.put(replace(message, record=None))  # sealed as the dutyctl before sealed it
        path = box.dir / message.file_name
        data = json.loads(path.read_text(encoding="utf-8"))
        del data["record"]  # which had no such field
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert len(waiting(workspace.root)) == 2
    flushed = cli("notify", "flush")
    assert flushed.exit_code == 0 and "skipped" not in flushed.stderr, flushed.stderr


def test_a_watch_no_channel_listens_to_says_so(workspace, cli, clock):
    """`notify watch` from cron on a site whose dutyctl.yaml sends its alerts nowhere (no
    channels, or rules only for emergencies) said nothing and exited 0, as a quiet day does:
    now one line says nothing will be raised and where to say where they go; a site with
    one of the watch's events routed hears nothing of it (the clock's 2026-10-12 09:30)."""
    silent = cli("--lang", "zh_CN", "notify", "watch")
    assert silent.exit_code == 0 and silent.stdout == "", silent.stdout
    assert silent.stderr.startswith("没有渠道接收监控的提醒（dutyctl.yaml 通知 的 规则 下写 即将超时"), \
        silent.stderr
    configure(workspace.root, workspace.root.parent / "secrets")
    heard = cli("notify", "watch")
    assert heard.exit_code == 0 and "no channel" not in heard.stderr, heard.stderr


def test_a_watch_caught_up_for_a_time_gone_by_sees_the_records_as_they_stood(site, cli, robot,
                                                                            clock):
    """Cron was down; `notify watch --at 09:20` run at 09:30: a repair closed since was
    skipped (its alert never sent), and an alert named the technician it has now, not the
    one it had then (nobody yet)."""
    workspace, _ = site
    done = file_emergency_repair(cli, "09:00")  # respond by 09:15: missed at 09:20
    ok_ = cli("repair", "dispatch", done, "--to", "wangqiang", "--at", "09:22")
    assert ok_.exit_code == 0
    assert cli("repair", "done", done, "--result", "已修好", "--at", "09:28").exit_code == 0
    assert cli("repair", "visit", done, "--satisfaction", "5", "--at", "09:29").exit_code == 0
    later = file_emergency_repair(cli, "09:03")  # respond by 09:18
    assert cli("repair", "dispatch", later, "--to", "liuyang", "--at", "09:25").exit_code == 0
    robot.requests.clear()
    caught_up = cli("notify", "watch", "--at", "09:20")
    assert caught_up.exit_code == 0, caught_up.stderr
    missed = robot.delivered("/robot")
    assert any(done[:12] in text for text in missed)  # closed since, open then
    text = next(text for text in missed if later[:12] in text)
    assert "刘洋" not in text  # dispatched only at 09:25


def test_an_emergency_repair_entered_late_is_announced_as_entered_late(site, cli, robot):
    """A night's 急修 written up in the morning paged the group with an arrival due hours
    ago and not a word of it: the page says it was entered late, when."""
    early = cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                "13900001111", "--category", "water-electric", "--content", "爆管",
                "--urgency", "emergency", "--at", "08:00")
    assert early.exit_code == 0, early.stderr
    text = robot.delivered("/cgi-bin")[-1]
    assert "补登，登记于 10-12 09:30" in text, text
    on_time = cli("repair", "file", "--name", "李四", "--room", "5-1-1202", "--phone",
                  "13900001111", "--category", "water-electric", "--content", "爆管",
                  "--urgency", "emergency", "--at", "09:20")
    assert on_time.exit_code == 0
    assert "补登" not in robot.delivered("/cgi-bin")[-1]


def test_an_emergency_opened_and_closed_entered_late_say_so(site, cli, robot):
    """An entrapment of the night entered in the morning paged the manager as if it were
    happening: the 急修's page said 补登, the emergency's opened and closed pages did not."""
    opened = cli("emergency", "open", "--type", "fire", "--where", "3号楼大堂", "--content",
                 "3楼冒烟", "--at", "06:00")
    assert opened.exit_code == 0, opened.stderr
    assert "补登，登记于 10-12 09:30" in robot.delivered("/cgi-bin")[-1]
    closed = cli("emergency", "close", opened.stdout.splitlines()[0], "--summary", "已扑灭",
                 "--at", "06:40")
    assert closed.exit_code == 0, closed.stderr
    assert "补登，登记于 10-12 09:30" in robot.delivered("/cgi-bin")[-1]
    live = open_fire(cli)  # 09:00, entered at 09:30: within the half hour, no word of it
    assert "补登" not in robot.delivered("/cgi-bin")[-1] and live


def test_no_absence_is_raised_for_one_on_leave_since_the_roster(site, cli, robot):
    """李娜 called in sick for her night; the supervisor listed the day as leave in the rules:
    the watch still texted 缺勤：李娜, where attendance says 病假."""
    from tests.helpers_roster import edit_rules

    workspace, _ = site
    october_site(workspace.root)  # 10-05: 张伟 day 08:00-20:00, 李娜 night from 20:00
    edit_rules(workspace, "  - {id: lina, name: 李娜, roles: [service]}",
               '  - {id: lina, name: 李娜, roles: [service], leave: [{from: "2026-10-05", '
               'to: "2026-10-05", reason: 病假}]}')
    watched = cli("notify", "watch", "--at", "2026-10-05 20:10")
    assert watched.exit_code == 0, watched.stderr
    assert not any("李娜" in text for text in robot.delivered("/robot")), \
        robot.delivered("/robot")


def _closed_port() -> int:
    """A port of this machine nothing listens on (bound, then closed)."""
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        return listener.getsockname()[1]


def test_a_robot_nobody_answers_for_is_said_in_the_desks_words(site, cli, monkeypatch):
    """`客服群：未发出：无法连接机器人：[Errno 111] Connection refused`: the system's English
    on a Chinese desk's screen, in `notify test` and the outbox's last error."""
    workspace, _ = site
    monkeypatch.setenv("TEST_WECHAT_WEBHOOK", f"http://127.0.0.1:{_closed_port()}/robot")
    tested = cli("--lang", "zh_CN", "notify", "test", "office")
    assert tested.exit_code == 3
    assert "Errno" not in tested.stderr and "refused" not in tested.stderr, tested.stderr
    assert "无法连接机器人：该地址无人应答" in tested.stderr, tested.stderr


@pytest.mark.parametrize("reason, said", [
    (__import__("socket").gaierror(-2, "Name or service not known"),
     "its server's name is not found"),
    (ConnectionRefusedError(111, "Connection refused"), "nothing answers at that address"),
    (OSError(__import__("errno").EHOSTUNREACH, "No route to host"),
     "this computer's network cannot reach it"),
    (ConnectionResetError(104, "Connection reset by peer"), "the connection was cut"),
])
def test_each_way_a_robot_cannot_be_reached_has_its_own_words(reason, said):
    from dutyctl.notify.send import _unreachable

    shown = str(_unreachable(reason))
    assert shown.startswith("cannot reach the robot: " + said) and "Errno" not in shown


def _alerts_left_uncommitted(root: Path, at: str) -> list[Path]:
    """What a watch stopped between its writes and its commit (a kill, cron's timeout) left:
    its alert files, written a minute ago and never committed."""
    import os
    import subprocess

    from dutyctl.notify.watch import due_alerts, raise_alerts
    from datetime import datetime

    desk = Workspace(root)
    moment = datetime.fromisoformat(at)
    written = [path for path, _ in raise_alerts(desk, due_alerts(desk, moment), moment)]
    assert written
    for path in written:
        os.utime(path, (time.time() - 60, time.time() - 60))
    status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "alerts"],
                            capture_output=True, text=True).stdout
    assert status.count("??") >= 1
    return written


@pytest.mark.auto_commit
def test_alerts_an_earlier_watch_left_uncommitted_are_committed_by_the_next(site, cli, robot):
    """They were 'not tracked by git' for `check`, so every later sync refused to push the
    desk's records until someone ran git add; deleting them, as check said, paged again."""
    workspace, _ = site
    file_emergency_repair(cli, "09:00")
    left = _alerts_left_uncommitted(workspace.root, "2026-10-12T09:20:00+08:00")
    done = cli("notify", "watch", "--at", "09:21")
    assert done.exit_code == 0, done.stderr
    checked = cli("check")
    assert not any(str(path.relative_to(workspace.root)) in checked.stdout for path in left)


@pytest.mark.auto_commit
def test_the_sync_commits_the_alerts_a_stopped_watch_left(site, cli, robot):
    from dutyctl import gitsync

    workspace, _ = site
    file_emergency_repair(cli, "09:00")
    left = _alerts_left_uncommitted(workspace.root, "2026-10-12T09:20:00+08:00")
    desk = Workspace(workspace.root)
    assert gitsync.commit_left_over(workspace.root, desk.state_dir, at_once=True,
                                    alerts="alerts")
    assert gitsync.alerts_left_over(workspace.root, "alerts") == []
    checked = cli("check")
    assert not any(str(path.relative_to(workspace.root)) in checked.stdout for path in left)


def test_alerts_left_over_are_found_from_a_workspace_inside_its_repository(tmp_path):
    """git status names paths from the repository's top (ws/alerts/…): a workspace in a
    subfolder of its repository found none of its alerts left over."""
    import os
    import subprocess

    from dutyctl import gitsync

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    alert = tmp_path / "ws" / "alerts" / "2026" / "10" / "12" / "x.arrive.missed.yaml"
    alert.parent.mkdir(parents=True)
    alert.write_text("subject: x\n", encoding="utf-8")
    os.utime(alert, (time.time() - 120, time.time() - 120))
    assert gitsync.alerts_left_over(tmp_path / "ws", "alerts") == [
        "alerts/2026/10/12/x.arrive.missed.yaml"]
    (tmp_path / ".git" / "MERGE_HEAD").write_text("0" * 40 + "\n", encoding="utf-8")
    assert gitsync.alerts_left_over(tmp_path / "ws", "alerts") == []  # the merge's, not ours
