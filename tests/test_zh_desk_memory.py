"""The desk's memory typed only in Chinese (a site made by `dutyctl 初始化`): residents,
rooms, callers, the duty log, checklists and call-outs, with the slips a clerk makes (a room
written 5栋1单元1202 or 5-1-1202室, a phone with spaces or full-width digits, a name with a
title, a time 下午三点半): what was said wrongly, or in English, or not at all."""

from __future__ import annotations

from tests.helpers_zh import said, site  # noqa: F401 (fixture)

__all__ = ["site"]  # helpers_zh's Chinese site, a fixture pytest finds by name


def test_a_rooms_residents_are_not_counted_again_as_records_naming_it(site):
    """`房号 5-1-1202` listed the two residents registered there, then said 另有 2 条记录的
    文字里提到 5-1-1202 and sent the clerk to `查找`, which found the same two: the register's
    entries shown are not other records. A call that names the room in its words still is."""
    for name, room, phone in (("王师傅", "5栋1单元1202", "139 0000 1111"),
                              ("李四", "5-1-1202室", "１３９００００２２２２")):
        assert said(site, "住户", "登记", "--姓名", name, "--房号", room, "--电话", phone,
                    "--时间", "2026-11-20 09:00").exit_code == 0
    shown = said(site, "房号", "5栋1单元1202")
    assert shown.exit_code == 0 and "王师傅" in shown.stdout and "李四" in shown.stdout
    assert "文字里提到" not in shown.stderr, shown.stderr
    assert said(site, "来电", "--姓名", "赵六", "--房号", "2-1-302", "--电话", "13700002222",
                "--摘要", "楼上5-1-1202漏水", "--时间", "2026-11-20 09:30").exit_code == 0
    shown = said(site, "房号", "5-1-1202室")
    assert "另有 1 条记录的文字里提到 5-1-1202：dutyctl 查找 5-1-1202" in shown.stderr, \
        shown.stderr


def test_a_notice_typed_after_tongzhi_is_told_the_duty_logs_command(site):
    """The duty log's kinds are 巡查、来访、钥匙、快递、通知、记事, and `巡查 …`, `来访 …` log
    them; `通知 明天停水` was refused as no command of the robots' 通知 group, nothing said of
    where a notice goes. Now the line to type (`公告`, with the options typed), which logs it;
    a slip for one of 通知's own commands is still told that command."""
    from tests.helpers_desk import record_files

    files = record_files(site.root)
    refused = said(site, "通知", "明天停水", "--时间", "09:00")
    assert refused.exit_code == 2
    assert "值班记录里的通知（停水、停电等）请写 dutyctl 公告 \"明天停水\" --时间 09:00" \
        in refused.stderr, refused.stderr
    assert record_files(site.root) == files
    logged = said(site, "公告", "明天停水", "--时间", "09:00")
    assert logged.exit_code == 0, logged.stderr
    listed = said(site, "列表", "--种类", "通知")
    assert "值班记录·通知" in listed.stdout and "明天停水" in listed.stdout, listed.stdout
    slip = said(site, "通知", "测式")
    assert slip.exit_code == 2 and "是不是要输入 测试" in slip.stderr, slip.stderr
    assert "公告" not in slip.stderr


def test_a_building_written_in_chinese_numerals_is_the_buildings_number(site):
    """五号楼 was kept as typed: a resident registered at 五号楼 (a whole building), 五号楼二单元
    or 五号楼电梯, refused when written 5号楼; a patrol at 五号楼 was not under `房号 5号楼`;
    五号楼1202 was not 5-1202. Now a building in Chinese numerals is its number, as 三号楼二单元501
    was 3-2-501 already; 两栋之间 (two buildings) and 三栋楼 (three) stay words."""
    from tests.helpers_desk import record_files

    person = ("--电话", "13900007777", "--时间", "2026-11-20 09:00")
    files = record_files(site.root)
    for typed, said_as in (("五号楼", "“五号楼”是整栋楼，不是房号"),
                           ("五号楼二单元", "“五号楼二单元”是整个单元，不是房号"),
                           ("五号楼电梯", "“五号楼电梯”是小区的公共部位，不是房号")):
        refused = said(site, "住户", "登记", "--姓名", "甲", "--房号", typed, *person)
        assert refused.exit_code == 2 and refused.stderr.startswith(said_as), refused.stderr
    assert record_files(site.root) == files
    assert said(site, "住户", "登记", "--姓名", "乙", "--房号", "五号楼1202", *person).exit_code == 0
    assert said(site, "巡查", "消防通道畅通", "--地点", "五号楼", "--时间", "2026-11-20 09:10"
                ).exit_code == 0
    shown = said(site, "房号", "5号楼")
    assert "5-1202" in shown.stdout and "消防通道畅通" in shown.stdout, shown.stdout
    assert "五号楼" not in shown.stdout, shown.stdout
    from dutyctl.rooms import normalise
    assert [normalise(typed) for typed in ("两栋之间", "三栋楼停电", "十二号楼三单元")] == [
        "两栋之间", "三栋楼停电", "12-3"]


def test_a_buildings_history_counts_no_records_naming_its_bare_number(site):
    """`房号 5号楼` counted the records whose words hold a 5 (另有 1 条记录的文字里提到 5：
    dutyctl 查找 5, and 查找 5 listed 3-2-501): the count is of a room's mentions only."""
    assert said(site, "住户", "登记", "--姓名", "赵六", "--房号", "3-2-501", "--电话",
                "13700002222", "--时间", "2026-11-20 09:00").exit_code == 0
    assert said(site, "巡查", "5号楼消防通道畅通", "--地点", "5号楼", "--时间",
                "2026-11-20 09:10").exit_code == 0
    shown = said(site, "房号", "五号楼")
    assert shown.exit_code == 0 and "消防通道畅通" in shown.stdout, shown.stdout
    assert "文字里提到" not in shown.stderr, shown.stderr


def test_an_index_of_the_rooms_keyed_before_is_made_again(site, monkeypatch):
    """An index made while 五号楼1202 was keyed as typed (format 15) listed its resident twice
    once 五号楼1202 was 5-1202 (the entry not covering the index's key of its own record):
    the index's format says what its keys are, and an older one is made again."""
    import re

    from dutyctl import rooms
    from dutyctl.store import index

    with monkeypatch.context() as before:  # the code before: 五号楼 kept as typed, format 15
        before.setattr(rooms, "_CHINESE_BUILDING", re.compile(r"(?!)"))
        before.setattr(index, "VERSION", "15")
        assert said(site, "住户", "登记", "--姓名", "乙", "--房号", "五号楼1202", "--电话",
                    "13900007779", "--时间", "2026-11-20 09:00").exit_code == 0
        assert said(site, "住户", "列表").stdout.count("7779") == 1
    index._room_key.cache_clear()  # a new version's first command: a process of its own
    listed = said(site, "住户", "列表")
    assert listed.stdout.count("7779") == 1, listed.stdout


def test_a_correction_to_what_is_registered_already_is_told_so(site):
    """`住户 修改 王建国 --房号 五号楼1单元1202` of a resident at 5-1-1202 was told 没有要修改的
    内容：请用 --姓名、--房号 或 --电话 给出新的值 (they had); the same phone with spaces
    (139 0000 8888 for 13900008888) was recorded as a correction of the phone. Now both say
    what the register has already, and nothing is written."""
    from tests.helpers_desk import record_files

    assert said(site, "住户", "登记", "--姓名", "王建国", "--房号", "5-1-1202", "--电话",
                "13900008888", "--时间", "2026-11-20 09:00").exit_code == 0
    files = record_files(site.root)
    for option, typed, has in (("--房号", "五号楼1单元1202", "--房号 5-1-1202"),
                               ("--电话", "139 0000 8888", "--电话 139****8888"),
                               ("--电话", "１３９００００８８８８", "--电话 139****8888")):
        refused = said(site, "住户", "修改", "王建国", option, typed)
        assert refused.exit_code == 2, (typed, refused.stdout)
        assert refused.stderr == f"没有要修改的内容：登记的已经是 {has}\n", refused.stderr
    assert record_files(site.root) == files
    refused = said(site, "住户", "修改", "王建国")
    assert refused.stderr == "没有要修改的内容：请用 --姓名、--房号 或 --电话 给出新的值\n"
    assert said(site, "住户", "修改", "王建国", "--电话", "13900009999").exit_code == 0


def test_the_desks_memory_says_nothing_in_english(site, clock):
    """Residents, rooms, callers, the duty log, the checklist and call-outs typed only in
    Chinese, slips and all (a room 5栋1单元1202 / 5-1-1202室 / 五号楼, a phone with spaces or
    full-width digits, a name with a title, a time 下午三点半, an id half typed, a notice after
    通知): every line printed, stdout and stderr, in Chinese but for ids, formats and files
    (test_zh_month's ALLOWED); no traceback, exit codes 0, 1 or 2 only. On the code before
    this module's fixes it found no English, but a resident registered at 五号楼."""
    from tests.helpers_zh import english_in, typed_by

    clock.set("2026-11-30T23:00:00+08:00")
    shown: list[tuple[tuple[str, ...], str]] = []

    def run(*args, user="陈静", code=None):
        done = said(site, *args, user=user)
        assert done.exit_code in (0, 1, 2), (args, done.exit_code, done.stderr)
        assert code is None or done.exit_code == code, (args, done.exit_code, done.stdout)
        text = done.stdout + done.stderr
        assert "Traceback" not in text and "意外错误" not in text, (args, text)
        shown.append((args, text))
        return done.stdout.split()[0] if done.exit_code == 0 and done.stdout.split() else ""

    def at(when: str) -> tuple[str, str]:
        return ("--时间", f"2026-11-{when}")

    wang = run("住户", "登记", "--姓名", "王师傅", "--房号", "5栋1单元1202", "--电话",
               "139 0000 1111", *at("02 09:00"))
    run("住户", "登记", "--姓名", "李四", "--房号", "5-1-1202室", "--电话", "１３９００００２２２２",
        *at("02 09:01"))
    run("住户", "登记", "--姓名", "张三", "--房号", "五号楼", "--电话", "13900003333",
        *at("02 09:02"), code=2)  # a whole building, as 5号楼 is (was registered)
    run("住户", "登记", "--姓名", "张三", "--房号", "五号楼电梯", "--电话", "13900003333",
        *at("02 09:02"), code=2)
    run("住户", "登记", "--姓名", "赵六", "--房号", "3-2-501", "--电话", "1390000444",
        *at("02 09:03"))
    run("住户", "登记", "--姓名", "赵六", "--房号", "3-2-501", "--电话", "13900004444",
        *at("02 09:03"))
    run("住户", "列表")
    run("住户", "列表", "--房号", "五号楼")
    run("住户", "列表", "--电话", "139 0000 1111")
    run("住户", "修改", "5-1-1202", "--电话", "13900005555", *at("02 09:10"))
    run("住户", "修改", wang[:6], "--姓名", "王建国", *at("02 09:10"))
    run("住户", "修改", wang[:12], "--姓名", "王建国", *at("02 09:10"))
    run("住户", "修改", "王建国", "--房号", "五号楼1单元1202", *at("02 09:11"))
    run("住户", "迁出", "李四", *at("02 09:12"))
    run("住户", "迁出", "李四", *at("02 09:13"))
    run("住户", "迁出", "01", *at("02 09:13"))
    run("住户", "抹除电话", "赵六")
    run("住户", "抹除电话", "139", "--原因", "本人要求")
    run("房号", "5栋1单元1202")
    run("房号", "五号楼")
    run("房号", "9-9-999")
    run("来电人", "139 0000 1111")
    run("来电人", "１３９００００１１１１")
    run("来电人", "王师傅")
    run("来电人", "1111")
    run("巡查", "3号楼消防通道畅通", "--时间", "下午三点半")
    run("巡查", "3号楼消防通道畅通", "--地点", "三号楼", *at("02 15:30"))
    run("来访", "王师傅来访 5-1-1202", "--房号", "五号楼")
    run("来访", "王先生来访找5-1-1202", *at("02 15:40"))
    run("钥匙", "借出天台钥匙给维修工王强", *at("02 15:45"))
    run("快递", "代收快递2件", "--地点", "5-1-1202室", *at("02 15:50"))
    run("通知", "明天停水", *at("02 16:00"))
    run("公告", "明天9点到12点停水", *at("02 16:00"))
    run("记事", "--类型", "钥", "借出钥匙", *at("02 16:05"))
    run("记事", "空调外机噪音已转工程部", *at("02 16:06"))
    run("列表", "--种类", "值班记录")
    run("列表", "--种类", "巡查")
    run("备勤", "--正常", "全部", "--问题", "打印", "--备注", "卡纸", *at("02 07:55"))
    run("备勤", "问题")
    run("备勤", "整改", "打印", "--备注", "换了搓纸轮", *at("02 09:00"))
    run("备勤", "整改", "打印", "--备注", "又好了", *at("02 09:05"))
    run("备班", "出勤", "王师傅", *at("02 21:10"))
    run("备班", "出勤", *at("02 21:10"))
    run("备班", "出勤", "王强", "--时间", "下午三点半")
    callout = run("备班", "出勤", "王强", *at("02 21:10"))
    run("备班", "列表")
    run("备班", "返回", *at("02 21:00"))
    run("备班", "返回", "王强", *at("02 22:30"))
    run("备班", "返回", "王强", *at("02 22:40"))
    for record in (wang, callout):
        run("查看", record)
    run("查看", wang[:4])
    run("查找", "王师傅")
    found = {" ".join(args): words for args, text in shown
             if (words := [word for word in english_in(text) if word not in typed_by(args)])}
    assert found == {}


def test_a_residents_id_half_typed_is_told_the_ids_it_starts(site):
    """`住户 修改 01M6CW` (the first characters of two residents' ids) was told “01M6CW”不是记录
    编号，也不是在住住户的姓名、房号或电话, where `查看 01M6CW` lists the ids it starts: now the
    resident commands list them too, as `查看` does; a whole one is taken."""
    import os

    made = [said(site, "住户", "登记", "--姓名", name, "--房号", room, "--电话", phone,
                 "--时间", "2026-11-20 09:00").stdout.strip()
            for name, room, phone in (("王师傅", "5-1-1202", "13900001111"),
                                      ("李四", "5-1-1203", "13900002222"))]
    prefix = os.path.commonprefix(made)
    assert len(prefix) >= 6, made
    for command in ("修改", "迁出"):
        refused = said(site, "住户", command, prefix[:6], *(("--姓名", "王建国")
                                                          if command == "修改" else ()))
        assert refused.exit_code == 2, refused.stdout
        assert refused.stderr.startswith(f"编号前缀 {prefix[:6]} 对应多条记录："), refused.stderr
        assert made[0][:12] in refused.stderr and made[1][:12] in refused.stderr
    assert said(site, "住户", "修改", made[0][:12], "--姓名", "王建国").exit_code == 0


def test_a_resident_moved_out_named_again_is_told_so(site):
    """`住户 迁出 李四` a second time (or `住户 修改 李四 …` after the move) was told “李四”不是
    记录编号，也不是在住住户的姓名、房号或电话 and sent to `住户 列表`, which no longer lists
    them: now that the register's 李四 moved out, with the entry's id."""
    made = said(site, "住户", "登记", "--姓名", "李四", "--房号", "5-1-1202", "--电话",
                "13900002222", "--时间", "2026-11-20 09:00").stdout.strip()
    assert said(site, "住户", "迁出", "李四", "--时间", "2026-11-20 09:30").exit_code == 0
    for args in (("迁出", "李四"), ("修改", "李 四", "--电话", "13900002223"),
                 ("迁出", "5-1-1202")):
        refused = said(site, "住户", *args)
        assert refused.exit_code == 2, refused.stdout
        typed = args[1].replace(" ", "") if args[1] != "李 四" else "李 四"
        assert refused.stderr == (f"登记中符合“{typed}”的只有已迁出的住户：{made[:12]}（李四，"
                                  "5-1-1202，139****2222）\n"), refused.stderr
    refused = said(site, "住户", "迁出", "王五")
    assert refused.stderr.startswith("“王五”不是记录编号，也不是在住住户的姓名、房号或电话")


def test_a_place_of_a_building_in_chinese_numerals_keeps_its_words(site):
    """五号楼 read as 5 rewrote every numeral of the text after it too (五号楼门口有一个人 was
    kept as 5号楼门口有1个人), and 一二号楼之间 (between buildings 1 and 2) was 12号楼之间, filed
    under building 12. Only a building's number as it is said (五, 十二, 二十五) is read, and a
    place keeps its words as typed."""
    from dutyctl.rooms import normalise

    assert [normalise(typed) for typed in (
        "五号楼门口有一个人", "五号楼和六号楼之间", "一二号楼之间", "三四号楼中间的路灯",
        "二十五栋", "五号楼二单元")] == [
        "5号楼门口有一个人", "5号楼和六号楼之间", "一二号楼之间", "三四号楼中间的路灯", "25", "5-2"]
    for where, at in (("一二号楼之间路灯不亮", "09:10"), ("五号楼门口有一个人", "09:20")):
        assert said(site, "巡查", "已处理", "--地点", where, "--时间", f"2026-11-20 {at}"
                    ).exit_code == 0
    twelve = said(site, "房号", "12号楼")
    assert "路灯" not in twelve.stdout, twelve.stdout
    five = said(site, "房号", "5号楼")
    assert "5号楼门口有一个人" in five.stdout, five.stdout


def test_an_index_keyed_with_every_numeral_read_is_made_again(site, monkeypatch):
    """A format-16 index keyed a place written before 五号楼 was read (一二号楼之间, kept as
    typed in its record) as 12号楼之间: `房号 12号楼` listed it. Format 17 keys it as it reads
    now, and an older index is made again."""
    import re

    from dutyctl import rooms
    from dutyctl.store import index

    with monkeypatch.context() as before:  # written while Chinese numerals were kept as typed
        before.setattr(rooms, "_CHINESE_BUILDING", re.compile(r"(?!)"))
        before.setattr(index, "VERSION", "15")
        assert said(site, "巡查", "已处理", "--地点", "一二号楼之间路灯不亮", "--时间",
                    "2026-11-20 09:10").exit_code == 0
    index._room_key.cache_clear()
    with monkeypatch.context() as before:  # format 16: every numeral of 一二号楼 read, 12
        before.setattr(rooms, "_CHINESE_BUILDING", re.compile(
            r"[〇零一二三四五六七八九十]+(?:号楼|號樓|栋|棟|幢)(?!楼|樓)"))
        before.setattr(rooms, "_BUILDINGS_LISTED", re.compile(r"(?!)"))  # 一二 read as 12
        before.setattr(index, "VERSION", "16")
        assert "路灯" in said(site, "房号", "12号楼").stdout
    index._room_key.cache_clear()  # a new version's first command: a process of its own
    twelve = said(site, "房号", "12号楼")
    assert "路灯" not in twelve.stdout, twelve.stdout


def test_an_index_keyed_with_units_listed_read_as_one_is_made_again(site, monkeypatch):
    """A format-18 index keyed a place written 五号楼一二单元501 (unit 1 or 2, listed; kept so
    in its record) as 5-12-501: `房号 5-12-501` listed it. Format 19 keys it as it reads now,
    and an older index is made again."""
    import re

    from dutyctl import rooms
    from dutyctl.store import index

    assert said(site, "巡查", "已处理", "--地点", "五号楼一二单元501", "--时间",
                "2026-11-20 09:20").exit_code == 0
    index._room_key.cache_clear()
    with monkeypatch.context() as before:  # format 18: 一二单元 read as 12
        before.setattr(rooms, "_BUILDINGS_LISTED", re.compile(
            r"[〇零一二两三四五六七八九]{2,}(?:号楼|號樓|栋|棟|幢|座)"))
        before.setattr(index, "VERSION", "18")
        assert "2026-11-20 09:20" in said(site, "房号", "5-12-501").stdout
    index._room_key.cache_clear()  # a new version's first command: a process of its own
    twelve = said(site, "房号", "5-12-501")
    assert "09:20" not in twelve.stdout, twelve.stdout


def test_a_notice_of_several_words_after_tongzhi_is_told_a_line_that_logs_it(site):
    """`通知 明天 停水` was told to write `dutyctl 公告 "明天" 停水`, which is refused in its
    turn (多余的参数：停水): the notice's words before any option are one notice."""
    refused = said(site, "通知", "明天", "8点", "停水", "--时间", "09:00")
    assert refused.exit_code == 2
    assert '请写 dutyctl 公告 "明天 8点 停水" --时间 09:00；' in refused.stderr, refused.stderr
    logged = said(site, "公告", "明天 8点 停水", "--时间", "09:00")
    assert logged.exit_code == 0, logged.stderr


def test_a_places_and_not_a_units_history_counts_the_records_naming_it(site):
    """`房号 地下泵房` no longer said the records naming 地下泵房 in their words (the count was
    kept for what reads as a room), while `房号 5号楼2单元` (5-2, read as building 5's room 2)
    still counted those naming 5-2 (查找 5-2 finds 3-5-201 too): a place's words count, a
    unit's number does not, as a building's does not."""
    for name, room, phone, words in (("赵六", "3-5-201", "13700002222", "楼上5-2-601漏水"),
                                     ("钱七", "3-2-502", "13700002223", "地下泵房有异响")):
        assert said(site, "来电", "--姓名", name, "--房号", room, "--电话", phone, "--摘要",
                    words, "--时间", "2026-11-20 09:00").exit_code == 0
    assert said(site, "巡查", "地下泵房正常", "--地点", "地下泵房", "--时间",
                "2026-11-20 09:10").exit_code == 0
    pump = said(site, "房号", "地下泵房")
    assert "另有 1 条记录的文字里提到 地下泵房：dutyctl 查找 地下泵房" in pump.stderr, pump.stderr
    unit = said(site, "房号", "5号楼2单元")
    assert unit.exit_code == 0 and "文字里提到" not in unit.stderr, unit.stderr
    room = said(site, "房号", "5-2-601")
    assert "另有 1 条记录的文字里提到 5-2-601" in room.stderr, room.stderr


def test_a_room_many_moved_out_of_names_the_first_of_them(site):
    """`住户 迁出 5-1-1202` of a flat twelve tenants moved out of named every one of them in
    one line; it names the first ten and counts the others, as a name several current
    residents have does."""
    for tenant in range(12):
        assert said(site, "住户", "登记", "--姓名", f"租客{tenant}", "--房号", "5-1-1202",
                    "--电话", f"139000011{tenant:02d}", "--时间", "2026-11-20 09:00"
                    ).exit_code == 0
        assert said(site, "住户", "迁出", "5-1-1202", "--时间", "2026-11-20 09:30"
                    ).exit_code == 0
    refused = said(site, "住户", "迁出", "5-1-1202")
    assert refused.exit_code == 2, refused.stdout
    assert refused.stderr.startswith("登记中符合“5-1-1202”的只有已迁出的住户："), refused.stderr
    assert refused.stderr.count("5-1-1202，") == 10 and "另有 2 项未列出" in refused.stderr, \
        refused.stderr
