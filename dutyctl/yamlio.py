"""YAML in and out, with line numbers kept and the YAML 1.1 traps turned into errors.

Loading returns `LineDict` / `LineList`: plain dicts and lists that also remember the line of
each key or item, so validation can say `path:line: what is wrong`. Duplicate keys and git
conflict markers are errors. Dumping keeps key order, writes Chinese as is and quotes any
string that would otherwise be read back as another type (times, rooms, phone numbers).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from dutyctl.errors import InputError
from dutyctl.messages import t

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

CONFLICT_MARKERS = ("<<<<<<< ", "=======", ">>>>>>> ", "||||||| ")


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
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(problem, path=path, line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise InputError(str(exc), path=path) from None


def load(path: Path, label: str | None = None) -> Any:
    """Parse a YAML file; errors name it as `label` (a workspace-relative path) if given."""
    return loads(read_text(path, label), label or path)


def read_text(path: Path, label: str | None = None) -> str:
    """A YAML file's text; errors name it as `label` if given."""
    where = label or path
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(t("no such file"), path=where) from None
    except UnicodeDecodeError as exc:
        raise InputError(t("not UTF-8 text ({reason})", reason=exc.reason), path=where) from None
    except OSError as exc:  # a folder where a file should be, no permission to read ...
        raise InputError(t("cannot read: {reason}", reason=exc.strerror), path=where) from None


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
