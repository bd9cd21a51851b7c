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
