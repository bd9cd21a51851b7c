"""Text from a shared file made safe to show: no raw control, bidi or zero-width character.
No dutyctl import, so the error family itself can say a file's name safely."""

from __future__ import annotations

import re

# What a file from another desk must never put raw on a terminal or into a document: control
# characters but tab and newline (ESC starts the sequences that retitle or clear a terminal or
# fill its clipboard, CR and backspace overwrite what was printed), bidi overrides and
# isolates (they reorder what is shown), zero-width characters (they hide text) and the line
# and paragraph separators, and the two noncharacters XML refuses (U+FFFE, U+FFFF: a workbook
# holding one raw will not open). The front door refuses them too (store.text_problems).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                    "\u2060-\u2064\u2066-\u2069\ufeff\ufffe\uffff]")


def _shown(found: re.Match) -> str:
    code = ord(found[0])
    if code < 0x20:
        return chr(0x2400 + code)  # the control pictures: ESC shows as ␛, CR as ␍
    return "\u2421" if code == 0x7F else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every UNSAFE character shown as a visible escape, never raw (a BOM that
    starts a CSV file is kept: it is what lets a spreadsheet read the file as UTF-8)."""
    if not UNSAFE.search(text):
        return text
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    return bom + UNSAFE.sub(_shown, text[len(bom):])


def one_line(text: str) -> str:
    """`visible(text)` that also shows a line break or tab as its control picture (␊, ␉):
    a name from a shared file said within a line (a message, a commit's subject) cannot break
    it, nor start a line of its own (a forged `Signed-off-by:` trailer)."""
    return visible(text).replace("\n", "\u240a").replace("\t", "\u2409")
