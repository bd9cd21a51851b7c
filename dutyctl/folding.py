"""Typed text as the same text whatever the input method typed: full-width digits, letters,
colons and spaces as ASCII (`half_width`), a name's middle dots as one (`name_folded`).

At the bottom of the package, importing nothing of it: the time words, the names of people
and the ids of the rules all read typed text through it.
"""

from __future__ import annotations


def half_width(text: str) -> str:
    """What a Chinese input method types in full-width mode (２０：３０, １２月５日, a full-width
    space) as the ASCII digits, colons and spaces the patterns read: Unicode's NFKC, which also
    folds look-alikes (① → 1, ㎡ → m2, half-width katakana → full-width); ASCII unchanged."""
    if text.isascii():
        return text
    import unicodedata

    return unicodedata.normalize("NFKC", text)


#: the middle dots a name (买买提·艾力) is typed with: · (U+00B7), ・ (U+30FB, as some input
#: methods type it; ･ U+FF65 is folded to it by NFKC), • (U+2022), ‧ (U+2027, the hyphenation
#: point of Taiwanese input methods), ∙ (U+2219)
NAME_DOTS = "·•・‧∙"
MIDDLE_DOT = NAME_DOTS[0]  # the dot a name is kept with: 买买提·艾力


def name_folded(text: str) -> str:
    """A name as the same name whatever the input method typed: full-width letters and digits
    as ASCII (张伟ＺＨＡＮＧ, 张伟２: half_width), every middle dot as · (MIDDLE_DOT)."""
    folded = half_width(text)
    for dot in NAME_DOTS[1:]:
        folded = folded.replace(dot, MIDDLE_DOT)
    return folded


def plain_line_ends(text: str) -> str:
    """Line ends pasted from a Windows program (CR LF), and lone CRs, as the line breaks they
    are: a CR is refused in a record (it would move a terminal's cursor back over the line),
    and the clerk who pasted a summary cannot tell what "U+000D" is."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


#: the pairs of quotation marks a Chinese input method types: “” ‘’ 「」 『』 ＂＂
WIDE_QUOTES = (("\u201c", "\u201d"), ("\u2018", "\u2019"), ("\u300c", "\u300d"),
               ("\u300e", "\u300f"), ("\uff02", "\uff02"))


def unquoted(value):
    """A value typed wrapped whole in one pair of WIDE_QUOTES (“3-2-501”), without them and
    the spaces outside them, as a shell reads "3-2-501"; anything else as it is, a text of
    two quotations among them (“门禁坏了”，“电梯也坏了”: its outer marks close and open
    two, not one)."""
    if not isinstance(value, str):
        return value
    inner = value.strip()
    for opening, closing in WIDE_QUOTES:
        if len(inner) > 2 and inner.startswith(opening) and inner.endswith(closing) \
                and opening not in inner[1:-1] and closing not in inner[1:-1]:
            return inner[1:-1]
    return value


def not_decoded(text: str) -> bool:
    """Whether `text` holds bytes the locale's encoding could not read (kept by Python as
    surrogates, U+DC80-U+DCFF: GBK bytes under a UTF-8 locale), which no file can be
    written with."""
    return any("\udc80" <= char <= "\udcff" for char in text)


def locale_said() -> str:
    """The locale as a refusal names it (LANG=…): the variable that sets the encoding."""
    import os

    return (os.environ.get("LC_ALL") or os.environ.get("LC_CTYPE")
            or os.environ.get("LANG", ""))


def typed_in_utf8(arg: str) -> str | None:
    """What `arg` says when its bytes are read as UTF-8, when the locale read them as
    another encoding (GBK) and that reading is the likelier text: it has fewer characters
    outside everyday Chinese (`_uncommon`) than the locale's (张三 from a UTF-8 terminal
    reads 寮犱笁 as GBK, three rare characters). None otherwise: a UTF-8 locale; a GBK
    terminal's text, whose bytes now and then are UTF-8 too (臧红芳's read 갺췼, rarer
    still); text as likely either way (茅 is é's bytes). Windows passes arguments as text:
    never."""
    import codecs
    import os
    import sys

    if arg.isascii() or os.name == "nt":
        return None
    encoding = sys.getfilesystemencoding()
    if codecs.lookup(encoding).name == "utf-8":
        return None
    try:
        typed = arg.encode(encoding, "surrogateescape").decode("utf-8")
    except (UnicodeError, LookupError):
        return None
    return typed if typed != arg and _uncommon(typed) < _uncommon(arg) else None


#: GB2312's first bytes of everyday text: its punctuation (A1), full-width forms (A3) and
#: the 3,755 common characters (B0-D7); what else a reading holds is rare
EVERYDAY_ROWS = (range(0xA1, 0xA2), range(0xA3, 0xA4), range(0xB0, 0xD8))


def _uncommon(text: str) -> int:
    """How many characters of `text` are neither ASCII nor everyday Chinese (EVERYDAY_ROWS).
    On 200,000 random names of 2-4 characters (a fifth of them GB2312's rarer ones) typed
    on a GBK terminal, none was refused; of the same typed in UTF-8, 99.3% were."""
    count = 0
    for char in text:
        if char.isascii():
            continue
        try:
            first = char.encode("gb2312")[0]
        except UnicodeError:
            count += 1
            continue
        count += not any(first in row for row in EVERYDAY_ROWS)
    return count
