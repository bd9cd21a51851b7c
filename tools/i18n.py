"""Message catalogues: extract, update, compile, check (developers only; needs Babel).

    python tools/i18n.py update            # extract from dutyctl/, merge into each .po, compile
    python tools/i18n.py compile           # .po -> .mo
    python tools/i18n.py check             # untranslated, fuzzy, placeholder mismatches (exit 1)
    python tools/i18n.py todo [PATTERN]    # untranslated msgids (only those from files matching)
    python tools/i18n.py resolve-conflict [REV...]  # union the translations of a merge's sides

Messages are: the first argument of `t()`, `N_()` and `gettext()`, the two of `tn()`, the
second of `tp()` and `NP_()` (with the first as context), every
`help="..."` literal and the docstring of every command function in `dutyctl/cli/` (cleaned as
Click shows it). The English text is the msgid; no variable may stand in its place.
"""

from __future__ import annotations

import ast
import inspect
import io
import string
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dutyctl"
LOCALE = PACKAGE / "locale"
DOMAIN = "dutyctl"
LANGUAGES = ("zh_CN",)
SINGLE = {"t", "N_", "gettext"}
PLURAL = {"tn"}
CONTEXT = {"tp", "NP_"}


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _command_functions(tree: ast.Module) -> set[str]:
    """Functions registered as commands: `@x.command(...)`, `@x.callback(...)`, or
    `app.command("name")(function)`."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and _name(decorator.func) in ("command",
                                                                               "callback"):
                    names.add(node.name)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Call)
                and _name(node.func.func) == "command" and node.args
                and isinstance(node.args[0], ast.Name)):
            names.add(node.args[0].id)
    return names


def syntax_tree(path: Path) -> ast.Module:
    """One source file's syntax tree (the tests hand the tool trees they parsed already)."""
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def extract_file(path: Path) -> list[tuple]:
    """(line, msgid or (singular, plural)[, context]) for every message in one source file."""
    tree = syntax_tree(path)
    in_cli = "cli" in path.relative_to(PACKAGE).parts
    found: list[tuple[int, str | tuple[str, str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in SINGLE and node.args and _text(node.args[0]) is not None:
                found.append((node.lineno, _text(node.args[0])))
            elif name in CONTEXT and len(node.args) >= 2 and _text(node.args[1]) is not None:
                found.append((node.lineno, _text(node.args[1]), _text(node.args[0])))
            elif name in PLURAL and len(node.args) >= 2 and _text(node.args[0]) is not None:
                found.append((node.lineno, (_text(node.args[0]), _text(node.args[1]))))
            if in_cli:
                for keyword in node.keywords:
                    if keyword.arg == "help" and _text(keyword.value):
                        found.append((keyword.value.lineno, _text(keyword.value)))
    if in_cli:
        commands = _command_functions(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in commands:
                doc = ast.get_docstring(node, clean=False)
                if doc:
                    found.append((node.lineno, inspect.cleandoc(doc)))
    return found


def variable_msgids(path: Path) -> list[int]:
    """Lines where t()/tn() is given something other than a literal (a finding for the test)."""
    tree = syntax_tree(path)
    lines = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and _name(node.func) in ("t", "tn")
                and isinstance(node.func, ast.Name) and node.args
                and _text(node.args[0]) is None):  # tp's context is a literal too: checked below
            lines.append(node.lineno)
    return lines


def sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "locale" not in p.parts)


def extract() -> Catalog:
    catalog = Catalog(project="dutyctl", fuzzy=False)
    for path in sources():
        relative = path.relative_to(ROOT).as_posix()
        for line, message, *context in extract_file(path):
            catalog.add(message, locations=[(relative, line)], context=(context or [None])[0])
    return catalog


def load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def save(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.fuzzy = False
    catalog.last_translator = "dutyctl developers"
    catalog.language_team = "dutyctl developers"
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False, omit_header=False,
             ignore_obsolete=True)
    path.write_bytes(buffer.getvalue())


def update() -> None:
    template = extract()
    for language in LANGUAGES:
        path = po_path(language)
        catalog = load(path, language) if path.exists() else Catalog(locale=language,
                                                                     project="dutyctl")
        created = catalog.creation_date  # kept: a date that changes on every run would conflict
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.creation_date = created
        catalog.obsolete.clear()
        save(catalog, path)
    compile_all()


def compile_all() -> None:
    for language in LANGUAGES:
        catalog = load(po_path(language), language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        po_path(language).with_suffix(".mo").write_bytes(buffer.getvalue())


def fields(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def findings(language: str) -> list[str]:
    """What is wrong with one catalogue: untranslated, fuzzy, placeholders that differ."""
    problems = []
    for message in load(po_path(language), language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        where = message.locations[0] if message.locations else ("?", 0)
        label = f"{where[0]}:{where[1]}: {ids[0]!r}"
        if message.fuzzy:
            problems.append(f"{label}: fuzzy")
        if not all(strs):
            problems.append(f"{label}: untranslated")
            continue
        expected = fields(ids[-1]) | ({"count"} if len(ids) > 1 else set())
        for text in strs:
            got = fields(text)
            if got != fields(ids[0]) and got != expected:
                problems.append(f"{label}: placeholders {sorted(got)} differ from "
                                f"{sorted(fields(ids[0]))}")
    return problems


def todo(pattern: str | None) -> None:
    for message in load(po_path(LANGUAGES[0]), LANGUAGES[0]):
        if not message.id or all(message.string if isinstance(message.string, tuple)
                                 else (message.string,)):
            continue
        files = [file for file, _ in message.locations]
        if pattern and not any(pattern in file for file in files):
            continue
        print(f"{files[0] if files else '?'}\t{message.id!r}")


def _translations_at(revision: str, relative: str, language: str) -> dict | None:
    """(msgid, context) → msgstr of the catalogue at a git revision or merge stage (`:2`)."""
    shown = subprocess.run(["git", "show", f"{revision}:{relative}"], cwd=ROOT,
                           capture_output=True)
    if shown.returncode != 0:
        return None
    return _translations(shown.stdout, language)


def _translations(data: bytes, language: str) -> dict:
    try:
        catalog = read_po(io.BytesIO(data), locale=language)
    except Exception:  # noqa: BLE001 - an unreadable version adds nothing
        return {}
    return {(m.id, m.context): m.string for m in catalog
            if m.id and m.string and not m.fuzzy}


def merge_translations(base: dict, ours: dict, theirs: dict) -> dict:
    """Every translation of both sides; where both differ, the one changed since the base."""
    merged = {}
    for key in ours.keys() | theirs.keys():
        mine, other = ours.get(key), theirs.get(key)
        changed_by_them = other is not None and mine == base.get(key)
        merged[key] = other if changed_by_them or mine is None else mine
    return merged


def resolve_conflict(revisions: tuple[str, ...] = ()) -> None:
    """A merge touched the catalogue: keep every translation of both sides, and where both
    have one that differs, the side that changed it since the merge base (a corrected
    translation is not undone by a branch that still has the old one). With `revisions`,
    the union of those versions (the first wins). Then re-extract and recompile."""
    for language in LANGUAGES:
        path = po_path(language)
        relative = path.relative_to(ROOT).as_posix()
        if revisions:
            versions = [_translations_at(revision, relative, language) or {}
                        for revision in revisions]
            merged: dict = {}
            for version in reversed(versions):
                merged.update(version)
        else:
            ours, theirs = (_translations_at(stage, relative, language) for stage in (":2", ":3"))
            if ours is None and theirs is None:  # git merged the text itself: take its result
                merged = _translations(path.read_bytes(), language)
            else:
                base = _translations_at(":1", relative, language) or {}
                merged = merge_translations(base, ours or {}, theirs or {})
        catalog = Catalog(locale=language, project="dutyctl")
        for (msgid, context), msgstr in merged.items():
            catalog.add(msgid, msgstr, context=context)
        save(catalog, path)
    update()
    for language in LANGUAGES:
        subprocess.run(["git", "add", str(po_path(language)),
                        str(po_path(language).with_suffix(".mo"))], cwd=ROOT, check=True)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "update"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        problems = [p for language in LANGUAGES for p in findings(language)]
        print("\n".join(problems) or "all messages translated")
        return 1 if problems else 0
    elif command == "todo":
        todo(argv[1] if len(argv) > 1 else None)
    elif command == "resolve-conflict":
        resolve_conflict(tuple(argv[1:]))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
