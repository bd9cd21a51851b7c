"""A fast reader and writer for the YAML dutyctl itself writes, falling back to PyYAML.

Years of history mean hundreds of thousands of small files, and the YAML parser (even the C
one) spends most of its time building Python objects: too slow to index 5,000 records a
second. Files written by `yamlio.dumps` use a tiny, regular subset of YAML (block mappings
and sequences two spaces deep, plain text without digits, single-quoted text, small ints,
true/false/null, `|` blocks, `[]` and `{}`), which a line scanner reads several times faster.
Anything outside that subset (a hand edit in another style, a flow mapping, a comment, a
conflict marker, a duplicate key...) goes to `yamlio.loads`, so the result and every error
are exactly the full parser's: same values, same `LineDict`/`LineList` line numbers.

Writing is the same trade: `dumps` writes a record or event (short keys, short one-line text,
ints, true/false/null, nesting) itself, and hands anything else (a long or multi-line text, a
character PyYAML would quote or escape, a float, a date...) to PyYAML, so its text is always
exactly `yamlio.dumps`'s — and `log call` does not pay PyYAML's import.
"""

from __future__ import annotations

import re
from typing import Any

from dutyctl.caches import process_cache
from dutyctl.store.yamlio import LineDict, LineList, loads as full_loads, read_text
from dutyctl.yamlnodes import MAX_RECORD_KEYS

_KEY_LINE = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)$")
_DIGIT = re.compile(r"[0-9]")
_SPECIAL_WORDS = {"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", "=", "<<"}
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`.")
MAX_INT_DIGITS = 18  # ints dutyctl writes are small (schema, minutes, counts)
MAX_LINES = 2_000  # a record or event is a form: anything longer is read by the full parser
_CONSTANTS = {"true": True, "false": False, "null": None, "[]": None, "{}": None}


class _Unusual(Exception):
    """Outside the subset dutyctl writes: the full parser decides."""


def loads(text: str, path: Any = "<text>") -> Any:
    """Exactly what `yamlio.loads(text, path, record=True)` returns (or raises), usually much
    faster: the text of a record or step file, held to what one may hold."""
    try:
        return _Scanner(text).document()
    except _Unusual:
        return full_loads(text, path, record=True)


def load(path, label: str | None = None) -> Any:
    """Exactly what `yamlio.load(path, label)` of a record or step file returns (or raises),
    usually much faster."""
    return loads(read_text(path, label), label or path)


def _scalar(raw: str) -> Any:
    """A one-line value as the full parser would construct it, or _Unusual. Texts and
    numbers are immutable: the short ones met before (a kind, a staff id, a category) come
    from the cache, a dict lookup instead of the checks; ids and times, each met once, are
    not remembered (they would push the others out)."""
    found = _SEEN.get(raw, _MISSING)
    if found is _MISSING:
        if raw in _CONSTANTS:
            return LineList() if raw == "[]" else LineDict() if raw == "{}" else _CONSTANTS[raw]
        found = _checked_scalar(raw)
        if len(raw) < REMEMBERED:
            if len(_SEEN) >= MAX_SEEN:
                _SEEN.clear()
            _SEEN[raw] = found
    return found


_SEEN: dict[str | None, Any] = process_cache({})  # never holds None (a block below) nor `[]`/`{}`
_PLAIN_KEYS: set[str] = process_cache(set())  # keys met before that the full parser reads as text


def _remember(line: str, indent: int, key: str, value: Any) -> None:
    if len(_LINES) >= MAX_SEEN:
        _LINES.clear()
    _LINES[line] = (indent, key, value)


def _plain_key(key: str) -> bool:
    if key.lower() in _SPECIAL_WORDS:
        return False
    if len(_PLAIN_KEYS) < MAX_SEEN:
        _PLAIN_KEYS.add(key)
    return True


_MISSING = object()
# a whole `key: value` line met before -> (indent, key, value), for the lines that repeat
# (kind, schema, by, action, category...); a line this long or longer is not remembered
_LINES: dict[str, tuple[int, str, Any]] = process_cache({})
MAX_SEEN = 20_000  # distinct values remembered (a build reads a few hundred thousand files)
REMEMBERED = 30  # characters: a longer value or line (an id, a time) is not remembered


def _checked_scalar(raw: str) -> Any:
    if raw[:1] == "'" and raw[-1] == "'" and "'" not in (inner := raw[1:-1]) and raw != "'":
        return inner  # an id, a time, a room: quoted, no quote inside
    if raw.startswith("'"):
        if len(raw) < 2 or not raw.endswith("'") or "'" in raw[1:-1].replace("''", ""):
            raise _Unusual
        return raw[1:-1].replace("''", "'")
    if _INT.match(raw):
        if len(raw) > MAX_INT_DIGITS:  # no field's number: the full parser refuses it
            raise _Unusual
        return int(raw)
    if (not raw or raw[0] in _INDICATORS or raw != raw.strip() or _DIGIT.search(raw)
            or ": " in raw or " #" in raw or raw.endswith(":") or "\t" in raw
            or raw.lower() in _SPECIAL_WORDS):
        raise _Unusual
    return raw


class _Scanner:
    def __init__(self, text: str):
        if "\r" in text or "\t" in text or text.startswith(("%", "---", "\ufeff")):
            raise _Unusual
        if "\x85" in text or "\u2028" in text or "\u2029" in text:
            raise _Unusual  # line breaks to YAML: a quoted text folds at them
        self.lines = text.split("\n")
        if len(self.lines) > MAX_LINES:
            raise _Unusual  # the full parser applies its size limits
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.at = 0  # index of the next line to read

    def document(self) -> Any:
        if not self.lines or not all(map(str.strip, self.lines)):
            raise _Unusual  # blank lines only appear in `|` blocks, which this leaves alone
        found = self.mapping(0)
        if self.at != len(self.lines):
            raise _Unusual
        return found

    def mapping(self, indent: int, first: tuple[str, str | None] | None = None) -> LineDict:
        """Keys at `indent`; `first` is a key already split off a `- key: value` line."""
        data = LineDict.empty(self.at if first is not None else self.at + 1)
        lines, count, line_of = self.lines, len(self.lines), data.lines
        if first is not None:  # the `- ` line, already consumed
            self._put(data, first[0], first[1], indent, self.at)
        while self.at < count:
            line = lines[self.at]
            known = _LINES.get(line)
            if known is not None:  # `key: value` met before: its key and value are known
                depth, key, found = known
                if depth != indent:
                    if depth > indent:
                        raise _Unusual
                    break
                self.at += 1
                if key in data:
                    raise _Unusual
                data[key] = found
                line_of[key] = self.at
                continue
            match = _KEY_LINE.match(line)
            depth = len(match[1]) if match else self._indent_of(self.at)
            if depth > indent:
                raise _Unusual  # a folded line, a key too deep...
            if depth < indent or match is None:
                break  # the caller decides whether what follows is allowed
            self.at += 1
            key, raw = match[2], match[3]
            if (raw is not None and raw[:1] == "'" and raw[-1] == "'" and len(raw) > 2
                    and "'" not in raw[1:-1] and key in _PLAIN_KEYS and key not in data):
                data[key] = found = raw[1:-1]  # quoted, no quote inside: an id, a time...
                line_of[key] = self.at
                if len(line) < REMEMBERED:  # a room, a building: met again
                    _remember(line, depth, key, found)
                continue
            if self._put(data, key, raw, indent, self.at) and len(line) < REMEMBERED:
                _remember(line, depth, key, data[key])
        if not data or len(data) > MAX_RECORD_KEYS:  # the full parser refuses so many
            raise _Unusual
        return data

    def _put(self, data: LineDict, key: str, raw: str | None, indent: int,
             number: int) -> bool:
        """Store the value after `key:` on line `number`; True when it is a scalar of that
        line alone (the same line elsewhere means the same key and value)."""
        if key in data or (key not in _PLAIN_KEYS and not _plain_key(key)):
            raise _Unusual
        if raw in _SEEN:  # a text or number met before: immutable, the cache's
            data[key] = _SEEN[raw]
            data.lines[key] = number
            return True
        data[key] = self.value(raw, indent, number)
        data.lines[key] = number  # the key's line, as yamlfull keeps it
        return raw is not None and raw not in ("|", "|-") and raw not in _CONSTANTS

    def value(self, raw: str | None, indent: int, number: int) -> Any:
        """The value after `key:` on line `number` (1-based)."""
        if raw is None:  # a block below: a mapping deeper, or a sequence at the same indent
            if self.at >= len(self.lines):
                raise _Unusual
            if self.lines[self.at].startswith(" " * indent + "- "):
                return self.sequence(indent)
            if self._indent_of(self.at) == indent + 2:
                return self.mapping(indent + 2)
            raise _Unusual
        if raw in ("|", "|-"):
            return self.literal(indent, keep_last=raw == "|")
        found = _scalar(raw)
        if isinstance(found, (LineDict, LineList)):
            found.line = number  # `[]` or `{}`
        return found

    def sequence(self, indent: int) -> LineList:
        data = LineList()
        data.line = self.at + 1
        prefix = " " * indent + "- "
        while self.at < len(self.lines) and self.lines[self.at].startswith(prefix):
            rest = self.lines[self.at][len(prefix):]
            self.at += 1
            number = self.at
            match = _KEY_LINE.match(rest)
            if match and not match[1]:
                item = self.mapping(indent + 2, (match[2], match[3]))
                item.line = number
            elif rest in ("|", "|-") or rest.startswith("- "):
                raise _Unusual
            else:
                item = _scalar(rest)
            data.append(item)
            data.lines.append(number)
        return data

    def literal(self, indent: int, keep_last: bool) -> str:
        """A `|` block indented two more than its key (no blank lines inside: else full)."""
        prefix = " " * (indent + 2)
        taken = []
        while self.at < len(self.lines) and self.lines[self.at].startswith(prefix):
            line = self.lines[self.at][len(prefix):]
            if not line or line[0] == " ":
                raise _Unusual
            taken.append(line)
            self.at += 1
        if not taken:
            raise _Unusual
        return "\n".join(taken) + ("\n" if keep_last else "")

    def _indent_of(self, index: int) -> int:
        line = self.lines[index]
        return len(line) - len(line.lstrip(" "))


# -- writing ---------------------------------------------------------------------------------

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z_-]*$")  # no digit: PyYAML would quote it
# PyYAML's plain style for a text without digits: a letter first, then letters, spaces and a
# few harmless marks, no space at the end; anything else (":", "#", quotes...) goes to PyYAML
_PLAIN_TEXT = re.compile(r"[^\W\d_](?:[^\W\d]|[ ./()-])*$")
MAX_LINE = 80  # PyYAML folds a text past its width of 100: longer lines are its to write


def dumps(data: Any) -> str:
    """Exactly what `yamlio.dumps(data)` returns, usually without importing PyYAML."""
    if isinstance(data, dict) and data:
        lines: list[str] = []
        try:
            _mapping(data, "", lines)
            return "\n".join(lines) + "\n"
        except _Unusual:
            pass
    from dutyctl.yamlfull import dumps as full_dumps

    return full_dumps(data)


def _mapping(data: dict, indent: str, lines: list[str], first: str | None = None) -> None:
    """Block mapping lines; `first` is the `- ` that starts the first key of a list item."""
    for key, value in data.items():
        if not isinstance(key, str) or not _PLAIN_KEY.match(key) or key.lower() in _SPECIAL_WORDS:
            raise _Unusual
        head = f"{first or indent}{key}:"
        first = None
        if isinstance(value, dict) and value:
            lines.append(head)
            _mapping(value, indent + "  ", lines)
        elif isinstance(value, list) and value:
            lines.append(head)
            _sequence(value, indent, lines)
        else:
            lines.append(f"{head} {_scalar_text(value, len(head) + 1)}")


def _sequence(items: list, indent: str, lines: list[str]) -> None:
    """An indentless block sequence (PyYAML's style inside a mapping)."""
    for item in items:
        if isinstance(item, dict) and item:
            _mapping(item, indent + "  ", lines, first=indent + "- ")
        elif isinstance(item, (dict, list)) and item:
            raise _Unusual
        else:
            lines.append(f"{indent}- {_scalar_text(item, len(indent) + 2)}")


def _scalar_text(value: Any, column: int) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    if isinstance(value, (dict, list)):  # empty ones (non-empty are blocks)
        return "{}" if isinstance(value, dict) else "[]"
    if type(value) is not str or column + len(value) + 2 > MAX_LINE or not value.isprintable():
        raise _Unusual
    if _DIGIT.search(value):  # times, rooms and phones: always single-quoted
        if value != value.strip() or "\\" in value:
            raise _Unusual
        return "'" + value.replace("'", "''") + "'"
    # a space at the end would be lost plain: PyYAML quotes it
    if not _PLAIN_TEXT.match(value) or value[-1] == " " or value.lower() in _SPECIAL_WORDS:
        raise _Unusual
    return value
