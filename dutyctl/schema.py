"""Typed reading of loaded YAML: every problem is collected with its path and line.

`Fields` wraps one mapping; each accessor returns the value or None and records a Problem
when the value is missing or of the wrong type. The value checks are small pure functions so
the record store, the config and the roster rules share them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any, Callable, Iterator, Mapping

from dutyctl import timeutil
from dutyctl.patterns import lazy
from dutyctl.errors import Problem
from dutyctl.messages import t, tn, tp
from dutyctl.store.yamlio import LineDict, LineList
from dutyctl.yamlnodes import WIDE_COMMENT, wide_comment

_PHONE = re.compile(r"^\+?[0-9][0-9 -]{2,19}$")
_ERASED_PHONE = re.compile(r"^[0-9]{0,4}-?\*{2,16}[0-9]{0,4}$")  # mask_phone's, once erased
_MISSING = object()


def require_text(value: str | None, field: str) -> str:
    """A text typed for `field` (`reason`), stripped; refused when empty or holding what no
    record may (text_findings), naming the value (the CLI: by the option typed)."""
    from dutyctl.errors import InputError

    if value is None or not value.strip():
        raise InputError(lambda name: t("{value} must not be empty", value=name(field)))
    if placeholder(value.strip()):
        raise InputError(lambda name: t("{value} is '{text}', what an example leaves to fill "
                                        "in: write the text itself", value=name(field),
                                        text=value.strip()))
    found = next(text_findings(value.strip(), ""), None)
    if found is not None:
        raise InputError(lambda name: found[1](name(field)))
    return value.strip()


def placeholder(text: str) -> bool:
    """Dots or ellipses alone (`...`, `…`, `。。。`): the hints' examples end with them
    (`--reason ...`), and a clerk who copies one as shown has written no reason."""
    return bool(text) and all(character in ".…。·" for character in text)


MAX_TEXT = 10_000  # characters in one field: a record is a form, not a document store
#: the fields a screen says within a line (`known caller: 王五, 3-2-501`, a table's room
#: column): one line, no line break (one from a shared file forged a line of its own beneath
#: `show`'s status). SHORT_FIELDS, a resident's name, room and phone, are also at most
#: safetext.MAX_LINE characters, as the front door has always taken them typed
#: (residents.check_line); a place, `where`, may be as long as any text (a recurring job's)
LINE_FIELDS = frozenset({"resident.name", "resident.room", "resident.phone", "where"})
SHORT_FIELDS = frozenset({"resident.name", "resident.room", "resident.phone"})


def text_problems(value: Any, where: str) -> Iterator[str]:
    """What is wrong with the text in a value about to be written, field by field: too long,
    or holding a character that must never reach a terminal raw (output.UNSAFE: an ESC
    sequence in a summary would repaint the terminal of everyone who lists it, a bidi
    override would show another text than the one stored)."""
    for place, say, _ in text_findings(value, where):
        yield say(place)


def stored_text_problems(value: Any, where: str) -> Iterator[tuple[str, bool]]:
    """text_problems of a file's text, each with whether it makes the file one a desk may not
    push (Problem.breaks_a_file): a control character or a text past MAX_TEXT does; another
    invisible character, a line break in a name or a name past its line do not (every screen
    shows them escaped and on one line): a record an earlier dutyctl took (a soft hyphen
    pasted from a web page) never holds back a desk's sync."""
    for place, say, blocks in text_findings(value, where):
        yield say(place), blocks


def unsafe_said(field: str, code: int) -> str:
    """What a character of output.UNSAFE in `field` is, in words: a control character, a
    noncharacter, or an invisible one (a bidi override, a zero-width space)."""
    if code < 0xA0:
        return t("{field}: contains the control character U+{code:04X}", field=field, code=code)
    if code in (0xFFFE, 0xFFFF):  # the noncharacters: no text holds them
        return t("{field}: contains U+{code:04X}, which is no character", field=field,
                 code=code)
    return t("{field}: contains the invisible character U+{code:04X} (bidi, zero-width, a line "
             "separator or another format character)", field=field, code=code)


def text_findings(value: Any, where: str
                  ) -> Iterator[tuple[str, Callable[[str], str], bool]]:
    """`text_problems`, each as where it is (`notes[0]`), its message given the words for
    that place (a command names a field by the option that gives it: `--摘要`) and whether
    a stored one makes its file one a desk may not push (stored_text_problems)."""
    from dutyctl.output import UNSAFE
    from dutyctl.safetext import MAX_LINE

    if isinstance(value, str):
        if found := UNSAFE.search(value):
            code = ord(found[0])
            yield where, lambda field: unsafe_said(field, code), code < 0xA0 or code in (
                0xFFFE, 0xFFFF)
        if where in LINE_FIELDS and "\n" in value:
            yield where, lambda field: t("{field}: must be one line", field=field), False
        short = where in SHORT_FIELDS
        if len(value) > (limit := MAX_LINE if short else MAX_TEXT):
            yield where, lambda field: t("{field}: longer than {limit} characters ({length})",
                                         field=field, limit=limit,
                                         length=len(value)), not short
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from text_findings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from text_findings(item, f"{where}[{index}]")


_WIDE_BRACKETS = ("【】", "［］", "〔〕", "〖〗", "（）")  # （夜班）: parentheses typed for brackets


def wide_brackets(value: str) -> str | None:
    """What full-width brackets around a list hold (`【客服专员, 客服主管】`, typed with a
    Chinese input method: YAML reads one text), else None."""
    typed = value.strip()
    return next((typed[1:-1] for pair in _WIDE_BRACKETS
                 if len(typed) > 2 and typed[0] == pair[0] and typed[-1] == pair[1]), None)


def wide_list(inside: str) -> str:
    """The refusal of a list in full-width brackets, with the list written as YAML reads it."""
    from dutyctl.choices import split_list

    return t("full-width brackets around the list: write [{value}] (switch the input method "
             "to half-width)", value=", ".join(split_list(inside)))


def misread(problem: str, value: Any, phone: bool = False) -> str:
    """The problem, with why an unquoted value came back as a number, boolean or date (the
    YAML 1.1 traps) when that is the cause. `phone`: the value is a phone field's, whose
    number is masked whatever it looks like (`phone: 20261006` is a landline)."""
    hint = _misread_hint(value, phone)
    return t("{problem} ({hint})", problem=problem, hint=hint) if hint else problem


def _not_text(value: Any) -> str:
    """Why a text field's value is none: empty (`summary: ""`, spaces, a list's `-` with
    nothing after it), or not text at all."""
    if value is None or isinstance(value, str):
        return t("must not be empty")
    return misread(t("expected text"), value)


def empty_item(item: Any) -> bool:
    """Whether a list's item is empty (`- ` with nothing after it, `""`, spaces): said `must
    not be empty`, as an empty text field is (`Fields.items`), whatever the list holds."""
    return item is None or isinstance(item, str) and not item.strip()


def _misread_hint(value: Any, phone: bool = False) -> str:
    if isinstance(value, str) and len(value.strip()) > 2 and value.strip()[0] in "“‘＂" \
            and value.strip()[-1] in "”’＂":
        return t("Chinese quotation marks around it: YAML quotes with half-width ones, "
                 "\"{value}\" (switch the input method to half-width)",
                 value=value.strip()[1:-1])
    if isinstance(value, bool):
        return t("YAML read an unquoted yes/no/on/off as {value}", value=value)
    if isinstance(value, (int, float)):
        # a number of phone length is masked as every screen masks one (stderr goes to cron
        # mail): 138****5678; not a day's eight digits (a roster's `date: 20261207`), as
        # phones_masked leaves them in free text; but in a phone field eight such digits are
        # a landline's (`phone: 20261006`), masked as the field is everywhere
        digits = str(abs(value))
        shown = mask_phone(str(value)) if len(digits) >= 7 \
            and (phone or not _DATE_DIGITS.fullmatch(digits)) else value
        return t("YAML read it as the number {value}: put it in quotes", value=shown)
    if isinstance(value, dict):
        return t("YAML read a mapping here")
    if isinstance(value, list):
        return t("YAML read a list here")
    if isinstance(value, (date, time)):  # 2026-12-04, 12:30 (a sexagesimal number is an int)
        return t("YAML read it as a date or a time: put it in quotes")
    if value is not None and not isinstance(value, str):
        return t("YAML read it as {type}: put it in quotes", type=type(value).__name__)
    return ""


def _decimal(value: Any) -> float | None:
    """A number written with a decimal point, 1.5 or 1.0, or as the text "1.5": where a
    whole number belongs, what it is; None for anything else."""
    if isinstance(value, str):
        typed = timeutil.half_width(value).strip()
        value = float(typed) if re.fullmatch(r"\d+\.\d+", typed) else None
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return value
    return None


def _number_misread(problem: str, value: Any) -> str:
    """`misread`, and for a number typed as text ("0.8", "80%", "12小时") how to write it."""
    if not isinstance(value, str):
        return misread(problem, value)
    if WIDE_COMMENT.search(value):  # 12  ＃ 单位小时: the comment read as the value's own
        return t("{problem} ({hint})", problem=problem, hint=wide_comment())
    typed = timeutil.half_width(value).strip()
    share = re.match(r"^(\d+(?:\.\d+)?)\s*%$", typed)
    if share:
        return t("{problem} ({hint})", problem=problem, hint=t(
            "write a share as a decimal number: {typed} is {number:g}", typed=typed,
            number=float(share[1]) / 100))
    number = re.match(r"^\d+(?:\.\d+)?", typed)
    if number and number[0] == typed and typed != value.strip():  # １２ from a full-width IME
        return t("{problem} ({hint})", problem=problem, hint=t(
            "'{typed}' is written in full-width digits: switch the input method to half-width "
            "and write {number}", typed=value.strip(), number=typed))
    if number:
        return t("{problem} ({hint})", problem=problem, hint=t(
            "write the number alone, without quotes or a unit: {number}", number=number[0]))
    said = _chinese_number(typed)
    if said is not None:  # 人数: 一, 最多连续夜班: 四
        return t("{problem} ({hint})", problem=problem, hint=t(
            "write the number in digits: {number}", number=said))
    return problem


def _chinese_number(typed: str) -> int | None:
    """一 to 九十九 (两, 十二, 二十四) written in Chinese numerals (`timeutil.small_number`), a
    unit after it or not (四个, 十二小时); None for anything else."""
    match = re.match(r"^([一二两三四五六七八九]?十[一二三四五六七八九]?|[零一二两三四五六七八九])"
                     r"\s*(?:个|人|名|小时|天|次)?$", typed)
    return timeutil.small_number(match[1]) if match else None


def check_clock(value: Any) -> str | None:
    """None when value is a quoted wall-clock time, else what is wrong."""
    if isinstance(value, str) and timeutil.parse_clock(value):
        return None
    spoken = timeutil.spoken_clock(value)
    if spoken is not None:  # 8点半, 下午3点: say the clock it names, written as the file wants
        return t("'{typed}' is a time said in words: write it as \"{clock}\" (hours:minutes, "
                 "in quotes)", typed=value.strip(), clock=spoken.strftime("%H:%M"))
    # YAML 1.1 reads 8:30 as 8 * 60 + 30; below an hour it was a number typed as one (8)
    if type(value) is int and 60 <= value < 24 * 60:
        return t('YAML read {typed} as the number {value}: write "{clock}" (in quotes)',
                 typed=f"{value // 60}:{value % 60:02d}", value=value,
                 clock=f"{value // 60:02d}:{value % 60:02d}")
    impossible = timeutil.no_such_clock(value) if isinstance(value, str) else None
    if impossible:  # "25:00", "17:61": what is wrong with it, as the desk's --at says it
        return impossible
    return misread(t('expected a time like "09:00"'), value)


def check_room(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return None
    return misread(t('expected a room like "3-2-501" or a place like "3号楼电梯"'), value)


def check_phone(value: Any) -> str | None:
    """None for a phone number, or one erased (masked, 136****2222: dutyctl.erasure)."""
    if isinstance(value, str) and (_PHONE.match(value.strip())
                                   or _ERASED_PHONE.match(value.strip())):
        return None
    # a number in Chinese quotes (“13911112222”) said masked, as every screen says it
    return misread(t('expected a phone number like "13812345678"'),
                   phones_masked(value, field=True) if isinstance(value, str) else value,
                   phone=True)


def check_timestamp(value: Any) -> str | None:
    if timeutil.from_iso(value):
        return None
    if timeutil.iso_out_of_range(value):
        return t("a time between the years {first} and {last} is expected",
                 first=timeutil.EARLIEST.year, last=timeutil.LATEST.year - 1)
    impossible = timeutil.no_such_moment(value) if isinstance(value, str) else None
    if impossible:  # "2026-11-02T25:00:00+08:00": there is no hour 25, as --at says it
        return impossible
    # an unquoted 17:00 became 1020: say so; quoting a naive datetime would not help
    problem = t('expected an ISO 8601 time with its UTC offset, like "2026-11-26T09:00:00+08:00"')
    return misread(problem, value) if isinstance(value, int) else problem


def phone_digits(phone: str) -> str:
    """The digits that identify a number however it was typed: 138-1234-5678,
    +86 138 1234 5678 and 13812345678 are one number."""
    digits = "".join(char for char in timeutil.half_width(phone)
                     if "0" <= char <= "9")
    if digits.startswith("0086"):  # 00 as + dials abroad: a landline then as +86 writes it
        digits = digits[4:]
        if digits[:1] != "1" or digits.startswith("10"):
            digits = "86" + (digits[1:] if digits.startswith("0") else digits)
    elif digits.startswith("860") and len(digits) >= 12:  # +86 0571…: the 0 not dialled
        digits = "86" + digits[3:]
    if digits.startswith("86") and len(digits) == 13 and digits[2] == "1":
        digits = digits[2:]
    return digits


#: the dashes an input method types (— – ‐ ‑ ―), and a dot between digits (138.1234.5678)
#: what an input method or a clerk types between a phone's digits besides a hyphen
_OTHER_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d.·"
_PHONE_DASHES = lazy(f"[{_OTHER_DASHES}]+")
_AREA_CODE = lazy(r"^\((\+?\d{2,5})\)\s*")  # (0571)88886666, (+86)13812345678


def phone_written(text: str) -> str:
    """A number as a clerk may type it, in the characters a phone field holds (digits, +, -
    and single spaces): full-width digits, an input method's dashes, dots between groups and
    an area code in brackets, `(0571)8888—6666`, read as `0571-8888-6666`."""
    text = " ".join(timeutil.half_width(text).split())
    text = _AREA_CODE.sub(lambda found: found[1] + "-", text)
    return _PHONE_DASHES.sub("-", text)


def phone_stored(text: str) -> str:
    """A whole number (phone_problem accepts it) as a resident's phone field keeps it, one
    spelling however typed, so the files, a search and an export find it as typed anywhere:
    a mobile number as its 11 digits (139 0000 1111, １３９－００００－１１１１ and
    13900001111 are 13900001111), `+86 ` kept in front when typed (+86 13900001111); a
    landline as its area code, a dash and its number (0571 8888 6666 is 0571-88886666, 010
    is the area code of 010-88886666), or its digits alone without one (88886666). Any other
    (a number abroad, +1 415 555 0100) as `phone_written` gives it."""
    written = phone_written(text)
    if "*" in written:  # masked (an erased number): never its digits
        return written
    if written.startswith("+0086"):  # + and 00 both dial abroad: no country code begins 0
        written = "+" + written[3:]
    national = _china_national(written)
    if written.startswith("+") and national is None:  # abroad: its groups as typed
        return written
    plus86 = national is not None
    digits = national if plus86 else phone_digits(written)
    country = "+86 " if plus86 else ""
    if len(digits) == 11 and digits[0] == "1":
        return country + digits
    code = _area_code(digits)
    if code and len(digits) - code in (7, 8):  # a landline: its area code, a dash, its number
        area = digits[1:code] if plus86 else digits[:code]  # after +86 without its 0
        return f"{country}{area}-{digits[code:]}"
    if not plus86 and len(digits) in (7, 8):
        return digits
    return written  # 0 before a mobile number (013900001111), or no area code: as typed


def _china_national(phone: str) -> str | None:
    """The number as dialled inside China of `phone` written with China's country code
    before it (+86, +0086, 0086, or a bare 86 before a whole number: 86 571 8888 6666): a
    mobile number's 11 digits, a landline with its area code's 0 (+86 571 8888 6666 and +86
    0571 8888 6666 are 057188886666); None for any other number (one abroad, 0571 8888 6666,
    a landline of its own that starts 86: 86123456)."""
    written = phone_written(phone)
    typed = "".join(char for char in written if "0" <= char <= "9")
    plus = written.startswith("+")
    if typed.startswith("0086") and (not plus or written[1:].startswith("0086")):
        rest, bare = typed[4:], False  # + and 00 both dial abroad: no country code begins 0
    elif typed.startswith("86") and (not plus or written[1:].lstrip().startswith("86")):
        rest, bare = typed[2:], not plus
    else:
        return None
    if rest.startswith("1") and not rest.startswith("10"):  # a mobile number (+86 10: Beijing)
        return rest if not bare or len(rest) == 11 else None
    national = rest if rest.startswith("0") else "0" + rest
    code = _area_code(national)
    if bare and not (code and len(national) - code in (7, 8)):
        return None  # 86 before a whole number only: 8612345678 is a landline of its own
    return national


def _area_code(digits: str) -> int:
    """How many of `digits` (a number with its 0) are a Chinese area code: 3 for 010 and
    020-029, 4 for the others (0571, 0755); 0 when there is none (not a 0, or 01 but 010:
    013900001111 is a mobile number with a 0 before it, no area code 013)."""
    if digits[:1] != "0" or digits[1:2] in ("", "0") or (
            digits[1] == "1" and digits[2:3] != "0"):
        return 0
    return 3 if digits[1] in "12" else 4


def phone_typed(text: str) -> bool:
    """`text` is a whole phone number as a clerk types it (digits, +, - and spaces, a number
    phone_problem accepts; as `phone_written` reads it): what finds a resident, a caller or
    an open record by phone rather than by room or name."""
    text = phone_written(text)
    return bool(text) and not set(text) - set("0123456789+- ") and phone_problem(text) is None


def phone_problem(phone: str) -> str | None:
    """What makes a typed number no one's phone, else None: the one rule for every number
    typed for a resident (log call, a ticket, the register). A Chinese mobile number is 11
    digits starting with 1; a landline 7 or 8 digits, with its area code (010, 0571) in front
    when it has one (11 or 12 digits); +86 may stand before either, and a number abroad (+
    and another country code) has 7 to 15 digits. Short service numbers (110, 12345, 96333)
    are departments' (dutyctl.yaml), never a resident's. Files keep what they hold
    (check_phone only asks for a number's shape)."""
    typed = timeutil.half_width(phone).strip()
    national = _china_national(typed)  # +86 571 8888 6666, 0086 571 8888 6666: 0571…
    abroad = national is None and typed.startswith("+")
    digits = phone_digits(typed) if national is None else national
    if abroad:
        whole = 7 <= len(digits) <= 15
    elif digits.startswith("1"):
        whole = len(digits) == 11
    elif digits.startswith("0"):
        whole = 11 <= len(digits) <= 12
    else:
        whole = 7 <= len(digits) <= 8
    if whole:
        return None
    if not abroad and digits.startswith("1"):  # 1381234: never "a landline has 7 digits"
        return tn("{count} digit is not a phone number: a mobile number, starting with 1, "
                  "has 11 digits", "{count} digits are not a phone number: a mobile number, "
                  "starting with 1, has 11 digits", len(digits))
    if not abroad and digits.startswith("0"):
        return tn("{count} digit is not a phone number: an area code (010, 0571), starting "
                  "with 0, and a landline's 7 or 8 digits make 11 or 12",
                  "{count} digits are not a phone number: an area code (010, 0571), starting "
                  "with 0, and a landline's 7 or 8 digits make 11 or 12", len(digits))
    return tn("{count} digit is not a phone number: a mobile number has 11 digits starting "
              "with 1, a landline 7 or 8 digits, after its area code if it has one "
              "(0571-88886666)",
              "{count} digits are not a phone number: a mobile number has 11 digits starting "
              "with 1, a landline 7 or 8 digits, after its area code if it has one "
              "(0571-88886666)", len(digits))


def mask_phone(phone: str) -> str:
    """138****5678: enough to recognise a caller, not enough to call them. The number's own
    digits are masked however it was typed (138-1234-5678, +86 138 1234 5678), so one
    number looks alike on every screen."""
    if "*" in phone:  # masked already (an erased number): shown as it is
        return phone.strip()
    digits = phone_digits(phone) or phone.strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    digits = same_number(phone) or digits  # +86 571 8888 7777 is 0571-8888 7777
    if digits[0] == "0" and len(digits) >= 10:  # a landline: its area code is no secret
        if code := _area_code(digits):  # 010, 021…; 0571…; not 0 + a mobile number
            local = digits[code:]
            return f"{digits[:code]}-{'*' * (len(local) - 4)}{local[-4:]}"
    keep_head = 3 if len(digits) >= 9 else 1
    keep_tail = 4 if len(digits) >= 8 else 2  # a short number must still hide some digits
    return digits[:keep_head] + "*" * (len(digits) - keep_head - keep_tail) + digits[-keep_tail:]


# a phone number typed into free text: digits with +, single spaces or the separators a
# clerk types between them (138-1234-5678, 138 1234 5678, 138.1234.5678, 0571—88886666),
# never running on from a letter, a digit, a dot or a digit's colon (an id, an amount, 10:00;
# 电话:13600002222 is a phone); a date
# (2026-10-13, and so its time after it) is matched first and left as it is
_SEPARATORS = "\\-" + _OTHER_DASHES
_NUMBER_IN_TEXT = lazy(
    r"(?P<date>(?:19|20)\d\d-\d{1,2}-\d{1,2})"
    rf"|(?<![0-9A-Za-z.{_SEPARATORS}])(?<!\d:)\+?\d(?:[\d{_SEPARATORS}]|[ \u3000](?=\d)){{5,}}\d"
    r"(?![0-9A-Za-z])")
_DATE_DIGITS = lazy(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")


def phones_masked(text: str, field: bool = False) -> str:
    """Free text (a summary, a note) with each phone number in it masked as the phone
    field is (`请回电到儿子手机 139****4321`): a clerk writes the number to call back into
    the summary, and every screen, export and report showed it whole. A run of digits is a
    phone when `phone_problem` takes it (a whole mobile or landline number); one that is
    not, with spaces in it (a room then a phone, `3-2-501 13812345678`; a phone then a
    count, `13812345678 2次`), is read piece by piece. `field`: the text is a phone field's
    (`phone: “20261006”`), where eight digits that could be a day are a landline's, masked."""
    return _NUMBER_IN_TEXT.sub(lambda found: found[0] if found["date"] and not field
                               else _masked_run(found[0], field), text)


def same_number(phone: str) -> str:
    """The digits that make one number of its spellings, for comparing two: `+86 571 8888
    6666` is `0571-88886666` (phone_digits keeps 86 before an area code); the index's keys
    (`residents.phone_key`) are made of it too."""
    national = _china_national(phone)
    return phone_digits(phone) if national is None else national


def phones_erased(text: str, numbers: set[str]) -> str:
    """Free text with these numbers (`same_number`) masked, as `phones_masked` masks every
    number: what dutyctl.erasure writes into a file."""
    def erased(run: str) -> str:
        if same_number(phone_written(run)) in numbers:
            return mask_phone(run)
        return " ".join(mask_phone(piece) if same_number(piece) in numbers else piece
                        for piece in run.replace("\u3000", " ").split(" ")) \
            if " " in run or "\u3000" in run else run

    return _NUMBER_IN_TEXT.sub(lambda found: found[0] if found["date"] else erased(found[0]),
                               text)


def _masked_run(run: str, field: bool = False) -> str:
    if _a_phone(run, field):
        return mask_phone(run)
    if " " not in run:
        return run
    return " ".join(mask_phone(piece) if _a_phone(piece, field) else piece
                    for piece in run.split(" "))


def _a_phone(text: str, field: bool = False) -> bool:
    """A whole phone number as `phone_problem` takes one, not a room written as rooms are
    (12-12-1202: eight digits starting 1 are no mobile) nor, but in a phone `field`, a date
    of eight digits."""
    written = phone_written(text)
    digits = phone_digits(written)
    if len(digits) < 7 or (not field and len(digits) == 8 and _DATE_DIGITS.fullmatch(digits)):
        return False
    return phone_problem(written) is None


_YES_NO = {"是": True, "否": False}


def _in_words(allowed: Any, words: Any, typed: str | None) -> list[str]:
    """The keys `unknown` lists: for a key typed in Chinese, each by its first Chinese word
    (名称 for name) where the section has words (`ruleskeys`, `configkeys`)."""
    if not words or typed is None or typed.isascii():
        return list(allowed)
    from dutyctl.ruleskeys import first_words

    first = first_words(words)
    return [first.get(key, key) for key in allowed]


def _near_word(typed: str, words: dict[str, str]) -> str | None:
    """The key word a slip in a Chinese key was meant as: one character swapped in place (目票
    for 目标, 最少修息小时, 职位 for 岗位: the input method's neighbour), else a word that
    differs by little more than a character left out or added (迟到宽限 for 迟到宽限分钟).
    `words`: word -> its key. Two keys a swap could mean: neither (the table's order must not
    pick one); two words of one key (名城: 名称, 名字): that key."""
    import difflib

    swapped = [word for word in words if len(word) == len(typed)
               and sum(a != b for a, b in zip(word, typed)) == 1]
    if swapped:
        return swapped[0] if len({words[word] for word in swapped}) == 1 else None
    close = difflib.get_close_matches(typed, list(words), n=3, cutoff=0.75)
    if not close:
        return None

    def likeness(word: str) -> float:  # as get_close_matches scores it
        return difflib.SequenceMatcher(None, word, typed).ratio()

    # a tie between keys (不愿意上: 不愿上 or 愿意上, a character from each) is no guess: one
    # of them says the opposite
    best = likeness(close[0])
    tied = {words[word] for word in close if likeness(word) >= best - 1e-9}
    return close[0] if len(tied) == 1 else None


def full_width_colon(value: str) -> str:
    """Why `客服专员： 1` is no `key: value`: the full-width colon an input method typed."""
    return t("'{value}': a full-width colon '：' after the key: YAML needs a half-width colon "
             "and a space, 'key: value' (switch the input method to half-width)", value=value)


def _not_fields(data: Any) -> str:
    """Why a value is no set of fields, with what was written (`人数: 1`, `- 马建国`): a
    supervisor reads "key: value, one a line", not a YAML word."""
    from dutyctl.safetext import one_line
    from dutyctl.textwidth import shorten

    if data is None or isinstance(data, (dict, list)):
        return t("expected fields written as 'key: value', one a line")
    # what was written, a phone number in it masked as every screen masks one: a record
    # file of one line may be the very number `resident erase-phone` is erasing
    written = shorten(one_line(phones_masked(str(data))), 30)
    if isinstance(data, str) and "\uff1a" in data:  # `客服专员： 1` under its key: one text
        return full_width_colon(written)
    return t("expected fields written as 'key: value', one a line, not '{value}'",
             value=written)


class Fields:
    """Accessors over one mapping of a file; problems go to the shared list."""

    def __init__(self, data: Any, path: str, problems: list[Problem], line: int = 0,
                 where: str = ""):
        self.path = path
        self.problems = problems
        self.where = where
        self.ok = isinstance(data, dict)
        self.data = data if self.ok else LineDict()
        self.line = getattr(data, "line", line) or line
        if not self.ok:
            self.problem(None, _not_fields(data), line=line)

    def line_of(self, key: Any) -> int:
        lines = getattr(self.data, "lines", {})
        return lines.get(key, self.line)

    def label(self, key: Any) -> Any:
        """`key` as the file writes it: 请假 for leave where the key was typed in Chinese
        (`ruleskeys.canonical`), an index after it said as a clerk counts (请假第1项 for
        leave[0])."""
        said = getattr(self.data, "said", None)
        if not said or not isinstance(key, str):
            return key
        head, bracket, rest = key.partition("[")
        word = said.get(head, head)
        index, closing, after = rest.partition("]")
        if word.isascii() or not index.isdigit() or not closing:
            return word + bracket + rest
        # a clerk counts from one and does not write brackets: 班次第1项, not 班次[0]
        return t("{key} #{number}{rest}", key=word, number=int(index) + 1, rest=after)

    def inside(self, key: Any) -> str:
        """The `where` of the fields inside `key`: `staff[3].`, and an item of a list the file
        names in Chinese as a clerk reads it, `员工第 4 项的` (员工第 4 项的姓名, never
        员工第4项.姓名); a section's keys stay joined by a dot (站点.时区)."""
        said = self.label(key)
        if isinstance(key, str) and "[" in key and not said.isascii():  # 员工第 4 项 (label)
            return tp("a list item's fields", "{where}{item}.", where=self.where, item=said)
        return f"{self.where}{said}."

    def problem(self, key: Any, message: str, line: int | None = None) -> None:
        # a `where` ends in what `inside` joins with: one character, "." or "的"
        label = f"{self.where}{self.label(key)}: " if key is not None else (
            f"{self.where[:-1]}: " if self.where else "")
        self.problems.append(Problem(self.path, line or self.line_of(key), label + message))

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def raw(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def _required(self, key: str, required: bool) -> Any:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            # a section that is not a mapping is said once, not once per field it lacks; a
            # whole file that is not one (empty, a list) also says what it needs
            if required and (self.ok or not self.where):
                self.problem(key, t("is required"))
            return _MISSING
        return value

    def _checked(self, key: str, required: bool, check) -> Any:
        value = self._required(key, required)
        if value is _MISSING:
            return None
        error = check(value)
        if error:
            self.problem(key, error)
            return None
        return value

    def text(self, key: str, required: bool = True, default: str | None = None,
             choices: Any = None) -> str | None:
        """A text field, one of `choices` when given; a dict of choices (id -> display name)
        also takes the name and gives the id (`desk: {clerk_role: 客服专员}`)."""
        value = self._required(key, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str) or not value.strip():
            self.problem(key, _not_text(value))
            return default
        if choices is not None and value not in choices:
            if isinstance(choices, dict):  # id -> display name: the name a supervisor writes
                from dutyctl.choices import describe, matches

                named = matches(value, choices, partial=False)
                if len(named) == 1:
                    return named[0]
                listed = describe(choices)
            else:
                listed = t(", ").join(str(c) for c in choices)
            self.problem(key, t("'{value}' is not one of: {choices}",
                                value=phones_masked(str(value)), choices=listed))
            return default
        return value

    def clock(self, key: str, required: bool = True) -> time | None:
        value = self._checked(key, required, check_clock)
        return timeutil.parse_clock(value) if value else None

    def room(self, key: str, required: bool = True) -> str | None:
        return self._checked(key, required, check_room)

    def phone(self, key: str, required: bool = True) -> str | None:
        return self._checked(key, required, check_phone)

    def timestamp(self, key: str, required: bool = True) -> datetime | None:
        value = self._required(key, required)
        if value is _MISSING:
            return None
        parsed = timeutil.from_iso(value)  # parsed once: check_timestamp only says why not
        if parsed is None:
            self.problem(key, check_timestamp(value))
        return parsed

    def integer(self, key: str, required: bool = True, minimum: int | None = None,
                default: int | None = None, maximum: int | None = None) -> int | None:
        value = self._required(key, required)
        if value is _MISSING:
            return default
        decimal = _decimal(value)
        if decimal is not None:  # 1.5 (or "1.5"): its hint was to quote it, then to unquote it
            self.problem(key, t("expected a whole number, not {value}: write {whole}",
                                value=str(value).strip(), whole=t(" or ").join(dict.fromkeys(
                                    f"{int(n)}" for n in (decimal // 1, -(-decimal // 1))))))
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, _number_misread(t("expected a whole number"), value))
            return default
        if minimum is not None and value < minimum:
            self.problem(key, t("must be at least {minimum}", minimum=minimum))
            return default
        if maximum is not None and value > maximum:
            self.problem(key, t("must be at most {maximum}", maximum=maximum))
            return default
        return value

    def number(self, key: str, required: bool = True, default: float | None = None) -> float | None:
        value = self._required(key, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(key, _number_misread(t("expected a number"), value))
            return default
        if value != value or value in (float("inf"), float("-inf")):  # YAML's .nan, .inf
            self.problem(key, t("expected a number, not {value}", value=value))
            return default
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        """true or false, or as a Chinese file says them: 是 / 否."""
        value = self._required(key, False)
        if value is _MISSING:
            return default
        if isinstance(value, str) and timeutil.half_width(value).strip() in _YES_NO:
            return _YES_NO[timeutil.half_width(value).strip()]
        if not isinstance(value, bool):
            self.problem(key, t("expected true or false (是 or 否)"))
            return default
        return value

    def duration(self, key: str, required: bool = True) -> tuple[timedelta, bool] | None:
        value = self._required(key, required)
        if value is _MISSING:
            return None
        parsed = timeutil.parse_duration(value) if isinstance(value, str) else None
        if parsed is None:
            self.problem(key, timeutil.duration_hint(value) or misread(t(
                'expected a duration like "30m", "2h", "3d" or "7wd" (working days)'), value))
        return parsed

    def mapping(self, key: str, required: bool = True) -> "Fields | None":
        value = self._required(key, required)
        if value is _MISSING:
            return None
        return Fields(value, self.path, self.problems, self.line_of(key), self.inside(key))

    def items(self, key: str, required: bool = True) -> Iterator[tuple[int, Any, int]]:
        """(index, item, line) for each item of a list field. An empty item (`- ` with
        nothing after it, `""`, spaces) is said `must not be empty` at its place, as an empty
        text field is, and not given: each list said it as a wrong value of its own
        (`expected the display name of this role`, `expected a shift (…)`)."""
        value = self._required(key, required)
        if value is _MISSING:
            return
        if not isinstance(value, list):
            if isinstance(value, str) and (inside := wide_brackets(value)) is not None:
                self.problem(key, wide_list(inside))
            elif isinstance(value, str) and value.strip():  # roles: service, one unbracketed
                from dutyctl.choices import split_list

                # 岗位: 维修工、客服专员: [维修工、客服专员] would be one item, never two
                self.problem(key, t("expected a list: write [{value}]",
                                    value=", ".join(split_list(value)) or value.strip()))
            elif value is not None and not isinstance(value, bool):  # leave: 2026-12-24, {...}
                self.problem(key, t("expected a list: put the item in square brackets [ ], or "
                                    "begin its line with \"- \""))
            else:
                self.problem(key, t("expected a list"))
            return
        lines = value.lines if isinstance(value, LineList) else []
        for index, item in enumerate(value):
            line = lines[index] if index < len(lines) else self.line_of(key)
            if empty_item(item):
                self.problem(f"{key}[{index}]", t("must not be empty"), line)
                continue
            yield index, item, line

    def text_list(self, key: str, required: bool = False) -> list[str]:
        result = []
        for index, item, line in self.items(key, required):
            if isinstance(item, str) and item.strip():
                result.append(item)
            else:
                self.problem(f"{key}[{index}]", _not_text(item), line)
        return result

    def unknown(self, allowed: Any, words: Any = None) -> None:
        """Each key not `allowed`, with the one meant when it is clear, said as what was written
        and what to write instead ("for '请假' write leave"): a word of `words` (a Chinese word
        -> its key: 请假 -> leave, 夜班 -> nights; typed in full width too) or a near spelling
        (min_rest_hour). Without one, the keys there are."""
        import difflib

        from dutyctl.errors import MAX_PROBLEMS_PER_FILE, more_problems, said_enough

        strangers = [key for key in self.data if key not in allowed]
        first = min((self.line_of(key) for key in strangers), default=0)
        if strangers and said_enough(self.problems, self.path, first):
            self.problems.append(more_problems(self.path, len(strangers), first))
            return
        # a file of 200,000 made-up keys is said as the cap says it, not worded key by key
        # (a spelling guess each: a minute of CPU before the cap dropped all but 20)
        if len(strangers) > MAX_PROBLEMS_PER_FILE:
            self.problems.append(more_problems(self.path,
                                               len(strangers) - MAX_PROBLEMS_PER_FILE))
        for key in strangers[:MAX_PROBLEMS_PER_FILE]:
            typed = timeutil.half_width(key).strip() if isinstance(key, str) else None
            meant = (words or {}).get(typed) if typed is not None else None
            if meant is not None and meant in self.data:  # 请假 beside leave (ruleskeys)
                self.problem(key, t("'{value}' is {key} again, already written: keep one of "
                                    "the two", value=key.strip(), key=self.label(meant)))
                continue
            if meant is None and typed and words and not typed.isascii():
                near = _near_word(typed, {word: key for word, key in words.items()
                                          if key in allowed})
                # said as the manual writes that key: 楼层数 is near 楼层, written 层数
                from dutyctl.ruleskeys import first_words

                meant = first_words(words)[words[near]] if near else None
            if meant is None and typed is not None:
                meant = next(iter(difflib.get_close_matches(typed, list(allowed), n=1,
                                                            cutoff=0.8)), None)
            if meant:
                self.problem(key, t("for '{value}' write {key}", value=key.strip(), key=meant))
            else:
                self.problem(key, t("unknown field (expected one of: {allowed})",
                                    allowed=t(", ").join(_in_words(allowed, words, typed))))
