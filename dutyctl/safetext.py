"""Text from a shared file made safe to show: no raw control, bidi or zero-width character.
No dutyctl import, so the error family itself can say a file's name safely."""

from __future__ import annotations

import re

# What a file from another desk must never put raw on a terminal or into a document: control
# characters but tab and newline (ESC starts the sequences that retitle or clear a terminal or
# fill its clipboard, CR and backspace overwrite what was printed), bidi overrides and
# isolates (they reorder what is shown), zero-width characters (they hide text) and the line
# and paragraph separators, every other format character (Unicode's category Cf: a soft
# hyphen, the tag characters U+E0000-E007F that spell a hidden text another program reads)
# and the two noncharacters XML refuses (U+FFFE, U+FFFF: a workbook holding one raw will not
# open). The front door refuses them too (schema.text_problems).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f"
                    "\u0890\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064"
                    "\u2066-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\U000110bd\U000110cd"
                    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                    "\U000e0001\U000e0020-\U000e007f]")


# Combining marks stacked on one letter: a handful is writing (Vietnamese carries two, a
# Tibetan stack a few more), thousands pile up over the lines above and below on a terminal
# (a name of 5,000 marks from a shared file covered a whole table). The first MOST_MARKS of a
# run are shown, the rest said by their count over the mark placeholder ◌ (`[4992×◌]`).
MOST_MARKS = 8
# Where Unicode 14 has its combining marks (categories Mn, Mc, Me), blocks less than 256 code
# points apart merged: a text with no run of more than MOST_MARKS characters in them (Chinese,
# Latin, digits: every table cell) is passed by one search; only one with such a run is read
# character by character (a category asked per character made every Chinese cell 50 times
# slower to show).
_MARK_BLOCKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u109d\u135d-\u135f\u1712-\u1dff\u20d0-\u20f0"
    "\u2cef-\u2dff\u302a-\u309a\ua66f-\ua6f1\ua802-\uabed\ufb1e\ufe00-\ufe2f"
    "\U000101fd-\U0001037a\U00010a01-\U00010ae6\U00010d24-\U00010d27\U00010eab-\U0001172b"
    "\U0001182c-\U00011a99\U00011c2f-\U00011d97\U00011ef3-\U00011ef6\U00016af0-\U00016b36"
    "\U00016f4f-\U00016ff1\U0001bc9d-\U0001bc9e\U0001cf00-\U0001cf46\U0001d165-\U0001d244"
    "\U0001da00-\U0001daaf\U0001e000-\U0001e02a\U0001e130-\U0001e136\U0001e2ae-\U0001e2ef"
    "\U0001e8d0-\U0001e94a\U000e0100-\U000e01ef]"
    f"{{{MOST_MARKS + 1},}}")


def _marks_cut(text: str) -> str:
    """`text` with each run of more than MOST_MARKS combining marks (Unicode's categories
    Mn, Mc and Me, of every script) cut to them and the count of the rest."""
    if text.isascii() or not _MARK_BLOCKS.search(text):
        return text
    from itertools import groupby
    from unicodedata import category

    runs = ["".join(run) for _, run in groupby(text, key=lambda char: category(char)[0] == "M")]
    if all(len(run) <= MOST_MARKS for run in runs):
        return text  # (a run of other letters that long is no mark's: cut only marks below)
    return "".join(f"{run[:MOST_MARKS]}[{len(run) - MOST_MARKS}×◌]"
                   if len(run) > MOST_MARKS and category(run[0])[0] == "M" else run
                   for run in runs)


def _shown(found: re.Match) -> str:
    code = ord(found[0])
    if code < 0x20:
        return chr(0x2400 + code)  # the control pictures: ESC shows as ␛, CR as ␍
    if code == 0x7F:
        return "\u2421"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"  # \U000e0049, as Python


def visible(text: str) -> str:
    """`text` with every UNSAFE character shown as a visible escape, never raw (a BOM that
    starts a CSV file is kept: it is what lets a spreadsheet read the file as UTF-8), and a
    run of more than MOST_MARKS combining marks cut to them and their count (`[4992×◌]`)."""
    text = _marks_cut(text)
    if not UNSAFE.search(text):
        return text
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    return bom + UNSAFE.sub(_shown, text[len(bom):])


def one_line(text: str) -> str:
    """`visible(text)` that also shows a line break or tab as its control picture (␊, ␉):
    a name from a shared file said within a line (a message, a commit's subject) cannot break
    it, nor start a line of its own (a forged `Signed-off-by:` trailer)."""
    return visible(text).replace("\n", "\u240a").replace("\t", "\u2409")


MAX_LINE = 100  # a name or a room: one short line (a room also names the git commit)


def short_line(text: str) -> str:
    """`one_line(text)` cut to MAX_LINE characters, an ellipsis for the rest: a resident's
    name, a room or a place from a shared file, which the front door takes as one line of at
    most MAX_LINE characters (residents.check_line), within a line or a table's column (a
    place of a million characters padded every row of a listing to its width)."""
    shown = one_line(text)
    return shown if len(shown) <= MAX_LINE else shown[:MAX_LINE - 1] + "\u2026"


#: a mark dutyctl prints that a GBK console cannot show, and what it shows instead
STAND_INS = {"✗": "×", "✓": "√", "•": "·", "∙": "·", "‧": "·"}
STAND_IN = "dutyctl-stand-in"  # the codecs error handler that writes them


def console_bytes(text: str, encoding: str | None) -> bytes:
    """`text` in a console's `encoding` that cannot say all of it: each character it lacks
    as a stand-in (STAND_INS, else `?`), the rest as it is. A GBK console (LANG=zh_CN.GBK,
    PYTHONIOENCODING=gbk) showed the whole text, written in UTF-8, as mojibake (`José` as
    `Jos茅`, every Chinese word garbled). Only an ASCII stream (no locale at all, where a
    Chinese clerk's terminal speaks UTF-8 all the same) gets the text in UTF-8."""
    import codecs

    try:
        name = codecs.lookup(encoding or "ascii").name
    except LookupError:
        name = "ascii"
    if name == "ascii":
        return text.encode("utf-8", "replace")
    codecs.register_error(STAND_IN, stand_in)
    return text.encode(name, STAND_IN)


def stand_in(exc: UnicodeError) -> tuple[str, int]:
    """The codecs error handler STAND_IN: the stand-ins of the characters `exc` could not
    encode (STAND_INS, else `?`), each one the encoding has."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    said = []
    for char in exc.object[exc.start:exc.end]:
        shown = STAND_INS.get(char, "?")
        try:
            shown.encode(exc.encoding)
        except UnicodeEncodeError:
            shown = "?"
        said.append(shown)
    return "".join(said), exc.end
