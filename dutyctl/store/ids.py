"""ULID-style ids: 48 bits of milliseconds and 80 random bits in Crockford base 32.

They sort by the moment they name and are unique across desks without coordination. The
time part is the record's own time (back-dated with --at if so), which also names the dated
folder the record lives in, so a full id finds its file without a search.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from dutyctl.folding import half_width

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUES = {char: value for value, char in enumerate(ALPHABET)}
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
ID_LENGTH = 26
TIME_LENGTH = 10
SHORT_LENGTH = 12  # time to the millisecond plus two random characters
STEP_LENGTH = 14  # a step's id as hints show it (`settle --event` takes a prefix)
MAX_FIRST = "7"  # 48 bits of time in 10 characters of 5 bits: the first one is at most 7
_UNSHOWN_BITS = 5 * (ID_LENGTH - SHORT_LENGTH)  # the random bits the short form leaves out


def _encode(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def new_id(moment: datetime, after: str | None = None) -> str:
    """An id naming `moment`, sorting after the id `after` when one is given.

    Times typed at the desk are whole seconds, so a moment without milliseconds gets random
    ones: records of the same second then differ within the 12 characters people see (about
    1 in a million per pair instead of 1 in 1,024). `after` keeps a record's events of the
    same second, and the records one command files at one time, in the order written.
    """
    millis = int(moment.timestamp()) * 1000
    # os.urandom, not `secrets`: that module pulls in hmac and hashlib (~3 ms per command)
    millis += (moment.microsecond // 1000 if moment.microsecond
               else int.from_bytes(os.urandom(4), "big") % 1000)
    if millis < 0:
        raise ValueError(f"no id can name a moment before 1970: {moment.isoformat()}")
    if after is not None and millis <= _millis(after):
        return _id_after(after)
    return _encode(millis, TIME_LENGTH) + _encode(int.from_bytes(os.urandom(10), "big"), 16)


def _id_after(after: str) -> str:
    """An id sorting after `after` and naming the same second (its dated folder and the
    record's time): later milliseconds of that second if any are left, else the same
    millisecond with the random characters of the short form one higher (a call at .999
    and the ticket it files showed the same 12 characters, so neither could be named by
    them), else with a larger random part; the next millisecond only when even that is
    full."""
    millis = _millis(after)
    left = 999 - millis % 1000  # milliseconds after it in its second
    if left:
        millis += 1 + int.from_bytes(os.urandom(4), "big") % left
        return _encode(millis, TIME_LENGTH) + _encode(int.from_bytes(os.urandom(10), "big"), 16)
    random = _number(after[TIME_LENGTH:])
    shown = random >> _UNSHOWN_BITS  # the short form's random characters
    if shown + 1 < 32 ** (SHORT_LENGTH - TIME_LENGTH):
        unshown = int.from_bytes(os.urandom(9), "big") % (1 << _UNSHOWN_BITS)
        return after[:TIME_LENGTH] + _encode((shown + 1) << _UNSHOWN_BITS | unshown, 16)
    random += 1 + int.from_bytes(os.urandom(8), "big")
    if random < 32 ** (ID_LENGTH - TIME_LENGTH):
        return after[:TIME_LENGTH] + _encode(random, ID_LENGTH - TIME_LENGTH)
    return _encode(millis + 1, TIME_LENGTH) + _encode(int.from_bytes(os.urandom(10), "big"), 16)


def derived_id(moment: datetime, key: str) -> str:
    """The id of something two desks may each file without talking first (an occurrence of
    recurring maintenance): its moment to the millisecond and 80 bits of a hash of `key`, so
    both desks write the identical file and git merges it as one."""
    import hashlib

    millis = int(moment.timestamp() * 1000)
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:10], "big")
    return _encode(millis, TIME_LENGTH) + _encode(digest, 16)


def normalize(text: str) -> str | None:
    """Upper-case a typed id or prefix, fixing look-alike letters and full-width ones (０１Ｍ８,
    typed in a Chinese input method's full-width mode); None if it cannot be one."""
    cleaned = half_width(text).strip().upper().translate(_LOOKALIKES)
    if not cleaned or len(cleaned) > ID_LENGTH or cleaned.strip(ALPHABET):  # another char
        return None
    if cleaned[0] > MAX_FIRST:
        return None
    return cleaned


def file_ids(name: str) -> tuple[str, str | None] | None:
    """What a file name under records/ says (a path's last part is taken): `ID.yaml`, a
    record's own file → (ID, None); `ID.STEP.yaml`, one of its steps → (ID, STEP); None for
    any other name (a hidden file, a write in progress, junk `dutyctl check` reports). The one
    reading of a record file's name, on the store's hot path: string methods only."""
    base = name[_last_part(name):]
    if not base.endswith(".yaml"):
        return None
    record, dot, step = base[:-5].partition(".")
    if not (record.isalnum() and record.isascii()) or (
            dot and not (step.isalnum() and step.isascii())):
        return None
    return record, step if dot else None


def record_of(name: str) -> str:
    """The record a file under records/ belongs to by its name, unchecked (a path's last part
    is taken): ID of `ID.yaml` and of `ID.STEP.yaml`, as `file_ids` reads them; of any other
    name the part before its first dot, the record the store reads it as (and reports as
    junk). For grouping every file of a folder, junk too (the record index)."""
    return name[_last_part(name):].partition(".")[0]


def _last_part(name: str) -> int:
    """Where a path's last part begins: after its last `/`, or `os.sep` (the store builds
    paths with `os.sep`: on Windows a backslash)."""
    return max(name.rfind("/"), name.rfind(os.sep)) + 1


def short(record_id: str) -> str:
    return record_id[:SHORT_LENGTH]


def short_step(step_id: str) -> str:
    """A step's id as every hint shows it: a prefix `settle --event` takes."""
    return step_id[:STEP_LENGTH]


def time_range(prefix: str) -> tuple[datetime, datetime]:
    """The earliest and latest moment an id starting with `prefix` can name."""
    head = prefix[:TIME_LENGTH]
    low = high = 0
    for position in range(TIME_LENGTH):
        low = low * 32 + (_VALUES[head[position]] if position < len(head) else 0)
        high = high * 32 + (_VALUES[head[position]] if position < len(head) else 31)
    # 48 bits of milliseconds reach past year 9999: keep a day of room for callers' margins
    limit = datetime(9999, 12, 30, tzinfo=timezone.utc).timestamp() * 1000
    return (datetime.fromtimestamp(min(low, limit) / 1000, timezone.utc),
            datetime.fromtimestamp(min(high, limit) / 1000, timezone.utc))


def _millis(record_id: str) -> int:
    return _number(record_id[:TIME_LENGTH])


def _number(text: str) -> int:
    number = 0
    for char in text:
        number = number * 32 + _VALUES[char]
    return number


def moment_of(record_id: str) -> datetime:
    return time_range(record_id)[0]
