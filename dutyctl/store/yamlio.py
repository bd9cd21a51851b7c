"""YAML in and out, with line numbers kept and the YAML 1.1 traps turned into errors.

Loading returns `LineDict` / `LineList`: plain dicts and lists that also remember the line of
each key or item, so validation can say `path:line: what is wrong`. Duplicate keys and git
conflict markers are errors. Dumping keeps key order, writes Chinese as is and quotes any
string that would otherwise be read back as another type (times, rooms, phone numbers).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from dutyctl.errors import InputError
from dutyctl.messages import t

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

CONFLICT_MARKERS = ("<<<<<<< ", "=======", ">>>>>>> ", "||||||| ")

# Any file may have come from another desk through git: these bound what one file can cost.
# A year-long roster is about 0.5 MB and a record a few kB.
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_NODES = 1_000_000  # scalars, lists and mappings in one file, written out
MAX_ALIAS_NODES = 10_000  # of those, reached through aliases (&anchor ... *anchor)


class MissingFile(InputError):
    """The file to read does not exist: for callers to whom that is a state, not a mistake."""


class LineDict(dict):
    """A mapping that knows its own line and the line of each value."""

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    """A sequence that knows its own line and the line of each item."""

    line: int = 0

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _Loader(_BaseLoader):
    may_alias = True

    def get_single_data(self):
        # libyaml composes the node graph, where an alias is the same node again: measure it
        # written out before constructing anything, so an alias bomb costs nothing
        node = self.get_single_node()
        if node is None:
            return None
        if self.may_alias:
            _check_size(node)
        return self.construct_document(node)

    def construct_object(self, node, deep=False):
        # PyYAML's own constructors raise bare ValueError for an unquoted impossible date
        # (2026-02-30) or `!!int abc`: give it the node's line like every other YAML error
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, t("cannot read {value!r}: {reason}", value=node.value, reason=exc),
                node.start_mark) from None


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
        data[key] = loader.construct_object(value_node, deep=True)
        data.lines[key] = value_node.start_mark.line + 1


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode):
    data = LineList()
    data.line = node.start_mark.line + 1
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.lines.append(item.start_mark.line + 1)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


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


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    if isinstance(node, yaml.SequenceNode):
        return node.value
    return []


def find_conflict_marker(text: str) -> int | None:
    """The 1-based line of the first git conflict marker in `text`, if any."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(CONFLICT_MARKERS) or line == "=======":
            return number
    return None


def loads(text: str, path: str | Path = "<text>") -> Any:
    """Parse YAML text; every failure is an InputError located at path:line."""
    marker = find_conflict_marker(text)
    if marker:
        raise InputError(t("git conflict marker: resolve the merge first"), path=path, line=marker)
    loader = _Loader(text)
    loader.may_alias = "*" in text  # no alias without a '*': spare big plain files the walk
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(problem, path=path, line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise InputError(str(exc), path=path) from None
    finally:
        loader.dispose()


def read_bytes(path: Path, label: str | Path | None = None,
               limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is an InputError.

    A symlink (git carries them: one to /dev/zero would fill the memory), a FIFO (would block
    for ever) or a device is refused without being opened."""
    where = label or path
    try:
        kind = os.lstat(path).st_mode
        if stat.S_ISREG(kind):
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
            try:  # plain os calls: years of history are read file by file
                info = os.fstat(fd)  # the file may have been swapped since lstat
                kind = info.st_mode
                data = _read_all(fd, info.st_size, limit) if stat.S_ISREG(kind) else b""
            finally:
                os.close(fd)
    except FileNotFoundError:
        raise MissingFile(t("no such file"), path=where) from None
    except OSError as exc:  # no permission to read, a symlink swapped in since lstat ...
        raise InputError(t("cannot read: {reason}", reason=exc.strerror), path=where) from None
    if not stat.S_ISREG(kind):
        raise InputError(not_a_file(kind), path=where)
    if len(data) > limit:
        raise InputError(t("larger than {limit} MB: refused", limit=limit // (1024 * 1024)),
                         path=where)
    return data


def _read_all(fd: int, expected: int, limit: int) -> bytes:
    """The bytes up to end of file, at most limit + 1 (one read of the expected size, one to
    see the end)."""
    chunks, size, wanted = [], 0, expected + 1
    while size <= limit:
        chunk = os.read(fd, min(wanted, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if len(chunk) < wanted and size <= expected:
            break  # a short read of a regular file within its size: its end, without a call
        wanted = 65536
    return b"".join(chunks)


def not_a_file(mode: int) -> str:
    """Why a path of this st_mode is not read (`check` says the same)."""
    if stat.S_ISLNK(mode):
        return t("a symbolic link: dutyctl follows no links in a workspace (put the real file or "
                 "folder here)")
    if stat.S_ISDIR(mode):
        return t("cannot read: {reason}", reason=os.strerror(21))  # Is a directory
    return t("not a plain file (a device, FIFO or socket): refused")


def decode(data: bytes, where: str | Path) -> str:
    """UTF-8 text; a bad byte is reported at its line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(t("not UTF-8 text ({reason})", reason=exc.reason), path=where,
                         line=data.count(b"\n", 0, exc.start) + 1) from None


def read_text(path: Path, label: str | Path | None = None) -> str:
    """The UTF-8 text of a regular file within the size cap (see read_bytes)."""
    return decode(read_bytes(path, label), label or path)


def load(path: Path, label: str | None = None) -> Any:
    """Parse a YAML file; errors name it as `label` (a workspace-relative path) if given."""
    where = label or path
    return loads(read_text(path, where), where)


class _Dumper(_BaseDumper):
    pass


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
