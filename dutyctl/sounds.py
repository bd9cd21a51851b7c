"""Names that sound alike: an input method offers every character of a sound, and a clerk in
a hurry picks the wrong one (李那 for 李娜, 张维 for 张伟). A refusal of a name nobody has
says the one it may have meant; the guess is said, never taken.

pypinyin gives each character's readings. Imported on the way to a refusal only, and without
its dictionary of phrases (over a second of import on a busy machine; a name is compared
character by character, every reading of each).
"""

from __future__ import annotations

import os
from functools import cache
from typing import Mapping

# pypinyin reads these when imported: no phrases, its dictionaries used as loaded
_QUICK_IMPORT = {"PYPINYIN_NO_PHRASES": "1", "PYPINYIN_NO_DICT_COPY": "1"}


def sounding_alike(typed: str, names: Mapping[str, str]) -> list[str]:
    """The ids whose name sounds as `typed` does: the same number of Han characters, each
    typed one read as its character of the name is usually read (the first reading: 李南 is
    not 李娜, though 南 may be read na), any reading of the surname (增强 for 曾强: 曾 is
    zeng as a surname), toneless (an input method types no tones); not the very name typed."""
    typed = "".join(typed.split())
    heard = readings(typed)
    if heard is None:
        return []
    return [name_id for name_id, name in names.items()
            if len(name) == len(typed) and name != typed
            and (sounds := readings(name)) is not None
            and all(ours[0] in (theirs if place == 0 else theirs[:1])
                    for place, (ours, theirs) in enumerate(zip(heard, sounds)))]


@cache
def readings(text: str) -> tuple[tuple[str, ...], ...] | None:
    """The toneless readings of each character of `text`, the usual one first; None unless
    it is two or more characters that all have one (a single character is a surname, said
    otherwise; letters, digits and dots have none)."""
    if len(text) < 2 or text.isascii():
        return None
    pinyin, normal = _pinyin()
    found = pinyin(text, style=normal, heteronym=True, errors=lambda chars: [[""]] * len(chars))
    if len(found) != len(text) or not all(
            ways and all(way.isascii() and way.isalpha() for way in ways) for ways in found):
        return None
    return tuple(tuple(ways) for ways in found)


def _pinyin():
    """pypinyin's `pinyin` and its toneless style, imported without the phrases."""
    saved = {key: os.environ.get(key) for key in _QUICK_IMPORT}
    os.environ.update(_QUICK_IMPORT)
    try:
        from pypinyin import Style, pinyin
    finally:
        for key, value in saved.items():
            if value is None:
                del os.environ[key]
            else:
                os.environ[key] = value
    return pinyin, Style.NORMAL
