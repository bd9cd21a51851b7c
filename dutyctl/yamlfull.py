"""PyYAML behind dutyctl's YAML: the loader that keeps line numbers and refuses duplicate keys
and alias bombs, and the dumper that quotes what would be misread. Imported only when a file
is outside the subset dutyctl.store.fastyaml reads and writes itself (PyYAML's import alone costs a
command about 10 ms): callers go through dutyctl.store.yamlio (and dutyctl.store.fastyaml).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from dutyctl.messages import t
from dutyctl.yamlnodes import MAX_ALIAS_NODES, MAX_NODES, LineDict, LineList

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Said(yaml.MarkedYAMLError):
    """A problem dutyctl put in words itself (the parser's own are in English)."""


class _DuplicateKey(_Said):
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
            raise _Said(None, None, t("cannot read {value!r}: {reason}", value=node.value,
                                      reason=exc), node.start_mark) from None


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


def parse(text: str, path) -> Any:
    """The document in `text`; every failure is an InputError located at path:line."""
    from dutyctl.errors import InputError

    loader = _Loader(text)
    loader.may_alias = "*" in text  # no alias without a '*': spare big plain files the walk
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or ""
        if not isinstance(exc, _Said):  # the parser's own English, said as such
            problem = t("not valid YAML: {problem}", problem=problem)
        raise InputError(problem, path=path, line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise InputError(t("not valid YAML: {problem}", problem=str(exc)), path=path) from None
    finally:
        loader.dispose()


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
