"""Finding and creating workspaces: a folder holding dutyctl.yaml, rosters/ and records/."""

from __future__ import annotations

import os
import re
import stat
from datetime import time, timedelta
from functools import cached_property
from pathlib import Path

from dutyctl import timeutil
from dutyctl.config import CONFIG_FILE, DEFAULT_TIMEZONE, SiteConfig, usable_config
from dutyctl.errors import DutyError, EnvironmentFailure, InputError, os_reason
from dutyctl.folding import not_decoded
from dutyctl.frozen import frozen
from dutyctl.messages import t

# template file in the package -> path in a new workspace
TEMPLATES = {
    "dutyctl.yaml": "dutyctl.yaml",
    "rosters/rules.yaml": "rosters/rules.yaml",
    "gitignore": ".gitignore",
}
#: language -> the folder of templates/ holding its own copies of the files a supervisor
#: edits (keys and ids in that language); the files it lacks come from templates/ itself
TEMPLATE_LANGUAGES = {"zh_CN": "zh_CN"}


@frozen
class Workspace:
    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def records_dir(self) -> Path:
        return self.root / "records"

    @property
    def rosters_dir(self) -> Path:
        return self.root / "rosters"

    @property
    def state_dir(self) -> Path:
        """Git-ignored: locks and caches, never shared between desks."""
        return self.root / ".dutyctl"

    def owns(self, path: Path) -> bool:
        """`path` is one of the workspace's own files: its settings, or anything in its
        records, rosters, state or git folders (an --output FILE there would overwrite them)."""
        where = Path(os.path.realpath(path))
        root = Path(os.path.realpath(self.root))
        if where == root / CONFIG_FILE:
            return True
        mine = [root / name for name in
                (self.records_dir.name, self.rosters_dir.name, self.state_dir.name, ".git")]
        return any(where == folder or folder in where.parents for folder in mine)

    @cached_property
    def config(self) -> SiteConfig:
        """dutyctl.yaml as a SiteConfig; ProblemsFound listing every problem when it is
        refused (config.usable_config), from parsed_config: read and parsed once."""
        return usable_config(*self.parsed_config(), self.relative(self.config_path))

    def parsed_config(self) -> tuple[SiteConfig | None, list]:
        """config.parse_config of config_yaml, once for every reader of this command (`config`,
        config_despite_problems, `check`): a refused file is not read and parsed again at
        each. Raises as config_yaml does for a file YAML cannot read."""
        from dutyctl.config import parse_config  # looked up when called: tests count it

        parsed = self.__dict__.get("_parsed_config")
        if parsed is None:
            parsed = parse_config(self.config_yaml(), self.relative(self.config_path))
            self.__dict__["_parsed_config"] = parsed
        return parsed

    def config_yaml(self):
        """dutyctl.yaml as YAML loads it (through its parsed copy: dutyctl.yamlcache), for
        every reader of this command (`config`, `check`, the roles' names of a file otherwise
        unusable), read once: what it loads as, or the `path:line:` error it gives, is the same
        at each (`check` of a broken file parsed it six times)."""
        from dutyctl.yamlcache import load_cached

        self._said_unreadable()
        if "_config_data" not in self.__dict__:
            try:
                self.__dict__["_config_data"] = load_cached(
                    self.config_path, self.relative(self.config_path), self.cache_dir)
            except DutyError as exc:
                self.__dict__["_config_unreadable"] = exc
                raise
        return self.__dict__["_config_data"]

    def _said_unreadable(self) -> None:
        """Raise again the error dutyctl.yaml gave when YAML could not read it, if it did, for
        as long as this object lives (a command's: a sync makes new ones after a merge)."""
        failed = self.__dict__.get("_config_unreadable")
        if failed is not None:
            raise failed.with_traceback(None)  # not a frame longer at every reader

    def config_role_names(self):
        """The roles' names of a dutyctl.yaml that is not usable as a whole (config.role_names);
        None when it cannot be read at all."""
        from dutyctl.config import role_names

        try:
            return role_names(self.config_yaml(), str(self.config_path))
        except DutyError:
            return None

    def config_despite_problems(self) -> SiteConfig:
        """The config for a command that only reads (`who`, reports, `attendance`, `roster
        show`): a section of dutyctl.yaml with a wrong value (`targets`, `attendance`,
        `privacy`...) is left out and its defaults apply, said once on stderr (the first
        problem, and how many more), instead of refusing. Refused as for every command: a file
        YAML cannot parse, a problem in a section that has no default (`site`, `roles`,
        `departments`, `categories`) or outside any section. Call it before anything reads
        `config`."""
        if "config" in self.__dict__:
            return self.config
        from dutyctl import notices
        from dutyctl.config import parse_config
        from dutyctl.errors import ProblemsFound, first_problem

        label = self.relative(self.config_path)
        data = self.config_yaml()
        config, problems = self.parsed_config()
        if config is not None and not problems:
            return self.config
        if config is None or not isinstance(data, dict):
            return self.config  # refused as ever
        said = getattr(data, "said", {})  # 考勤 for attendance: its problems say 考勤.
        typed = {key: said.get(key, key) for key in data if isinstance(key, str)}
        broken: set = set()
        found = problems
        # a section left out may leave another wrong (`urgency` gone: a recurring job's
        # urgency has no default then): that one is left out too, while each problem is
        # inside a section
        while found:
            sections = _sections_of(found, typed)
            if sections is None or sections <= broken:
                return self.config  # a problem outside any section: refused
            broken |= sections
            rest = type(data)((key, value) for key, value in data.items() if key not in broken)
            config, found = parse_config(rest, label)
            if config is None:
                return self.config  # a section without a default: refused
        notices.warn(t("{file}: {sections} not used, their defaults apply: {reason}",
                       file=label, sections=t(", ").join(sorted(typed[key] for key in broken)),
                       reason=first_problem(ProblemsFound(problems))))
        self.__dict__["config"] = config  # what `config` gives from now on, in this command
        return config

    @cached_property
    def store(self):
        from dutyctl.store import githead
        from dutyctl.store.recordstore import Store

        # the repository's top: the workspace, or a folder above it (a bigger repository)
        git_root = githead.top(self.root)
        # a file where the state folder belongs (committed by another desk): no index, the
        # records read from their files; what must lock says so, and `check` names the file
        return Store(self.records_dir, self.config.tz, self.config, self.cache_dir, git_root)

    def state_usable(self) -> bool:
        """Whether `.dutyctl` is a folder of this workspace, or not there yet: a file or a
        symbolic link (dangling, or to a folder elsewhere) that came through git is not
        (`storage.state_refusal`, the one rule; a lock says which file is in the way)."""
        from dutyctl.store.storage import state_refusal

        return state_refusal(self.state_dir / "parsed") is None

    @property
    def cache_dir(self) -> Path | None:
        """The state folder as the caches get it (parsed files, the git identity, the record
        index): None when it is no folder of this workspace (`state_usable`), so nothing is
        kept and everything is read from its source. Locks take `state_dir` itself, to refuse
        clearly."""
        return self.state_dir if self.state_usable() else None

    def relative(self, path: Path | str) -> str:
        """The path from the workspace root; a symbolic link is named, not where it points."""
        text, base = os.fspath(path), f"{self.root}{os.sep}"
        if text.startswith(base):  # the common case, without pathlib (check names every file)
            return text[len(base):]
        path = Path(path)
        if not path.is_absolute():
            return text  # already relative to the workspace (a record's events keep it so)
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            pass
        try:  # resolved only when needed: check names hundreds of thousands of files
            return str((path.parent.resolve() / path.name).relative_to(self.root.resolve()))
        except ValueError:
            return str(path)


#: what Windows, macOS and editors leave beside a file edited or copied: never to commit
#: (`git add` of `rules - 副本.yaml` would give every desk a second rules file)
SYSTEM_FILES = ("thumbs.db", "desktop.ini", ".ds_store")
BACKUP_MARKS = (" - 副本", " - copy", ".bak", "~", ".orig", ".swp")


def left_by_the_computer(name: str) -> bool:
    """A system file or a backup copy (`rules - 副本.yaml`, `2026-12.yaml.bak`, `x~`)."""
    base = name.rsplit("/", 1)[-1].lower()
    return base in SYSTEM_FILES or any(mark in base for mark in BACKUP_MARKS)


def find_workspace(explicit: str | None = None, cwd: Path | None = None) -> Workspace:
    """--root, else $DUTYCTL_ROOT, else the nearest folder upwards holding dutyctl.yaml."""
    chosen = explicit or os.environ.get("DUTYCTL_ROOT")
    if chosen and not explicit and not_decoded(chosen):
        # a folder named in another encoding (GBK, on a Samba share): no file can be named
        raise InputError(t("DUTYCTL_ROOT is not UTF-8 text (a folder named in another "
                           "encoding, such as GBK): rename the folder, or change into it and "
                           "run dutyctl there"))
    if chosen:
        root = Path(chosen).expanduser()
        if root.is_file():  # --root …/dutyctl.yaml: the file, not its folder
            raise InputError(_from_root_variable(t(
                "is a file: give the folder that holds it ({folder})", folder=root.parent),
                explicit), path=root)
        if not _marks_workspace(root):
            # a folder that is not there is said so, not "no dutyctl.yaml in it"; one the
            # environment named says so (it was typed nowhere on the command line)
            why = (t("not a dutyctl workspace (no {file} in it)", file=CONFIG_FILE)
                   if os.path.lexists(root) else t("no such folder"))
            raise InputError(_from_root_variable(why, explicit), path=root)
        return Workspace(root.resolve())
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _marks_workspace(folder):
            return Workspace(folder)
        if (folder / CONFIG_FILE).is_dir() and not (folder / CONFIG_FILE).is_symlink():
            # a workspace whose settings git turned into a folder (another desk committed
            # dutyctl.yaml/x): said, never a climb to a workspace above it
            raise InputError(t("{file} is a folder here, not the file of settings: move the "
                               "folder away and bring the file back (git checkout -- {file})",
                               file=CONFIG_FILE), path=folder / CONFIG_FILE)
    raise InputError(lambda name: t("not inside a dutyctl workspace (no {file} here or above): "
                                    "use {root} DIR, set DUTYCTL_ROOT, or create one with "
                                    "'dutyctl init DIR'", file=CONFIG_FILE, root=name("root")))


def _from_root_variable(problem: str, explicit: str | None) -> str:
    """A refusal of the folder $DUTYCTL_ROOT names (no --root typed), saying so."""
    return problem if explicit else t("{problem} (the folder $DUTYCTL_ROOT names)",
                                      problem=problem)


def _marks_workspace(folder: Path) -> bool:
    """Whether `folder` holds dutyctl.yaml: a file, or a symbolic link (one to itself, or
    to nothing, too), which reading it refuses, naming it: no link is followed in a
    workspace, and "not a dutyctl workspace" would hide what is wrong."""
    try:  # one lstat: a folder without it is the common case on the way up
        mode = os.lstat(folder / CONFIG_FILE).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(mode) or stat.S_ISLNK(mode)


def site_language_hint(explicit: str | None = None) -> str | None:
    """`site.language` of the workspace a help screen is drawn in, read without loading (and
    validating) the whole configuration; None when there is no workspace or no language."""
    from dutyctl.configkeys import language_in_file

    try:  # no link followed (the marker may be one: _marks_workspace), no FIFO opened
        return language_in_file(str(find_workspace(explicit).root / CONFIG_FILE))
    except (DutyError, OSError):
        return None


def _sections_of(problems, typed: dict) -> set | None:
    """The keys of dutyctl.yaml's sections (`typed`: key -> the word the file writes it
    with) these problems are in; None when one is in none."""
    found = set()
    for problem in problems:
        inside = {key for key, label in typed.items()
                  if problem.message.startswith((f"{label}.", f"{label}:", f"{label}["))}
        if not inside:
            return None
        found |= inside
    return found


def init_workspace(target: Path, language: str | None = None) -> tuple[list[Path], list[Path]]:
    """Create a workspace from the packaged templates; never overwrite. (created, kept).
    `language` (`init` passes the one it speaks) picks the templates: zh_CN writes
    dutyctl.yaml and rosters/rules.yaml in Chinese, keys and ids alike (站点, 客服专员, 张伟);
    any other (None) the English keys with pinyin ids."""
    if target.exists() and not target.is_dir():
        raise InputError(t("not a folder: cannot make a workspace here"), path=target)
    try:
        created, kept = _copy_templates(target, language)
    except OSError as exc:
        raise EnvironmentFailure(t("cannot create the workspace: {reason}", reason=os_reason(exc)),
                                 path=exc.filename or target) from None
    _commit_new_workspace(target, created + kept)
    return created, kept


def _commit_new_workspace(target: Path, paths: list[Path]) -> None:
    """A workspace is shared through git from its first minute: in a new repository (or one
    without commits yet) its own files are the first commit, so a clone is a workspace."""
    from dutyctl import gitsync

    # commit takes a relative path as the workspace's own (a step read back); `init A` gives
    # paths under the current folder, so both are made absolute here
    target, paths = target.resolve(), [path.resolve() for path in paths]
    if not _inside_git(target):
        made = gitsync.git(target, "init", "-q", "--initial-branch=main")
        if made.returncode != 0:
            return  # no git here: auto-commit will say so when it runs
    elif gitsync.has_commits(target):
        return  # an existing history: the user decides what goes into it
    from dutyctl.configkeys import language_in_config
    from dutyctl.messages import commit_language, speaking

    try:  # the new workspace's own site.language, as every later commit's message
        site = language_in_config((target / "dutyctl.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        site = None
    language = commit_language(site)
    with speaking(language):
        message = t("dutyctl init: new workspace")
    gitsync.commit(target, paths, message, None, language=language)


def template_text(source: str, language: str | None = None) -> str:
    """The packaged template `source` (a key of TEMPLATES) in `language`: its own copy under
    templates/<language>/ when it has one, else the common one."""
    from importlib import resources  # only `init` (and its tests) read the templates

    from dutyctl.messages import normalise

    templates = resources.files("dutyctl") / "templates"
    folder = TEMPLATE_LANGUAGES.get(normalise(language) or "")
    own = templates / folder / source if folder else None
    return (own if own is not None and own.is_file() else templates / source).read_text(
        encoding="utf-8")


#: a recurring job's `start: "2026-11-01"` and the `at: "09:00"` on the line after it, in
#: either language of keys
_JOB_START = re.compile(r'^(?P<key>[ \t]+(?:start|开始):[ \t]*)"\d{4}-\d{2}-\d{2}"'
                        r'(?P<rest>[^\n]*\n[ \t]+(?:at|时刻):[ \t]*"(?P<at>\d{1,2}:\d{2})")',
                        re.MULTILINE)


def recurring_from_today(text: str) -> str:
    """The template's dutyctl.yaml with each recurring job starting the day the site is made
    (the clock, in the site's zone): the job's first occurrence today when its time is still
    to come, else tomorrow, so a new site's first `repair recurring` files no back-log."""
    # the zone read off its line: parsing the file would also set the site's language
    zone = re.search(r"^[ \t]+(?:timezone|时区):[ \t]*[\"']?([\w/+-]+)", text, re.MULTILINE)
    try:
        tz = timeutil.zone(zone[1] if zone else DEFAULT_TIMEZONE)
    except DutyError:
        tz = timeutil.zone(DEFAULT_TIMEZONE)
    current = timeutil.now(tz)

    def dated(match: re.Match) -> str:
        at = time.fromisoformat(match["at"].zfill(5))
        day = current.date() if current.time() < at else current.date() + timedelta(days=1)
        return f'{match["key"]}"{day.isoformat()}"{match["rest"]}'

    return _JOB_START.sub(dated, text)


def _copy_templates(target: Path, language: str | None) -> tuple[list[Path], list[Path]]:
    created, kept = [], []
    from dutyctl.store.storage import create_new

    files = {target / destination: template_text(source, language)
             for source, destination in TEMPLATES.items()}
    files[target / CONFIG_FILE] = recurring_from_today(files[target / CONFIG_FILE])
    files[target / "records" / ".gitkeep"] = ""
    _refuse_in_the_way(target, files)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        # whole or not at all: a full disk must not leave an empty dutyctl.yaml that the
        # next `init` would keep as the site's own
        (created if create_new(path, text) else kept).append(path)
    return created, kept


def _refuse_in_the_way(target: Path, files) -> None:
    """A folder where a template file goes (a `dutyctl.yaml/` made by mistake), or a file
    where its folder goes: said before anything is written. Kept as "exists", the folder
    left a workspace without a config and a commit that failed on it."""
    for path in files:
        for folder in reversed(path.relative_to(target).parents[:-1]):  # not `target`
            kind = _entry_kind(target / folder)
            if kind not in (None, stat.S_IFDIR):
                raise InputError(t("a file of this name is in the way: init makes a folder here")
                                 if kind == stat.S_IFREG else t(
                                     "a link or other entry of this name is in the way: init "
                                     "makes a folder here"), path=target / folder)
        kind = _entry_kind(path)
        if kind not in (None, stat.S_IFREG):
            raise InputError(t("a folder of this name is in the way: init writes a file here")
                             if kind == stat.S_IFDIR else t(
                                 "a link or other entry of this name is in the way: init "
                                 "writes a file here"), path=path)


def _entry_kind(path: Path) -> int | None:
    """What is at `path` itself, a link not followed (stat.S_IFREG, S_IFDIR, S_IFLNK…); None
    when nothing is (a broken link is something: it was kept as an existing dutyctl.yaml)."""
    try:
        return stat.S_IFMT(os.lstat(path).st_mode)
    except FileNotFoundError:
        return None


def _inside_git(folder: Path) -> bool:
    from dutyctl.store import githead

    return githead.top(folder.resolve()) is not None
