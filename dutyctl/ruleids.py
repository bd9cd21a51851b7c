"""The ids of staff, shifts and rotations in `rosters/rules.yaml`: what may be one, and how a
roster file writes one.

An id is what the supervisor writes: 张伟, 夜间备班, zhangwei, night-oncall. Letters of any
script and digits, with `- _ . ·` between them (买买提·艾力); never a space, a quote, a colon, a
control, bidi or zero-width character, nor a full-width or look-alike form of another
character (张伟１ is refused saying to write 张伟1: two ids that look alike would be two
people). Nothing is changed silently: an id is used exactly as written.

Roster files write an id unquoted when YAML reads it back as that very text (张伟, night-oncall)
and quoted otherwise (007, yes); `plain` is that test, shared by the writer and the fast reader
of roster lines, so both always agree with the full YAML parser.
"""

from __future__ import annotations

from dutyctl.folding import MIDDLE_DOT, NAME_DOTS, name_folded
from dutyctl.messages import t
from dutyctl.patterns import lazy

MAX_ID = 40  # characters: a name or a shift's name, not a sentence
_MARKS = frozenset("-_.")
_ASCII_PLAIN = lazy(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_CONTROL_CATEGORIES = ("Cc",)
_INVISIBLE_CATEGORIES = ("Cf", "Zl", "Zp")


def _letter_or_digit(char: str) -> bool:
    return char.isalpha() or char.isdecimal()


def _inner(char: str, category) -> bool:
    """A character an id may hold after its first: a letter, a digit, a combining mark (the
    vowel signs of Thai or Hindi names), `- _ .` or the middle dot."""
    return (_letter_or_digit(char) or char in _MARKS or char == MIDDLE_DOT
            or category(char) in ("Mn", "Mc"))


def why_not_id(value: str) -> str | None:
    """Why `value` cannot be an id (a clause: "it holds a space"), None when it can."""
    import unicodedata  # here: reading a roster (`plain`) needs none of it

    if not value:
        return t("it is empty")
    for char in value:
        code = ord(char)
        category = unicodedata.category(char)
        if category in _CONTROL_CATEGORIES:
            return t("it holds the control character U+{code:04X}", code=code)
        if category in _INVISIBLE_CATEGORIES or char in "\u200b\u2060\ufeff":
            return t("it holds the invisible character U+{code:04X} (bidi, zero-width, a line "
                     "separator or another format character)", code=code)
        if char.isspace():
            return t("it holds a space")
    if len(value) > MAX_ID:
        return t("it is longer than {limit} characters", limit=MAX_ID)
    folded = unicodedata.normalize("NFKC", value)
    if folded != value:  # full-width digits and letters, ① and the like
        return t("it holds full-width or look-alike characters: write {folded}", folded=folded) \
            if is_id(folded) else t("it holds full-width or look-alike characters")
    for char in value:
        if char in NAME_DOTS and char != MIDDLE_DOT:  # 买买提•艾力: the middle dot typed so
            fixed = name_folded(value)
            return t("it holds the dot '{char}': write {dot} instead ({fixed})", char=char,
                     dot=MIDDLE_DOT, fixed=fixed) if is_id(fixed) else \
                t("it holds the dot '{char}': write {dot} instead", char=char, dot=MIDDLE_DOT)
        if not _inner(char, unicodedata.category):
            return t("it holds the character '{char}'", char=char)
    if not _letter_or_digit(value[0]):
        return t("it must start with a letter or a digit")
    return None


def respelled(value: str) -> str | None:
    """The id `value` was most likely meant to be, when it is not one itself: its spaces
    dropped (刘 洋 -> 刘洋), its full-width or look-alike characters written plainly
    (高峰１ -> 高峰1) and its middle dot as · (买买提•艾力 -> 买买提·艾力); None when that is
    no id either, or `value` is one already."""
    fixed = name_folded("".join(value.split()))
    return fixed if fixed != value and is_id(fixed) else None


def is_id(value: object) -> bool:
    """Whether `value` is a usable id (see why_not_id)."""
    return isinstance(value, str) and bool(value) and why_not_id(value) is None


def plain(text: str) -> bool:
    """Whether a roster file writes `text` unquoted: YAML (1.1, as PyYAML reads it) takes it
    back as this very text. An ASCII text as dutyctl always wrote it (a letter or `_` first;
    not yes/no/on/off...); any other an id, `1号岗` too (YAML reads a number, a date, a
    boolean or null only from ASCII text, and an id starts with no indicator)."""
    if text.isascii():
        return bool(_ASCII_PLAIN.match(text)) and text.lower() not in _YAML11_WORDS
    return is_id(text)
