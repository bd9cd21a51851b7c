"""PyYAML behind dutyctl's YAML: the loader that keeps line numbers and refuses duplicate keys
and alias bombs, and the dumper that quotes what would be misread. Imported only when a file
is outside the subset dutyctl.store.fastyaml reads and writes itself (PyYAML's import alone costs a
command about 10 ms): callers go through dutyctl.store.yamlio (and dutyctl.store.fastyaml).
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from dutyctl.messages import N_, gettext, t
from dutyctl.yamlnodes import (MAX_ALIAS_NODES, MAX_NODES, MAX_RECORD_KEYS, MAX_RECORD_NODES,
                               WIDE_COMMENT, LineDict, LineList, wide_comment)

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Said(yaml.MarkedYAMLError):
    """A problem dutyctl put in words itself (the parser's own are in English)."""


class _DuplicateKey(_Said):
    pass


class _Loader(_BaseLoader):
    may_alias = True
    #: (`parse`) a record's text that could hold a mapping of more than `keys` keys: its
    #: composed mappings are measured (`_wider_than`), and `recount` (`_count_values` on
    #: the events) says the first one over, or a failure of the text, where the parser
    #: meets them
    keys: int | None = None
    recount: Any = None

    def get_single_data(self):
        # libyaml composes the node graph, where an alias is the same node again: measure it
        # written out before constructing anything, so an alias bomb costs nothing
        try:
            node = self.get_single_node()
        except yaml.YAMLError:
            if self.keys is not None:  # a mapping of too many keys, said before the failure
                self.recount()
            raise
        if node is None:
            return None
        if self.keys is not None and _wider_than(node, self.keys):
            self.recount()
        if self.may_alias:
            _check_size(node)
        return self.construct_document(node)

    depth = 0  # of the values being constructed, one inside another

    def construct_object(self, node, deep=False):
        # a value nested hundreds deep (libyaml takes a thousand) would exhaust Python's
        # recursion here, or in whatever walks it later: refused at its line, as libyaml does
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Said(None, None, t("not valid YAML: nested too deeply (more than {most} "
                                          "levels)", most=MAX_DEPTH), node.start_mark)
            return self._construct(node, deep)
        finally:
            self.depth -= 1

    def _construct(self, node, deep):
        # PyYAML's own constructors raise bare ValueError for an unquoted impossible date
        # (2026-02-30) or `!!int abc`: give it the node's line like every other YAML error
        if (node.tag == INT_TAG and isinstance(node, yaml.ScalarNode)
                and _significant_digits(node.value) > MAX_INT_BITS):
            raise _TooLarge(node.start_mark)  # not even converted (over 4,300 digits: an error)
        try:
            value = super().construct_object(node, deep)
        except (KeyError, AttributeError, ValueError, TypeError, OverflowError):
            # PyYAML's conversion of a scalar's words failed: `!!bool 报修`, `!!int abc`,
            # `!!timestamp x`, 2026-02-30 (a tagged sequence or mapping it refuses itself)
            raise _Said(None, None, _unreadable(node), node.start_mark) from None
        # a number no field holds (0xfff..., 1:00:00:... in base 60): Python refuses to
        # print one of over 4,300 digits, so every message naming it would stop the command
        if type(value) is int and value.bit_length() > MAX_INT_BITS:
            raise _TooLarge(node.start_mark)
        # a float of hundreds of digits reads as inf: refused like the integer (`.inf`, as
        # written, is a float dutyctl never writes, left to the field that reads it)
        if type(value) is float and math.isinf(value) and "inf" not in node.value.lower():
            raise _TooLarge(node.start_mark)
        return value


MAX_INT_BITS = 64
MAX_DEPTH = 64  # values one inside another: dutyctl's files use five or six
INT_TAG = "tag:yaml.org,2002:int"


class _TooLarge(_Said):
    """A number beyond 64 bits; `fields`: the keys (and list places) on its way, outermost
    first, as the mappings it is in add them (`resident.phone`)."""

    def __init__(self, mark):
        super().__init__(None, None, None, mark)
        self.fields: list[str] = []

    def said(self) -> str:
        if not self.fields:
            return t("a number too large: if it is text, put it in quotes")
        field = "".join(part if part.startswith("[") or not index else f".{part}"
                        for index, part in enumerate(self.fields))
        return t("{field}: a number too large: if it is text, put it in quotes", field=field)


def _significant_digits(literal: str) -> int:
    """The digits of an integer literal as YAML 1.1 writes one (sign, 0b/0o/0x, `_`, base 60
    `1:00`) after its leading zeros: more than 64 in any base is a number beyond 64 bits, and
    nothing of 64 bits or less has more (`0b` and 64 ones is 2**64 - 1)."""
    digits = literal.strip().lstrip("+-").replace("_", "")
    if digits[:2].lower() in ("0b", "0o", "0x"):
        digits = digits[2:]
    return len(digits.lstrip("0:"))


def _cut(value: Any, limit: int = 40) -> Any:
    """A value as a message quotes it: a text wider than `limit` terminal columns cut short
    (… at the end; a Chinese character is two columns)."""
    if not isinstance(value, str):
        return value
    from dutyctl.textwidth import shorten

    return shorten(value, limit)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode):
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise _DuplicateKey(None, None, t("a key must be a plain value"), key_node.start_mark)
        if key in data:
            raise _DuplicateKey(
                None, None, t("duplicate key '{key}' (first on line {first})",
                              key=key, first=data.lines[key]), key_node.start_mark)
        try:
            data[key] = loader.construct_object(value_node, deep=True)
        except _TooLarge as exc:  # said with its field: `resident.phone: a number too large`
            exc.fields.insert(0, str(key))
            raise
        # the key's line: a block below it starts a line later, and what is said of the
        # value (a misspelt key, a duplicate's first) is said where its key is written
        data.lines[key] = key_node.start_mark.line + 1


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode):
    data = LineList()
    data.line = node.start_mark.line + 1
    yield data
    for item in node.value:
        try:
            data.append(loader.construct_object(item, deep=True))
        except _TooLarge as exc:
            exc.fields.insert(0, f"[{len(data)}]")
            raise
        data.lines.append(item.start_mark.line + 1)


def _refuse_tag(loader: _Loader, node: yaml.Node):
    """A tag dutyctl never writes (`!!python/object`, `!!binary`, `!!set`, `!custom`...): the
    value it makes is no text, number, time, list or mapping, so the file is refused here,
    at its line, in the user's words (PyYAML's own message is English)."""
    raise _Said(None, None, t("the YAML tag {tag} is not read by dutyctl: write the value "
                              "without it", tag=_short_tag(node.tag)), node.start_mark)


def _unreadable(node) -> str:
    """Why a node PyYAML could not convert is no value of its tag, in the screen's words:
    an impossible date as such, a scalar quoted (cut), anything else by its tag alone."""
    from dutyctl.timeutil import no_such_day

    reason = t("not a value of {tag}", tag=_short_tag(node.tag))
    if not isinstance(node, yaml.ScalarNode):
        return reason
    return no_such_day(node.value) or t("cannot read {value!r}: {reason}",
                                        value=_cut(node.value), reason=reason)


def _short_tag(tag: str) -> str:
    """`!!binary` for tag:yaml.org,2002:binary, a local tag (`!custom`) as written."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
for _tag in ("binary", "set", "omap", "pairs"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)
_Loader.add_constructor(None, _refuse_tag)  # any other tag: !!python/..., !custom


def _check_size(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand it beyond the caps, or refer to themselves."""
    sizes: dict[int, int] = {}  # node id -> size written out
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > min(MAX_NODES, len(sizes) + MAX_ALIAS_NODES):
                raise yaml.composer.ComposerError(
                    None, None, t("too many values once its aliases are expanded ({count} or "
                                  "more): refused", count=sizes[key]), node.start_mark)
            continue
        if key in on_path:
            raise yaml.composer.ComposerError(None, None, t("an alias refers to itself"),
                                              node.start_mark)
        if key in sizes:
            continue
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))


def _wider_than(root: yaml.Node, keys: int) -> bool:
    """A mapping of the composed document has more than `keys` keys (each node once: an
    alias is the same node again)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode) and len(node.value) > keys:
            return True
        stack.extend(_children(node))
    return False


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    if isinstance(node, yaml.SequenceNode):
        return node.value
    return []


def decode_reason(reason: str) -> str:
    """What Python's UTF-8 decoder says of a bad byte, in the user's words."""
    words = {"invalid start byte": N_("invalid start byte"),
             "invalid continuation byte": N_("invalid continuation byte"),
             "unexpected end of data": N_("unexpected end of data"),
             "surrogates not allowed": N_("surrogates not allowed")}
    return gettext(words[reason]) if reason in words else reason


#: a record's text of at most this many characters that could hold a mapping past
#: MAX_RECORD_KEYS (by its `:,?`) is composed whole and its mappings measured, and its events
#: counted only when one is past the cap: a few hundred nodes at most, where counting first
#: parsed a usual record twice. A longer one is counted first: composed whole, `{a,a,a...`
#: of 14 kB (7,000 keys) cost 234 ms before it was refused, against 0.9 ms counted.
COMPOSED_FIRST_CHARS = 2048


def parse(text: str, path, record: bool = False) -> Any:
    """The document in `text`; every failure is an InputError located at path:line. `record`:
    a record or step file, held to MAX_RECORD_NODES values and MAX_RECORD_KEYS keys in any
    mapping (any other file to MAX_NODES values)."""
    from dutyctl.errors import InputError

    try:
        loader = _Loader(text)
    except UnicodeEncodeError as exc:  # a lone surrogate: only text made in Python has one
        raise InputError(t("not UTF-8 text ({reason})", reason=decode_reason(exc.reason)),
                         path=path,
                         line=text.count("\n", 0, exc.start) + 1) from None
    loader.may_alias = _MAY_ALIAS.search(text) is not None  # spare plain files the walk
    most, keys = (MAX_RECORD_NODES, MAX_RECORD_KEYS) if record else (MAX_NODES, None)
    try:
        if len(text) * 2 >= most:  # could hold that many: counted before any node is made
            _count_values(text, most, keys)
        elif keys is not None and sum(map(text.count, ":,?")) >= keys:
            if len(text) <= COMPOSED_FIRST_CHARS:  # a few hundred nodes at most: built first
                loader.keys, loader.recount = keys, lambda: _count_values(text, most, keys)
            else:  # could be thousands of keys: counted before any node is made
                _count_values(text, most, keys)
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.said() if isinstance(exc, _TooLarge) else exc.problem or exc.context or ""
        if not isinstance(exc, _Said):  # the parser's own English, said as such
            typo = _typing_slip(text, exc)
            if typo:
                line, problem = typo
            else:
                problem = t("not valid YAML: {problem}", problem=_parser_said(problem))
        if isinstance(exc, (yaml.scanner.ScannerError, yaml.parser.ParserError)):
            # a syntax error: the parser reads no further, the file's other mistakes are said
            # once it is mended
            problem = t("{problem}; the file is read no further: check it again once this is "
                        "mended", problem=problem)
        raise InputError(problem, path=path, line=line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, at its line
        line = text.count("\n", 0, exc.position) + 1 if exc.position is not None else None
        code = exc.character if isinstance(exc.character, int) else ord(exc.character or "\0")
        raise InputError(t("a control character U+{code:04X} that YAML does not allow: remove "
                           "it", code=code), path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise InputError(t("not valid YAML: {problem}", problem=str(exc)), path=path) from None
    finally:
        loader.dispose()


def _count_values(text: str, most: int, keys: int | None) -> None:
    """Refuse a text of more than `most` values, or (`keys`) of a mapping with more than
    `keys` keys, counted on the parser's events before any node is composed: one event costs
    about a microsecond, where a value built costs ten and 0.6 kB, so a file past a bound is
    refused for the cost of reading up to it. `parse` counts only a text that could hold
    that many values: every value but the first follows a character of its own (a line
    break, a space, `,` `:` `-` `?` `[` `{`), at most two values to one. A smaller one that
    could hold that many keys (a `:` `,` or `?` to every key but a mapping's first, over the
    whole text) is counted first too, unless it is short (COMPOSED_FIRST_CHARS): then only
    when a mapping of its composed nodes has too many, or it fails (`_Loader.recount`): the
    parser's own order says which comes first. A short record that the full parser reads,
    with a hundred times and commas in its text, was parsed twice."""
    from yaml.events import (AliasEvent, CollectionEndEvent, MappingStartEvent, ScalarEvent,
                             SequenceStartEvent)

    counter = _BaseLoader(text)
    try:
        count = 0
        inside: list[int] = []  # per open collection: the values in a mapping, -1 a sequence
        while counter.check_event():
            event = counter.get_event()
            kind = type(event)
            if kind in (ScalarEvent, AliasEvent, MappingStartEvent, SequenceStartEvent):
                count += 1
                if count > most:
                    raise _Said(None, None, t("more than {most} values in one file: refused",
                                              most=most), event.start_mark)
                if inside and inside[-1] >= 0:  # keys and values alternate in a mapping
                    inside[-1] += 1
                    if keys is not None and inside[-1] > 2 * keys:
                        raise _Said(None, None, t(
                            "more than {most} keys in one mapping (a record or step has a few "
                            "dozen): refused", most=keys), event.start_mark)
                if kind is MappingStartEvent:
                    inside.append(0)
                elif kind is SequenceStartEvent:
                    inside.append(-1)
            elif issubclass(kind, CollectionEndEvent):
                inside.pop()
    finally:
        counter.dispose()


# Where an alias (`*name`) may start: a '*' after no letter, digit, '_' or '*' (a node starts a
# line, or follows a blank, a flow indicator or a ':'), so a masked phone number in a comment
# (`138****5678`, in the template of dutyctl.yaml) is no reason to walk the node graph. Only a
# filter: what it lets through is walked, and an alias never starts after a word character.
_MAY_ALIAS = re.compile(r"(?<![\w*])\*")

# What the parser says most often, in the user's words (its English stays as it is); keyed by
# its exact text (libyaml's and PyYAML's own wordings differ).
_PARSER_WORDS = {
    "mapping values are not allowed in this context": N_("mapping values are not allowed in "
                                                         "this context"),
    "mapping values are not allowed here": N_("mapping values are not allowed here"),
    "could not find expected ':'": N_("could not find expected ':'"),
    "did not find expected key": N_("did not find expected key"),
    "did not find expected '-' indicator": N_("did not find expected '-' indicator"),
    "found character that cannot start any token": N_("found character that cannot start any "
                                                      "token"),
    "found unexpected end of stream": N_("found unexpected end of stream"),
    "did not find expected node content": N_("did not find expected node content"),
    "did not find expected ',' or ']'": N_("did not find expected ',' or ']'"),
    "did not find expected ',' or '}'": N_("did not find expected ',' or '}'"),
    "found a tab character that violates indentation": N_("found a tab character that "
                                                          "violates indentation"),
    "found unknown escape character": N_("found unknown escape character"),
    "found undefined alias": N_("found undefined alias"),
    "did not find expected <document start>": N_("did not find expected <document start>"),
    # what a hostile or broken file brings: nesting thousands deep, several documents
    "exceeded maximum nesting depth": N_("nested too deeply"),
    "but found another document": N_("more than one document (a second '---'): a file holds "
                                     "one"),
    "found unexpected ':'": N_("found unexpected ':'"),
    "found unexpected document indicator": N_("found unexpected document indicator"),
    "block sequence entries are not allowed in this context": N_(
        "block sequence entries are not allowed in this context"),
    "found undefined tag handle": N_("found undefined tag handle"),
    "found invalid Unicode character escape code": N_("found invalid Unicode character escape "
                                                      "code"),
}

# the parser's messages that name what it found (a character, an anchor), by a part of them;
# libyaml's words and PyYAML's differ
_PARSER_PARTS = (
    ("alphabetic or numeric character", N_("'*' or '&' begins the name of an alias or anchor "
                                           "here: write the text in quotes")),
    ("hex", N_("an escape in double quotes (\\x, \\u) is not complete: write the text in "
               "single quotes")),  # libyaml's "hexdecimal", PyYAML's "hexadecimal"
    ("chomping or indentation", N_("text follows '|' or '>' on its line: the text goes on "
                                   "the lines below them")),
    ("comment or line break", N_("text follows a value on its line where none may")),
    ("for merging", N_("'<<' merges a mapping here: write it in quotes if it is text")),
    ("second occurrence", N_("an anchor name ('&name') used twice")),
    ("cannot start any token", N_("found character that cannot start any token")),
)


def _parser_said(problem: str) -> str:
    """The parser's English message in the user's words: its own translation, a part of it
    recognised, else, on a screen not in English, that YAML cannot read it here (the English
    detail would be the only English word on a Chinese screen)."""
    from dutyctl.messages import ENGLISH, current_language

    words = _PARSER_WORDS.get(problem) or next(
        (said for part, said in _PARSER_PARTS if part in problem), None)
    if words:
        return gettext(words)
    return problem if current_language() == ENGLISH else t("YAML cannot read it here")


# a key typed with a Chinese input method in full-width mode: `name：李娜` (a full-width colon
# after a half-width one is a value's own punctuation: `note: 原因：停电`)
_WIDE_KEY = re.compile(r"^\s*(?:-\s+)?[^\s:'\"#][^:'\"#]*?\uff1a")
_WIDE_SPACE = re.compile(r"^\s*(?:-\s+)?([^\s:'\"#][^:'\"#]*?):\u3000")
_NO_SPACE = re.compile(r"^\s*(?:-\s+)?([^\W\d][\w-]*):(?=[^\s/:])")


def _typing_slip(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str] | None:
    """(line, what to do) for what a hand editor most often types that YAML cannot read: a
    full-width colon or space (a Chinese input method in full-width mode), a tab in the
    indentation, or no space after a key's colon. The parser stumbles on a later line, so
    the lines from the one before its first mark up to its last are looked at."""
    marks = [mark.line for mark in (exc.context_mark, exc.problem_mark) if mark is not None]
    if not marks:
        return None
    lines = text.splitlines()
    for index in range(max(min(marks) - 1, 0), min(max(marks) + 1, len(lines))):
        line = lines[index]
        indent = line[:len(line) - len(line.lstrip())]
        if "\t" in indent:
            return index + 1, t("a tab in the indentation: YAML indents with spaces only")
        if "\u3000" in indent:
            return index + 1, t("a full-width space in the indentation: YAML indents with "
                                "half-width spaces only (switch the input method to "
                                "half-width)")
        if match := _WIDE_SPACE.match(line):
            return index + 1, t("a full-width space after the colon of '{key}': YAML needs a "
                                "half-width space, 'key: value' (switch the input method to "
                                "half-width)", key=match[1].strip())
        if _WIDE_KEY.match(line):
            return index + 1, t("a full-width colon '：' after the key: YAML needs a half-width "
                                "colon and a space, 'key: value' (switch the input method to "
                                "half-width)")
        if match := _NO_SPACE.match(line):
            return index + 1, t("no space after the colon of '{key}': write '{key}: value'",
                                key=match[1])
        if WIDE_COMMENT.search(line):
            return index + 1, wide_comment()
    return None


class _Dumper(_BaseDumper):
    def ignore_aliases(self, data: Any) -> bool:
        """Never `&id001`/`*id001`: a record file spells out every value (as fastyaml writes
        it), even when one object appears twice in what was written."""
        return True


# Strings with a digit (every time, room like "B-301" and phone) are always quoted, even where
# YAML 1.1 would read them back as text, so a hand editor copying the style stays safe.
_HAS_DIGIT = re.compile(r"[0-9]")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        style = "|"
    else:
        style = "'" if _HAS_DIGIT.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(LineDict, yaml.SafeDumper.represent_dict)
_Dumper.add_representer(LineList, yaml.SafeDumper.represent_list)


def dumps(data: Any) -> str:
    """YAML text with key order kept, Chinese readable and ambiguous strings quoted."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)
