"""docs/architecture.md is a guide a newcomer extends the project from: every piece of code it
names in backticks must exist as named. A module, function, class, method, attribute or
constant (`records.kind_spec`, `desk.shiftdesk.ShiftDesk.plan_clock_out`, `Store.ask`,
`index.VERSION`), the parameters it shows (`ids.new_id(moment, after=)`), a file of the
repository (`tests/test_layers.py`) and a private name (`_whole_writes`): a rename or a
removal that leaves the guide behind fails here, naming the line."""

from __future__ import annotations

import importlib
import inspect
import re
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

from tests.sources import syntax_tree

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "architecture.md"
PACKAGE = ROOT / "dutyctl"

#: dotted words in backticks that are not Python names of dutyctl: placeholders and git's or
#: the workspace's own files (`.dutyctl/sync.lock` is caught by the file-name rule below)
NOT_CODE = {"budgets.NAME", "config.worktree", "user.email"}
#: what a dotted word that names a file ends with
FILE_ENDINGS = (".py", ".yaml", ".yml", ".lock", ".marshal", ".sqlite3", ".md", ".po", ".mo",
                ".toml", ".json", ".csv", ".html", ".ics")

CHAIN = re.compile(r"(?<![\w./-])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?:\(([^()]*)\))?")
PATH = re.compile(r"(?<![\w.])((?:dutyctl|tests|tools|benchmarks|docs|examples)/[\w./-]*)")
PRIVATE = re.compile(r"^_[a-z]\w*$")


def _spans() -> list[tuple[int, str]]:
    """(line number, text) of every backticked span outside fenced blocks."""
    spans, fenced = [], False
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    text = []
    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            fenced = not fenced
            text.append((number, ""))
            continue
        text.append((number, "" if fenced else line))
    # a span may run over a line break: join the lines, remember where each starts
    joined, starts = "", []
    for number, line in text:
        starts.append((len(joined), number))
        joined += line + "\n"
    offsets = [start for start, _ in starts]
    for match in re.finditer(r"`([^`]+)`", joined):
        line = starts[bisect_right(offsets, match.start()) - 1][1]  # the line it starts on
        spans.append((line, " ".join(match.group(1).split())))
    return spans


@lru_cache(maxsize=None)
def _modules() -> dict[str, list[str]]:
    """Every name a module of dutyctl goes by in the guide -> the modules it may be:
    `dutyctl.store.index`, `store.index` and `index` all name dutyctl/store/index.py."""
    names: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        for first in range(len(parts)):
            names.setdefault(".".join(parts[first:]), []).append(".".join(parts))
    return names


@lru_cache(maxsize=None)
def _classes() -> dict[str, list[str]]:
    """Class name -> the modules of dutyctl defining it (`Store.ask` names a class first)."""
    import ast

    found: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for node in _statements(syntax_tree(path).body):
            if isinstance(node, ast.ClassDef):
                found.setdefault(node.name, []).append(module)
    return found


def _statements(body: list):
    """Every statement in `body` and in the blocks inside them, nested functions and classes
    too: where a class can be defined (ast.walk's every expression node besides: most of the
    walk's time)."""
    for node in body:
        yield node
        for block in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(node, block, None)
            if isinstance(inner, list):
                yield from _statements(inner)


@lru_cache(maxsize=None)
def _words() -> frozenset[str]:
    """Every identifier in the code, tests, tools, benchmarks and pyproject.toml."""
    texts = [ROOT.joinpath("pyproject.toml").read_text(encoding="utf-8")]
    for folder in ("dutyctl", "tests", "tools", "benchmarks"):
        texts += [path.read_text(encoding="utf-8") for path in ROOT.joinpath(folder).rglob("*.py")
                  if path.name != Path(__file__).name]  # not this file's examples
    return frozenset(re.findall(r"[A-Za-z_]\w*", "\n".join(texts)))


def _has(owner, name: str) -> bool:
    if hasattr(owner, name):
        return True
    if inspect.isclass(owner):  # a field, or an attribute set on an instance
        for cls in owner.__mro__:
            if name in getattr(cls, "__annotations__", {}):
                return True
            try:
                source = inspect.getsource(cls)
            except (OSError, TypeError):
                continue
            if re.search(rf"\bself\.{name}\s*(:[^=\n]*)?=[^=]", source):
                return True
    return False


def _starts(chain: str) -> list[tuple[object, list[str]]]:
    """The objects the first words of `chain` may name (a module of dutyctl, else a class of
    it), each with the words left to look up in it; [] when it names no code of dutyctl."""
    parts = chain.split(".")
    modules = _modules()
    for cut in range(len(parts), 0, -1):
        if ".".join(parts[:cut]) in modules:
            return [(importlib.import_module(name), parts[cut:])
                    for name in modules[".".join(parts[:cut])]]
    return [(getattr(importlib.import_module(module), parts[0]), parts[1:])
            for module in _classes().get(parts[0], ())]


def _resolve(chain: str):
    """(True, the object) when `chain` names code of dutyctl that exists, (False, None) when
    it names code of dutyctl that does not, (None, None) when it names none."""
    starts = _starts(chain)
    if not starts:
        return None, None
    for found, rest in starts:
        for name in rest:
            if not _has(found, name):
                break
            found = getattr(found, name, None)
        else:
            return True, found
    return False, None


def _parameter_problem(chain: str, found, arguments: str) -> str | None:
    """The parameters `chain(arguments)` shows that `found` does not take."""
    if not callable(found):
        return None
    try:
        signature = inspect.signature(found)
    except (TypeError, ValueError):
        return None
    taken = [name for name in signature.parameters if name not in ("self", "cls")]
    if any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values()):
        return None
    shown = [re.split(r"[=: ]", part.strip())[0].lstrip("*") for part in arguments.split(",")]
    unknown = [name for name in shown if re.fullmatch(r"[A-Za-z_]\w*", name or "")
               and name not in taken]
    if unknown:
        return f"{chain}({arguments}) shows {', '.join(unknown)}; it takes {', '.join(taken)}"
    return None


def _stale() -> list[str]:
    stale = []
    for line, span in _spans():
        for path in PATH.findall(span):
            path = path.rstrip(".*/")
            if not ROOT.joinpath(path).exists():
                stale.append(f"architecture.md:{line}: `{span}`: no file {path}")
        if PRIVATE.match(span) and span not in _words():
            stale.append(f"architecture.md:{line}: `{span}`: no such name in the code")
        for match in CHAIN.finditer(PATH.sub(" ", span)):
            chain, arguments = match.groups()
            if chain in NOT_CODE or chain.endswith(FILE_ENDINGS):
                continue
            chain = chain.removeprefix("dutyctl.")
            exists, found = _resolve(chain)
            if exists is False:
                stale.append(f"architecture.md:{line}: `{span}`: {chain} does not exist")
            elif exists and arguments is not None:
                problem = _parameter_problem(chain, found, arguments)
                if problem:
                    stale.append(f"architecture.md:{line}: {problem}")
    return stale


def test_every_code_reference_in_the_guide_exists():
    assert _stale() == []


def test_the_check_sees_a_stale_reference(monkeypatch, tmp_path):
    """The check itself: a renamed function, a wrong parameter, a missing file and a missing
    private name in the guide are each reported."""
    guide = tmp_path / "architecture.md"
    guide.write_text("`records.kind_spec(name)` `records.no_such_function` "
                     "`ids.new_id(at, after=)` `tests/test_no_such_file.py` `_no_such_helper`\n"
                     "`Store.ask` `Store.no_such_method` `.dutyctl/sync.lock` `os._exit`\n",
                     encoding="utf-8")
    monkeypatch.setitem(globals(), "GUIDE", guide)
    found = "\n".join(_stale())
    assert "records.no_such_function does not exist" in found
    assert "ids.new_id(at, after=) shows at" in found
    assert "no file tests/test_no_such_file.py" in found
    assert "`_no_such_helper`: no such name" in found
    assert "Store.no_such_method does not exist" in found
    assert "kind_spec" not in found and "Store.ask`" not in found
    assert "sync.lock" not in found and "os._exit" not in found



def test_the_packages_the_guide_says_place_their_modules_are_those_the_layer_test_places():
    """"A package named there places every module in it: ...": exactly the packages of LAYERS
    whose modules take its layer; the two it names apart (dutyctl, dutyctl.store) place none."""
    from tests.test_layers import LAYERS, layer_of

    text = " ".join(GUIDE.read_text(encoding="utf-8").split())
    said = text.split("A package named there places every module in it: ", 1)[1]
    placing, apart = said.split(" are named for their `__init__` alone", 1)[0].split(". ", 1)
    listed, left_out = (set(re.findall(r"`(dutyctl(?:\.\w+)?)`", part))
                        for part in (placing, apart))
    packages = {name for names in LAYERS.values() for name in names
                if (PACKAGE.parent / name.replace(".", "/") / "__init__.py").exists()}

    def places(package: str) -> bool:
        try:
            layer_of(f"{package}.no_such_module")
        except AssertionError:
            return False
        return True

    assert left_out == {name for name in packages if not places(name)} != set()
    assert listed == {name for name in packages if places(name)}


def test_the_worked_example_of_a_new_kind_takes_chinese_words_no_one_uses():
    """The guide's new kind must not take a word the program already reads as something else
    (访客 is the duty log's visitor entry: `log visitor`, 来访/访客)."""
    from dutyctl.commandwords import TOP
    from dutyctl.words import ENTRY_TYPED

    text = " ".join(GUIDE.read_text(encoding="utf-8").split())
    (top,) = re.findall(r"`commandwords\.TOP` \(`\"(\w+)\":", text)
    (kind,) = re.findall(r"its kind word (\w+)", text)
    taken = {word for words in ENTRY_TYPED.values() for word in words} | set(TOP)
    assert top not in taken and kind not in taken and kind[:2] not in taken
