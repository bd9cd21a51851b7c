"""The structure of the package: layers without cycles, and core errors that speak of values,
not of command-line flags.

The layers, bottom first (docs/architecture.md draws them). A module may import its own layer
and those below, never one above; and no chain of imports may come back to where it started.
Every import counts, at module level and inside functions alike: a lazy import is still a
dependency, only a cheaper one at startup.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

import pytest

from dutyctl.errors import InputError
from dutyctl.schema import require_text
from tests.sources import syntax_tree

PACKAGE = Path(__file__).resolve().parent.parent / "dutyctl"

#: layer -> the modules in it (a name stands for itself and every module below it)
LAYERS = {
    "foundation": ("dutyctl", "dutyctl.errors", "dutyctl.messages", "dutyctl.folding",
                   "dutyctl.textwidth", "dutyctl.safetext",
                   "dutyctl.words",
                   "dutyctl.timeutil", "dutyctl.lunardays", "dutyctl.store", "dutyctl.store.ids",
                   "dutyctl.store.storage", "dutyctl.store.yamlio", "dutyctl.store.fastyaml",
                   "dutyctl.store.plainfile", "dutyctl.store.verdicts",
                   "dutyctl.store.githead",
                   "dutyctl.gitsync", "dutyctl.schema", "dutyctl.output", "dutyctl.xlsx",
                   "dutyctl.choices", "dutyctl.sounds", "dutyctl.rooms", "dutyctl.commands", "dutyctl.commandwords",
                   "dutyctl.recurrence", "dutyctl.rulesfile", "dutyctl.ruleids", "dutyctl.ruleskeys",
                   "dutyctl.configkeys",
                   "dutyctl.notices", "dutyctl.yamlnodes", "dutyctl.yamlfull",
                   "dutyctl.yamlcache", "dutyctl.completiontable", "dutyctl.frozen",
                   "dutyctl.caches", "dutyctl.patterns"),
    "records": ("dutyctl.records", "dutyctl.recordtext", "dutyctl.kinds", "dutyctl.residents",
                "dutyctl.store.recordstore", "dutyctl.store.index", "dutyctl.queries",
                "dutyctl.views", "dutyctl.config", "dutyctl.workspace", "dutyctl.people",
                "dutyctl.names", "dutyctl.sitecalendar",
                # the `notify:` section of dutyctl.yaml, parsed with the rest of the config
                "dutyctl.notify.settings"),
    "areas": ("dutyctl.roster", "dutyctl.desk", "dutyctl.tickets", "dutyctl.reports",
              "dutyctl.notify", "dutyctl.check", "dutyctl.sync", "dutyctl.callers", "dutyctl.erasure",
              "dutyctl.lookups"),
    "cli": ("dutyctl.cli", "dutyctl.launcher", "dutyctl.__main__"),
}
ORDER = list(LAYERS)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def layer_of(module: str) -> str:
    """The layer of the longest name in LAYERS that is the module or a package holding it."""
    owners = [(len(name), layer) for layer, names in LAYERS.items() for name in names
              if module == name or (module.startswith(name + ".")
                                    and name not in ("dutyctl", "dutyctl.store"))]
    if not owners:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS in {__file__}")
    return max(owners)[1]


def imports_of(module: str, path: Path) -> set[str]:
    """The package's modules `module` imports, anywhere in the file (`from dutyctl.x import
    y` counts as dutyctl.x.y when that is a module, else as dutyctl.x)."""
    found = set()
    for node in ast.walk(syntax_tree(path)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")[:len(module.split(".")) - node.level
                                              + (path.name == "__init__.py")]
                base = ".".join(package + ([base] if base else []))
            found.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                         for alias in node.names)
    return {name for name in found if name in MODULES and name != module}


@lru_cache(maxsize=None)
def import_graph() -> dict[str, set[str]]:
    """{module: the package's modules it imports}, made when a test first asks (not while
    every pytest-xdist worker collects the tests)."""
    return {module: imports_of(module, path) for module, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_every_module_is_in_a_layer_and_imports_none_above_it():
    upward = [f"{module} ({layer_of(module)}) imports {imported} ({layer_of(imported)})"
              for module, imported_ones in sorted(import_graph().items())
              for imported in sorted(imported_ones)
              if ORDER.index(layer_of(imported)) > ORDER.index(layer_of(module))]
    assert upward == []


def test_no_import_cycle():
    assert cycles(import_graph()) == []


def test_the_checks_catch_a_cycle_and_an_upward_import():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert imports_of("dutyctl.queries", MODULES["dutyctl.queries"]) >= {"dutyctl.records"}
    # a function-level import counts
    assert "dutyctl.roster.onduty" in import_graph()["dutyctl.desk.rostered"]
    assert ORDER.index(layer_of("dutyctl.roster.onduty")) > ORDER.index(layer_of("dutyctl.people"))


def test_only_the_cli_imports_typer():
    typed = [module for module, path in MODULES.items() if layer_of(module) != "cli"
             and any(name == "typer" or name.startswith("typer.")
                     for node in ast.walk(syntax_tree(path))
                     for name in _imported_names(node))]
    assert typed == []


def private_names_taken(path: Path) -> list[str]:
    """`from dutyctl.x import _name`: a private name of another module (give it a public home
    in the core instead: a CLI module calls the core, not another CLI module's helper)."""
    return [f"{node.module}.{alias.name}" for node in ast.walk(syntax_tree(path))
            if isinstance(node, ast.ImportFrom) and not node.level
            and (node.module or "").startswith("dutyctl")
            for alias in node.names
            if alias.name.startswith("_") and not alias.name.endswith("__")]


def test_no_module_takes_a_private_name_of_another():
    taken = {module: names for module, path in MODULES.items()
             if (names := private_names_taken(path))}
    assert taken == {}


def _imported_names(node) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and not node.level:
        return [node.module or ""]
    return []
MESSAGE_CALLS = {"t", "tn", "tp"}
FLAG = re.compile(r"(?<![\w-])--[a-z]")
#: A message may quote another command to run (`dutyctl settle ID --event E`, `git pull
#: --no-rebase`): that is a recipe, not a flag of the command that failed.
RECIPE = re.compile(r"\b(dutyctl|git) [a-z{]")  # {command}: commandwords.said


def _core_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "cli" not in path.relative_to(PACKAGE).parts[:1]:
            yield path


def _messages(tree):
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in MESSAGE_CALLS):
            for argument in node.args:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    yield node.lineno, argument.value


def test_core_messages_name_no_command_line_flag():
    flagged = [f"{path.relative_to(PACKAGE.parent)}:{line}: {text!r}"
               for path in _core_modules()
               for line, text in _messages(syntax_tree(path))
               if FLAG.search(text) and not RECIPE.search(text)]
    assert flagged == []


def test_a_core_error_names_the_value_and_the_cli_names_its_option(cli):
    with pytest.raises(InputError) as caught:
        require_text("  ", "told_resident")
    assert str(caught.value) == "told-resident must not be empty"
    named = caught.value.naming(lambda value: f"<{value}>")
    assert str(named) == "<told_resident> must not be empty"

    emergency = cli("emergency", "open", "--type", "elevator-entrapment", "--where", "3号楼电梯",
                    "--at", "2026-10-10 02:00").stdout.splitlines()[0]
    argument = cli("emergency", "log", emergency, " ", "--at", "2026-10-10 02:03")
    assert argument.exit_code == 2 and argument.stderr.strip() == "CONTENT must not be empty"
    option = cli("emergency", "close", emergency, "--summary", " ", "--at", "2026-10-10 02:30")
    assert option.exit_code == 2 and option.stderr.strip() == "--summary must not be empty"
    repair = cli("repair", "file", "--name", "张三", "--room", "3-2-501", "--phone",
                 "13812345678", "--content", "漏水", "--at",
                 "2026-10-10 09:00").stdout.splitlines()[0]
    eta = cli("repair", "eta", repair, "--by", "2026-10-10 08:00", "--at", "2026-10-10 09:30")
    assert eta.exit_code == 2 and eta.stderr.startswith("--by 2026-10-10 08:00")  # value `eta`


def test_no_source_line_ends_in_whitespace():
    """A line of spaces (an indented blank line) or a trailing blank is noise in every diff."""
    found = [f"{path.relative_to(PACKAGE)}:{number}" for path in sorted(PACKAGE.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if line != line.rstrip()]
    assert found == []
