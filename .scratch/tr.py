"""Fill translations: python .scratch/tr.py (edits the zh_CN .po in place)."""
import sys
from babel.messages.pofile import read_po, write_po

PO = "dutyctl/locale/zh_CN/LC_MESSAGES/dutyctl.po"
T0 = {
 "accepted by {accepted}; still waiting for {missing}": "已接班确认：{accepted}；尚未确认：{missing}",
 "{staff} at {at}": "{staff}（{at}）",
 "An incoming person (id or name); repeatable, or several separated by commas. Default: everyone rostered on the next shift.":
   "接班人（编号或姓名）；可重复使用，或用逗号分隔多人。默认：下一班次排班的所有人员。",
 "Accept for a named person who is not there (their substitute, a supervisor); recorded as such.":
   "代一位不在场的接班人确认（顶班人员或主管）；记录中注明代签。",
 "Only those still waiting for this person (id or name).": "只看仍在等此人确认的交接（编号或姓名）。",
 "accepted by everyone: {accepted}": "全部接班人已确认：{accepted}",
 "not accepted yet by: {missing}": "尚未接班确认：{missing}",
 "{staff} at {at} (by {signer} instead)": "{staff}（{at}，由 {signer} 代签）",
 "hand over to (several: separate with commas)": "交接给（多人用逗号分隔）",
 "nobody is rostered on the next shift: name the incoming people with --to STAFF":
   "下一班次没有排班人员：请用 --to STAFF 指定接班人",
 "accepted": "已确认",
 "not yet": "未确认",
 "{relief} takes over ({slot}) and {staff} wrote no handover during this duty: write one first (dutyctl handover --to {ids}) or pass --no-handover --reason TEXT; nothing written":
   "{relief} 接班（{slot}），{staff} 本次值班还没有写交接班记录：请先写交接（dutyctl handover --to {ids}），或加 --no-handover --reason TEXT；未写入任何内容",
 "{relief} takes over ({slot}). Write the handover now?": "{relief} 接班（{slot}）。现在写交接班记录吗？",
 "Write the handover to the incoming people; prints its id.\n\nAddressed to everyone rostered on the next shift (all roles) unless --to names them; each\nof them accepts for themselves. Gathers every open item: emergencies in progress, open\ncomplaints and repairs, callbacks due, open readiness problems, plus each --note.\nSubcommands: accept, pending, show.":
   "写交接班记录，交接给接班人；输出其编号。\n\n未用 --to 指定时，交接给下一班次排班的所有人员（各岗位）；每位接班人各自接班确认。\n自动汇总所有未结事项：处理中的突发事件、未办结的投诉和报修、待回电、未解决的备勤\n检查问题，以及每条 --note。\n子命令：accept、pending、show。",
 "Accept a handover for yourself (each named person signs once); prints its id, then the\nnew duty id when it clocks you in. The handover is accepted once everyone named has.":
   "本人接班确认（每位接班人确认一次）；输出交接编号，同时签到时再输出新的值班编号。\n所有接班人都确认后，交接才算完成。",
 "Handovers not yet accepted by everyone named, oldest first: who has accepted, who not.":
   "尚未全部接班确认的交接，最早的在前：谁已确认，谁未确认。",
 "One handover: who, when, who has accepted and who not yet, every item and note.":
   "查看一条交接：交班人、接班人、时间、谁已确认谁未确认、每个事项和备注。",
 "a handover needs at least one incoming person": "交接班记录至少要有一名接班人",
 "{staff} cannot hand over to themselves: name the incoming people": "{staff} 不能交接给自己：请指定接班人",
 "{staff} accepts for themselves: leave out the instead-of person": "{staff} 是本人确认：不用指定代签对象",
 "handover {id} is for {to}, not {staff}: only they accept it, each for themselves, or someone accepting instead of one of them":
   "交接 {id} 的接班人是 {to}，不是 {staff}：只能由接班人各自确认，或由他人代其中一人确认",
 "{staff} already accepted handover {id} (at {at}): each person accepts once":
   "{staff} 已确认过交接 {id}（{at}）：每人只确认一次",
 "names nobody: list at least one incoming person": "没有接班人：至少列出一名接班人",
 "[{site}] Handover {id} from {giver} to {takers}, written {time}, is not accepted after {wait}: still waiting for {missing}":
   "【{site}】{giver} 交接给 {takers} 的交接班记录 {id}（{time} 填写）已过 {wait} 仍未全部接班确认：尚未确认的是 {missing}",
 "not accepted by": "未确认人",
}
T = {}
EXTRA = {}
if len(sys.argv) > 1:
    import json
    EXTRA = json.load(open(sys.argv[1]))
T.update(EXTRA)
with open(PO, "rb") as f:
    cat = read_po(f)
done = set()
for msg in cat:
    key = msg.id[0] if isinstance(msg.id, tuple) else msg.id
    empty = not (msg.string[0] if isinstance(msg.string, tuple) else msg.string)
    if key in T and (empty or "fuzzy" in msg.flags):
        value = T[key]
        msg.string = (value,) if isinstance(msg.id, tuple) else value
        if "fuzzy" in msg.flags:
            msg.flags.discard("fuzzy")
        done.add(key)
print("missing:", set(T) - done)
with open(PO, "wb") as f:
    write_po(f, cat, width=100)
