"""The columns a text takes on a terminal (a Chinese character is two) and a text cut to a
width: every message and table measures and cuts by these, imported from here (`output` uses
them too, and is no way to them).

At the bottom of the package, importing nothing of it: `yamlfull` cuts a value in a message
by them, and `output` dumps YAML through `yamlfull`.
"""

from __future__ import annotations

ELLIPSIS = "…"


# Characters whose width is known without wcwidth (its import costs a command 10-20 ms):
# printable ASCII is one column; Chinese characters, CJK punctuation and full-width forms two.
_WIDE = ((0x3000, 0x3029), (0x3030, 0x303E), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
         (0xFF01, 0xFF60), (0xFFE0, 0xFFE6))


# and the few other one-column marks the program's own words use (quotes, dashes, …, ▲▼, ✗)
_NARROW = frozenset("“”‘’—–…→←×✗✓▲▼≥≤·§")


def _known_width(char: str) -> int | None:
    code = ord(char)
    if 0x20 <= code < 0x7F or char in _NARROW:
        return 1
    for low, high in _WIDE:
        if low <= code <= high:
            return 2
    return None


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal: a Chinese character counts two."""
    if text.isascii() and text.isprintable():
        return len(text)
    width = 0
    for char in text:
        known = _known_width(char)
        if known is None:  # anything else (emoji, combining marks, controls): wcwidth's call
            from wcwidth import wcswidth

            width = wcswidth(text)
            return width if width >= 0 else len(text)
        width += known
    return width


def _char_width(char: str) -> int:
    known = _known_width(char)
    if known is None:
        from wcwidth import wcwidth

        return max(wcwidth(char), 0)
    return known


def shorten(text: str, width: int) -> str:
    """`text` cut to `width` terminal columns with an ellipsis (a Chinese character is two)."""
    if display_width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        used += _char_width(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept) + ELLIPSIS
