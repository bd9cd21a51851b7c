"""What every YAML reader of dutyctl returns and respects: `LineDict` / `LineList` (plain dicts
and lists that also know their lines), the bounds on what one file may cost, and a typing slip
both the parser and the field readers name (`WIDE_COMMENT`). A module of its own so the readers
and writers (yamlio, fastyaml, yamlfull, schema) share it without importing each other.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Mapping

from dutyctl.patterns import lazy

# Any file may have come from another desk through git: these bound what one file's contents
# may expand to (yamlio.MAX_FILE_BYTES bounds its size).
MAX_NODES = 1_000_000  # scalars, lists and mappings in one file, written out
MAX_ALIAS_NODES = 10_000  # of those, reached through aliases (&anchor ... *anchor)
# A record or step file (records/) is a form: a few dozen fields in any mapping, and one long
# list at most, a handover's items (about 20 values an item: 100,000 values is a handover of
# some 4,800 open items). Past either bound the file is refused once the parser's events have
# counted that many (about a microsecond each), before anything is built (about 10 microseconds
# and 0.6 kB a value): one file of 100,000 unknown keys had cost every command 3 s and 140 MB.
MAX_RECORD_NODES = 100_000
MAX_RECORD_KEYS = 100  # in any one mapping of a record or step file


class LineDict(dict):
    """A mapping that knows its own line and the line of each key (where a block value
    below it starts is the next line or further: what is said of the value is said there)."""

    line: int = 0
    #: the keys a reader renamed (`ruleskeys.canonical`: leave -> 请假), as the file typed them
    said: Mapping[Any, str] = MappingProxyType({})

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)

    @classmethod
    def empty(cls, line: int) -> "LineDict":
        """A new empty mapping at `line`, without __init__'s call (a build of the record
        index makes a few hundred thousand)."""
        made = dict.__new__(cls)
        made.lines, made.line = {}, line
        return made


class LineList(list):
    """A sequence that knows its own line and the line of each item."""

    line: int = 0

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


#: a comment begun with a full-width ＃ (a Chinese input method): YAML reads it as part of
#: the value before it, or stumbles on the line
WIDE_COMMENT = lazy(r"(?:^|\s)\uff03")


def wide_comment() -> str:
    """What to do about a WIDE_COMMENT, for the parser's refusal and a value's problem."""
    from dutyctl.messages import t

    return t("a full-width '＃' begins the comment: YAML comments begin with a half-width '#' "
             "(switch the input method to half-width)")
