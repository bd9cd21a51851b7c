"""The front desk's leftovers, typed in Chinese at a site made by `dutyctl 初始化`: rooms
written with Chinese numerals, a unit's history, moved-out residents, phones, on-call
call-outs, the duty log's kinds, dates without a year and on-call places of a role."""

from __future__ import annotations

from tests.helpers_zh import ON_LEAVE_IN_FEBRUARY, rostered_with_a_guard, said, site  # noqa: F401

__all__ = ["site"]  # helpers_zh's Chinese site, a fixture pytest finds by name


PERSON = ("--电话", "13900007777", "--时间", "2026-11-20 09:00")


def test_a_room_of_buildings_listed_by_their_numerals_is_never_building_12(site):
    """一二号楼二单元501 (building 1 or 2? the clerk did not say) was read by the whole-room
    reading of slips as 12-2-501, a room of building 12. It is kept as typed now, as 一二号楼之间
    was; 十二号楼二单元501 is still 12-2-501."""
    from dutyctl.rooms import normalise

    assert normalise("一二号楼二单元501") == "一二号楼二单元501"
    assert normalise("十二号楼二单元501") == "12-2-501"
    assert said(site, "住户", "登记", "--姓名", "李四", "--房号", "一二号楼二单元501",
                *PERSON).exit_code == 0
    twelve = said(site, "房号", "12-2-501")
    assert "李四" not in twelve.stdout, twelve.stdout
    typed = said(site, "房号", "一二号楼二单元501")
    assert "李四" in typed.stdout, typed.stdout


def test_a_units_and_floors_chinese_numerals_are_read_as_the_buildings(site):
    """五号楼二单元三楼 was 5号楼二单元三楼 (the building's numeral read, the unit's and floor's
    not) where 5号楼2单元3楼 is kept as typed: two spellings of one place. Now a unit's and a
    floor's numerals are read as the building's; the place's other words stay as typed, and
    numerals that count (两单元) or list (一二楼) stay words."""
    from dutyctl.rooms import normalise

    assert [normalise(typed) for typed in (
        "五号楼二单元三楼", "五号楼十二层走廊", "五号楼两单元之间", "五号楼一二楼之间")] == [
        "5号楼2单元3楼", "5号楼12层走廊", "5号楼两单元之间", "5号楼一二楼之间"]
    assert normalise("五号楼二单元三楼") == normalise("5号楼2单元3楼")
    for where, at in (("五号楼二单元三楼灯不亮", "09:10"), ("5号楼2单元3楼有异味", "09:20")):
        assert said(site, "巡查", "已处理", "--地点", where, "--时间", f"2026-11-20 {at}"
                    ).exit_code == 0
    five = said(site, "房号", "5号楼")
    assert "5号楼2单元3楼灯不亮" in five.stdout and "5号楼2单元3楼有异味" in five.stdout, \
        five.stdout


def test_only_a_unit_and_floor_right_after_the_building_are_read(site):
    """A numeral before 楼/层/单元 anywhere in a place's words was read as a floor's:
    五号楼统一楼道堆物 was 5号楼统1楼道堆物, 五号楼和六楼 5号楼和6楼, and units listed (一二单元)
    were read as unit 12 (5-12-501). Only a unit's and a floor's number right after the
    building are read now; the rest is kept as typed."""
    from dutyctl.rooms import normalise

    for typed in ("五号楼统一楼道堆物", "五号楼唯一楼梯被堵", "五号楼万一楼上漏水", "五号楼单一楼层",
                  "五号楼几十楼", "五号楼和六楼"):
        assert normalise(typed) == "5" + typed[1:], typed
    assert normalise("五号楼一二单元501") == "五号楼一二单元501"  # as 一二号楼二单元501 is
    assert normalise("五号楼二单元三楼楼道堆物") == "5号楼2单元3楼楼道堆物"
    assert said(site, "住户", "登记", "--姓名", "李四", "--房号", "五号楼一二单元501",
                *PERSON).exit_code == 0
    assert "李四" not in said(site, "房号", "5-12-501").stdout
    assert "李四" in said(site, "房号", "五号楼一二单元501").stdout


def test_a_units_history_on_a_site_without_a_scheme_says_the_unit(site):
    """On a site without a room scheme `房号 5号楼2单元` headed its output "5-2 没有登记住户":
    the stored form, which reads as a room. It says the unit as the clerk reads it now."""
    for typed in ("5号楼2单元", "5-2"):
        shown = said(site, "房号", typed)
        assert shown.exit_code == 0, shown.stderr
        assert "5号楼2单元 没有登记住户" in shown.stderr, shown.stderr
        assert "5-2 没有" not in shown.stderr, shown.stderr
    assert "5号楼 没有登记住户" in said(site, "房号", "5号楼").stderr
    assert "5-2-501 没有登记住户" in said(site, "房号", "5-2-501").stderr


def test_a_units_history_says_the_unit_alike_in_its_heading_and_table(site):
    """`房号 5-2` on a site without a room scheme headed 5号楼2单元 while its table showed the
    record at the unit as 5-2, and `房号 A座2单元` headed A号楼2单元 (A座301 is A-301). The
    unit is said one way in both now, a building named by a letter as 座."""
    for where in ("5-2", "A座2单元"):
        assert said(site, "巡查", "已处理", "--地点", where, "--时间", "2026-11-20 09:00"
                    ).exit_code == 0
    for typed, spoken in (("5-2", "5号楼2单元"), ("A座2单元", "A座2单元"), ("A-2", "A座2单元")):
        shown = said(site, "房号", typed)
        assert f"{spoken} 没有登记住户" in shown.stderr, shown.stderr
        row = next(line for line in shown.stdout.splitlines() if "巡查" in line)
        assert f"已记录  {spoken} " in row, shown.stdout
    assert "A号楼" not in said(site, "房号", "A座2单元").stderr


TENANTS = "甲乙丙丁"


def test_residents_who_moved_out_are_named_the_most_recently_moved_out_first(site):
    """`住户 迁出 5-1-1202` of a flat only former tenants have named them by room, then
    oldest correction first (ids in a tie): a flat twelve moved out of named the ten who
    left longest ago and counted the latest. The most recently moved out come first now, as
    records are listed newest first."""
    moved_at = ("09:31", "09:33", "09:30", "09:32")  # in another order than they came
    for tenant, at in enumerate(moved_at):
        assert said(site, "住户", "登记", "--姓名", f"租客{TENANTS[tenant]}", "--房号", "5-1-1202",
                    "--电话", f"1390000110{tenant}", "--时间", f"2026-11-20 09:0{tenant}"
                    ).exit_code == 0
        assert said(site, "住户", "迁出", f"租客{TENANTS[tenant]}", "--时间", f"2026-11-20 {at}"
                    ).exit_code == 0
    refused = said(site, "住户", "迁出", "5-1-1202")
    assert refused.exit_code == 2, refused.stdout
    named = [refused.stderr.index(f"租客{name}，") for name in TENANTS]
    assert sorted(range(4), key=named.__getitem__) == [1, 3, 0, 2], refused.stderr


def test_a_call_out_when_nobody_was_on_call_is_recorded_and_said(site):
    """`备班 出勤 王强 --时间 "昨天 下午三点半"`, a time nobody was rostered on call, was
    recorded without a word, as a call-out of someone on call is. It is recorded all the same
    (they came: attendance counts it), with one line on stderr for whoever audits call-outs."""
    called = said(site, "备班", "出勤", "王强", "--时间", "昨天 下午三点半")
    assert called.exit_code == 0, called.stderr
    assert ("还没有覆盖 2026-11-19 的排班表（请运行 'dutyctl 排班 生成 --月份 2026-11'）：王强 在 "
            "2026-11-19 15:30 的备班出勤仍照常记录，不属于任何备班班次") in called.stderr, \
        called.stderr
    listed = said(site, "列表", "--种类", "备班出勤")
    assert "王强" in listed.stdout, listed.stdout


def test_a_call_out_where_the_roster_leaves_the_on_call_place_open_says_so(site, clock):
    """`备班 出勤 王强` said 按排班表…没有人备班 whether no roster covered the day, the on-call
    place was left open, or none was rostered: the roster's on-call place open then is said
    (no roster: above); a time no on-call duty runs still says nobody was on call."""
    _on_call_guards(site, clock, 1, ON_LEAVE_IN_FEBRUARY)
    clock.set("2027-02-05T10:00:00+08:00")
    called = said(site, "备班", "出勤", "王强", "--时间", "2027-02-03 02:00", user="张伟")
    assert called.exit_code == 0, called.stderr
    assert ("排班表上 2027-02-03 02:00 的备班 维修备班 [缺1名保安] 空着：王强 的备班出勤仍照常记录，"
            "不属于任何备班班次") in called.stderr, called.stderr
    day = said(site, "备班", "出勤", "刘洋", "--时间", "2027-02-04 12:00", user="张伟")
    assert "按排班表，2027-02-04 12:00 没有人备班：刘洋 的备班出勤仍照常记录" in day.stderr, day.stderr


def test_a_resident_registered_by_a_form_of_address_is_told_so(site):
    """A resident registered as 王师傅 was taken as is: 师傅 is how one addresses him, as the
    staff lookup knows (王师傅 for 王强). Registered as typed still, with a line saying so and
    the correction to make once the name is known; a name is said nothing of."""
    added = said(site, "住户", "登记", "--姓名", "王师傅", "--房号", "5-1-1202", *PERSON)
    assert added.exit_code == 0, added.stderr
    entry = added.stdout.split()[0]
    assert (f"“王师傅”是称呼（像 李工、小王、老张 一样），不是姓名：已按所写登记；知道姓名后："
            f"dutyctl 住户 修改 {entry[:12]} --姓名 姓名") in added.stderr, added.stderr
    assert "王师傅" in said(site, "住户", "列表").stdout
    named = said(site, "住户", "登记", "--姓名", "王建国", "--房号", "5-1-1201", "--电话",
                 "13900008888", "--时间", "2026-11-20 09:00")
    assert named.exit_code == 0 and "称呼" not in named.stderr, named.stderr
    edited = said(site, "住户", "修改", "王建国", "--姓名", "老王", "--时间", "2026-11-20 09:05")
    assert edited.exit_code == 0 and "“老王”是称呼（像 王师傅、李工、小王 一样）" in edited.stderr, \
        edited.stderr


def test_a_residents_phone_is_stored_as_its_digits_however_typed(site):
    """Phones were stored as typed ('139 0000 1111', full-width digits and spaces): files,
    exports and a grep held one number in several spellings.
    A mobile number is stored as its digits now (+86 kept in front when typed), a landline as
    its area code, a dash and its number (0571-88886666)."""
    import yaml

    for name, room, phone in (("李四", "5-1-1201", "139 0000 1111"),
                              ("王五", "5-1-1202", "１３９－００００－２２２２"),
                              ("赵六", "5-1-1301", "+86 139 0000 3333"),
                              ("孙七", "5-1-1302", "(0571) 8888 6666")):
        assert said(site, "住户", "登记", "--姓名", name, "--房号", room, "--电话", phone,
                    "--时间", "2026-11-20 09:00").exit_code == 0
    stored = {(person := yaml.safe_load(
        path.read_text(encoding="utf-8"))["resident"])["name"]:
              person["phone"] for path in (site.root / "records").rglob("*.yaml")}
    assert stored == {"李四": "13900001111", "王五": "13900002222",
                      "赵六": "+86 13900003333", "孙七": "0571-88886666"}
    found = said(site, "住户", "列表", "--电话", "139-0000-1111")
    assert found.exit_code == 0 and "李四" in found.stdout, (found.stdout, found.stderr)


def test_a_phone_is_given_no_area_code_it_lacks_nor_loses_a_digit(site):
    """013900001111 (a 0 dialled before a mobile number) was stored 013-900001111, an area
    code there is none of (only 010 and 020-029 have three digits); it is kept as typed now,
    as is any number without an area code. A landline after +86, however typed, is stored in
    one spelling (+86 571-88886666), +0086 read as +86; no digit is lost, and each is masked
    as the number it is."""
    from dutyctl.schema import mask_phone, phone_digits, phone_problem, phone_stored, same_number

    kept = {"013900001111": "013900001111", "0139 0000 1111": "0139 0000 1111",
            "012345678901": "012345678901", "010 8888 6666": "010-88886666",
            "0571 8888 6666": "0571-88886666", "+86 571 8888 6666": "+86 571-88886666",
            "+86-571-88886666": "+86 571-88886666", "+8657188886666": "+86 571-88886666",
            "+86 10 8888 6666": "+86 10-88886666", "+0086 139 0000 1111": "+86 13900001111",
            "+0086 571 8888 6666": "+86 571-88886666",
            # a landline after 86 or 0086 without the plus (was refused), after +86 with its 0
            # kept (was stored so, masked 005******6666): one spelling, as +86 571 8888 6666
            "86 571 8888 6666": "+86 571-88886666", "0086 571 8888 6666": "+86 571-88886666",
            "+86 0571 8888 6666": "+86 571-88886666", "86 10 8888 6666": "+86 10-88886666",
            "0086 10 8888 6666": "+86 10-88886666", "+86 010 8888 6666": "+86 10-88886666",
            "86123456": "86123456"}  # 8 digits: a landline of its own, never +86 123456
    assert {typed: phone_stored(typed) for typed in kept} == kept
    for typed, stored in kept.items():  # the digits after the country's code all kept
        assert phone_problem(typed) is None, typed
        assert phone_digits(stored).endswith(phone_digits(typed)[-11:]), typed
        assert phone_digits(stored) == phone_digits(typed), typed  # one key in the index
        assert same_number(stored) == same_number(typed), typed
    for typed in ("0086 571 8888 6666", "+86 0571 8888 6666", "86 571 8888 6666"):
        assert mask_phone(phone_stored(typed)) == mask_phone(typed) == "0571-****6666", typed
    assert mask_phone(phone_stored("013900001111")) == "013*****1111"
    assert mask_phone(phone_stored("+86 571 8888 6666")) == "0571-****6666"
    assert mask_phone(phone_stored("+86 10 8888 6666")) == "010-****6666"
    for name, room, phone in (("李四", "5-1-1201", "0139 0000 1111"),
                              ("王五", "5-1-1202", "+86-571-88886666"),
                              ("赵六", "5-1-1301", "+86 10 8888 6666")):
        added = said(site, "住户", "登记", "--姓名", name, "--房号", room, "--电话", phone,
                     "--时间", "2026-11-20 09:00")
        assert added.exit_code == 0, added.stderr
    listed = said(site, "住户", "列表", "--电话", "+86 571 8888 6666")
    assert "王五" in listed.stdout, (listed.stdout, listed.stderr)
    for room, phone in (("5-1-1401", "86 571 8888 7777"), ("5-1-1402", "0086 571 8888 5555"),
                        ("5-1-1501", "+86 0571 8888 4444")):
        added = said(site, "住户", "登记", "--姓名", "钱七", "--房号", room, "--电话", phone,
                     "--时间", "2026-11-20 09:00")
        assert added.exit_code == 0, (phone, added.stderr)
        for typed in (phone, "+86 571 8888 " + phone[-4:]):  # found however typed
            listed = said(site, "住户", "列表", "--电话", typed)
            assert room in listed.stdout and "0571-****" + phone[-4:] in listed.stdout, \
                (typed, listed.stdout, listed.stderr)


def test_a_duty_log_type_typed_by_its_english_id_is_said_as_listed(site):
    """`记事 --类型 key` was taken without a word where 钥匙 is the documented form; it is
    still taken, and says the type as it is listed (已记为 钥匙); the label typed, or no type
    at all, says nothing more than the id."""
    by_id = said(site, "记事", "--类型", "key", "借出天台钥匙", "--时间", "2026-11-20 09:00")
    assert by_id.exit_code == 0, by_id.stderr
    assert by_id.stderr.strip() == "已记为 钥匙", by_id.stderr
    for typed in (("--类型", "钥匙"), ()):
        labelled = said(site, "记事", *typed, "借出钥匙", "--时间", "2026-11-20 09:01")
        assert labelled.exit_code == 0 and labelled.stderr.strip() == "", labelled.stderr
    listed = said(site, "列表", "--种类", "钥匙")
    assert listed.stdout.count("值班记录·钥匙") == 2, listed.stdout


def test_a_roster_run_over_new_year_asked_in_july_reads_its_end_in_the_next_year(site, clock):
    """`排班 查看 --从 12月20日 --到 1月5日` asked on 1 July read each day without its year as
    the nearest on its own, 2026-12-20 and 2026-01-05, and was refused (--到 早于 --从). An
    end that falls before the start is read in the start's next year, as `列表 --从 --到`
    reads one; two days the wrong way round (11月25日 to 11月20日) are still refused."""
    clock.set("2026-07-01T10:00:00+08:00")
    shown = said(site, "排班", "查看", "--从", "12月20日", "--到", "1月5日")
    assert "2026年12月20日至2027年1月5日" in shown.stderr, shown.stderr
    assert "早于" not in shown.stderr
    wrong_way = said(site, "排班", "查看", "--从", "11月25日", "--到", "11月20日")
    assert wrong_way.exit_code == 2 and "--到 2026-11-20 早于 --从 2026-11-25" in \
        wrong_way.stderr, wrong_way.stderr


def test_who_of_a_role_whose_only_open_place_is_on_call_says_that_place(site, clock):
    """`谁值班 --岗位 保安` at night, the role's only place then the on-call one (备班) and
    left open (its one 保安 on leave), said 这个时间没有 保安 的班次, as if none were
    rostered. The open on-call place is said now, with the commands that say why and fill
    it; a role with no place at all then is still told it has no shift."""
    generated = _on_call_guards(site, clock, 1, ON_LEAVE_IN_FEBRUARY)
    assert generated.exit_code == 1, generated.stderr
    who = said(site, "谁值班", "--时间", "2027-02-03 02:00", "--岗位", "保安", user="张伟")
    assert who.exit_code == 1
    assert who.stderr == ("2027-02-03 02:00 没有 保安 岗位的人值班：这个时间没有 保安 的在岗班次，"
                          "排班表上的备班 维修备班 [缺1名保安] 空着，没有人在家待命可叫（原因见 "
                          "'dutyctl 排班 说明 2027-02-02 维修备班'；补上：'dutyctl 顶班 2027-02-02 "
                          "维修备班 员工'）\n"), who.stderr
    none = said(site, "谁值班", "--时间", "2027-02-03 12:00", "--岗位", "保安", user="张伟")
    assert none.stderr == "2027-02-03 12:00 没有 保安 岗位的人值班：这个时间没有 保安 的班次\n", \
        none.stderr


def _on_call_guards(site, clock, headcount: int, leave: str = ""):
    """The supervisor walk's rules, the on-call place 维修备班 a place of `headcount` 保安 and
    周保安 the one 保安 (`leave`: his 请假 line), rostered 2027-02-01..10: `排班 生成`'s run."""
    from tests.test_zh_supervisor_walk import RULES

    return rostered_with_a_guard(site, clock, RULES, "维修备班", headcount, leave)


def test_who_of_a_role_at_home_on_call_says_who_and_no_open_place(site, clock):
    """`谁值班 --岗位 保安` at night, the role's only place the on-call one and filled (周保安
    at home), said the place was open ([缺1名保安]: the on-call duties were left out when the
    open places were counted). It says who is on call, and nobody is missing."""
    _on_call_guards(site, clock, 1)
    who = said(site, "谁值班", "--时间", "2027-02-03 02:00", "--岗位", "保安", user="张伟")
    assert who.exit_code == 0, who.stderr
    assert who.stdout.startswith("备班（在家待命）：周保安（保安，维修备班）"), who.stdout
    assert "空着" not in who.stdout + who.stderr and "缺" not in who.stdout + who.stderr, \
        (who.stdout, who.stderr)


def test_who_of_a_role_partly_on_call_says_the_seat_left_open(site, clock):
    """The on-call place wants two 保安 and has one: it said 缺2名 (the one filled counted as
    lacking too) and nobody at home to call. It says who is on call and the one seat open."""
    _on_call_guards(site, clock, 2)
    who = said(site, "谁值班", "--时间", "2027-02-03 02:00", "--岗位", "保安", user="张伟")
    assert who.exit_code == 0, who.stderr
    assert who.stdout.startswith("备班（在家待命）：周保安（保安，维修备班）"), who.stdout
    assert "排班表上的备班 维修备班 [缺1名保安] 也空着（原因见 'dutyctl 排班 说明 2027-02-02 维修备班'" \
        in who.stdout, who.stdout
    assert "缺2名" not in who.stdout + who.stderr and "没有人在家待命" not in who.stderr, \
        (who.stdout, who.stderr)


def test_erasing_the_phone_of_a_record_naming_no_resident_says_so_as_edit_does(site):
    """`住户 抹除电话 01M7V9RK` (the id, in part, of a patrol: no resident) said
    已没有可抹除的电话号码, as if a number had been erased already, where `住户 修改` and
    `迁出` of the same id say it names no resident's phone and room: the same line now."""
    patrol = said(site, "巡查", "一切正常", "--时间", "2026-11-20 09:40").stdout.split()[0]
    for command in (("修改", "--姓名", "王五"), ("迁出",), ("抹除电话", "--原因", "本人要求")):
        refused = said(site, "住户", command[0], patrol[:8], *command[1:])
        assert refused.exit_code == 2, refused.stdout
        assert refused.stderr == f"{patrol[:12]} 没有写明住户的电话和房号\n", (command,
                                                                        refused.stderr)


def test_a_resident_named_by_a_number_cut_short_is_told_to_type_it_whole(site):
    """`住户 迁出 139` read 139, a phone cut short, as a record id (没有编号为 139 的记录), where
    `来电人 1111` tells the clerk to type the whole number: the same line now, for each of
    修改, 迁出 and 抹除电话; a registered resident's whole number still finds them."""
    assert said(site, "住户", "登记", "--姓名", "李四", "--房号", "3-2-501", *PERSON
                ).exit_code == 0
    caller = said(site, "来电人", "1111")
    assert caller.exit_code == 2 and "请按来电显示输入完整号码" in caller.stderr, caller.stderr
    for typed in ("139", "1111", "139 0000"):
        for command in (("修改", "--姓名", "王五"), ("迁出",), ("抹除电话", "--原因", "本人要求")):
            refused = said(site, "住户", command[0], typed, *command[1:])
            assert refused.exit_code == 2, (command, refused.stdout)
            digits = len(typed.replace(" ", ""))
            assert refused.stderr.startswith(f"“{typed}”：共 {digits} 位数字，不是完整的电话号码"
                                             ), (command, refused.stderr)
            assert "请按来电显示输入完整号码" in refused.stderr, refused.stderr
            assert "没有编号" not in refused.stderr, refused.stderr
    moved = said(site, "住户", "迁出", "13900007777")
    assert moved.exit_code == 0, moved.stderr


def test_a_landline_corrected_to_its_own_number_after_86_is_nothing_to_change(site):
    """`住户 修改 … --电话 "+86 571 8888 6666"` for a resident registered 0571-88886666 was
    written as a correction that only spelled the number again (phone_digits keeps 86 before
    an area code): the same number is nothing to change, as a mobile after +86 already was."""
    assert said(site, "住户", "登记", "--姓名", "李四", "--房号", "3-2-501", "--电话",
                "0571-88886666", "--时间", "2026-11-20 09:00").exit_code == 0
    again = said(site, "住户", "修改", "李四", "--电话", "+86 571 8888 6666")
    assert again.exit_code == 2 and "没有要修改的内容" in again.stderr, again.stderr


def _nights_on_call_only(site, clock, hours: str):
    """The supervisor walk's rules without the night on site (大夜班): from 23:00 to 07:00 only
    the on-call place 维修备班 runs, its 维修工 at home; `hours`: the coverage rule's (值守)."""
    from tests.test_zh_supervisor_walk import RULES

    clock.set("2027-01-20T10:00:00+08:00")
    night = '  - 名称: 大夜班\n    开始: "23:00"\n    结束: "07:00"\n    日期: 每天\n' \
            '    人数: {客服专员: 1}\n'
    assert night in RULES and '  时段: ["00:00-24:00"]' in RULES
    rules = RULES.replace(night, "", 1).replace('  时段: ["00:00-24:00"]', f"  时段: {hours}", 1)
    rules = rules.replace("不愿上: [大夜班, 周末]", "不愿上: [周末]", 1)
    (site.root / "rosters" / "rules.yaml").write_text(rules, encoding="utf-8")
    said(site, "排班", "生成", "--从", "2027-02-01", "--到", "2027-02-10", user="张伟")


def test_who_with_only_someone_on_call_says_who_and_fails_in_covered_hours_only(site, clock):
    """`谁值班` without `--岗位` at night, nobody on site and a 维修工 at home on call, said
    这个时间没有任何班次 and exit 1, where `谁值班 --岗位 维修工` said who is on call. It says
    who is on call now, and exits 1 only when the site's coverage rule (值守, 24 hours by
    default) wants someone on duty then: the hole `排班 检查` reports."""
    _nights_on_call_only(site, clock, '["00:00-24:00"]')
    covered = said(site, "谁值班", "--时间", "2027-02-03 02:00", user="张伟")
    assert covered.exit_code == 1, (covered.stdout, covered.stderr)
    assert covered.stdout.startswith("备班（在家待命）："), covered.stdout
    assert covered.stderr == ("2027-02-03 02:00 无人值班：现场没有人，只有在家备班的人，而值守规则"
                              "要求这个时间有人当班（'dutyctl 排班 检查' 列出无人值班的时段）\n"), \
        covered.stderr

    _nights_on_call_only(site, clock, '["07:00-23:00"]')
    outside = said(site, "谁值班", "--时间", "2027-02-03 02:00", user="张伟")
    assert outside.exit_code == 0, (outside.stdout, outside.stderr)
    assert outside.stdout.startswith("备班（在家待命）："), outside.stdout
    assert "无人值班" not in outside.stderr and "没有任何班次" not in outside.stderr, \
        outside.stderr


def test_who_with_nobody_at_all_outside_the_covered_hours_is_not_a_finding(site, clock):
    """`谁值班` at 02:00 with nobody on site and nobody on call (维修备班 ends at 23:00 here)
    exited 1 "没有任何班次" even where the coverage rule (值守 07:00-23:00) wants nobody then,
    while the same hour with someone on call exited 0: outside the covered hours nobody on
    duty is no finding either way (`排班 检查` reports none), said on stderr, exit 0; inside
    them, and asked with `--岗位`, still exit 1."""
    _nights_on_call_only(site, clock, '["07:00-23:00"]')
    rules = site.root / "rosters" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    on_call = '    开始: "17:00"\n    结束: "08:00"\n'
    assert on_call in text
    rules.write_text(text.replace(on_call, '    开始: "17:00"\n    结束: "23:00"\n', 1),
                     encoding="utf-8")
    said(site, "排班", "生成", "--从", "2027-02-01", "--到", "2027-02-10", user="张伟")
    outside = said(site, "谁值班", "--时间", "2027-02-03 02:00", user="张伟")
    assert outside.exit_code == 0, (outside.stdout, outside.stderr)
    assert outside.stderr == ("2027-02-03 02:00 无人值班：这个时间没有任何班次，不在值守规则要求"
                              "有人当班的时段内\n"), outside.stderr
    at_the_end = said(site, "谁值班", "--时间", "2027-02-03 23:00", user="张伟")  # end: out
    assert at_the_end.exit_code == 0, (at_the_end.stdout, at_the_end.stderr)
    as_role = said(site, "谁值班", "--时间", "2027-02-03 02:00", "--岗位", "维修工", user="张伟")
    assert as_role.exit_code == 1 and "没有 维修工 岗位的人值班" in as_role.stderr, \
        as_role.stderr

    rules.write_text(rules.read_text(encoding="utf-8").replace(
        '  时段: ["07:00-23:00"]', '  时段: ["00:00-24:00"]', 1), encoding="utf-8")
    covered = said(site, "谁值班", "--时间", "2027-02-03 02:00", user="张伟")
    assert covered.exit_code == 1, (covered.stdout, covered.stderr)
    assert "这个时间没有任何班次（'dutyctl 排班 检查'" in covered.stderr, covered.stderr
