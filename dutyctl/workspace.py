"""Finding and creating workspaces: a folder holding dutyctl.yaml, rosters/ and records/."""

from __future__ import annotations

import contextlib
import os
import subprocess
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

from dutyctl.config import CONFIG_FILE, SiteConfig, load_config
from dutyctl.errors import DutyError, EnvironmentFailure, InputError
from dutyctl.messages import t

# template file in the package -> path in a new workspace
TEMPLATES = {
    "dutyctl.yaml": "dutyctl.yaml",
    "rosters/rules.yaml": "rosters/rules.yaml",
    "gitignore": ".gitignore",
}


@dataclass(frozen=True)
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

    @cached_property
    def config(self) -> SiteConfig:
        return load_config(self.config_path, self.relative(self.config_path))

    @cached_property
    def store(self):
        from dutyctl.store import Store

        git_root = self.root if (self.root / ".git").exists() else None
        return Store(self.records_dir, self.config.tz, self.config, self.state_dir, git_root)

    def relative(self, path: Path | str) -> str:
        try:
            return str(Path(path).resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)


def find_workspace(explicit: str | None = None, cwd: Path | None = None) -> Workspace:
    """--root, else $DUTYCTL_ROOT, else the nearest folder upwards holding dutyctl.yaml."""
    chosen = explicit or os.environ.get("DUTYCTL_ROOT")
    if chosen:
        root = Path(chosen).expanduser()
        if not (root / CONFIG_FILE).is_file():
            raise InputError(t("not a dutyctl workspace (no {file} in it)", file=CONFIG_FILE),
                             path=root)
        return Workspace(root.resolve())
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return Workspace(folder)
    raise InputError(t("not inside a dutyctl workspace (no {file} here or above): use --root "
                       "DIR, set DUTYCTL_ROOT, or create one with 'dutyctl init DIR'",
                       file=CONFIG_FILE))


def site_language_hint(explicit: str | None = None) -> str | None:
    """`site.language` of the workspace a help screen is drawn in, read without loading (and
    validating) the whole configuration; None when there is no workspace or no language."""
    import re

    try:
        path = find_workspace(explicit).root / CONFIG_FILE
        with path.open("rb") as handle:
            head = handle.read(65536).decode("utf-8", "replace")
    except (DutyError, OSError):
        return None
    found = re.search(r"(?m)^site:[^\n]*\n(?:[ \t]+.*\n|\s*\n)*?[ \t]+language:[ \t]*"
                      r"[\"']?([A-Za-z_-]+)", head)
    return found.group(1) if found else None


def init_workspace(target: Path) -> tuple[list[Path], list[Path]]:
    """Create a workspace from the packaged templates; never overwrite. (created, kept)."""
    if target.exists() and not target.is_dir():
        raise InputError(t("not a folder: cannot make a workspace here"), path=target)
    try:
        created, kept = _copy_templates(target)
    except OSError as exc:
        raise EnvironmentFailure(t("cannot create the workspace: {reason}", reason=exc.strerror),
                                 path=exc.filename or target) from None
    if not _inside_git(target):
        with contextlib.suppress(OSError):  # no git here: auto-commit will say so when it runs
            subprocess.run(["git", "init", "-q", str(target)], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return created, kept


def _copy_templates(target: Path) -> tuple[list[Path], list[Path]]:
    created, kept = [], []
    templates = resources.files("dutyctl") / "templates"
    files = {target / destination: (templates / source).read_text(encoding="utf-8")
             for source, destination in TEMPLATES.items()}
    files[target / "records" / ".gitkeep"] = ""
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x", encoding="utf-8") as handle:  # "x": an existing file is kept
                handle.write(text)
        except FileExistsError:
            kept.append(path)
            continue
        created.append(path)
    return created, kept


def _inside_git(folder: Path) -> bool:
    return any((parent / ".git").exists() for parent in (folder.resolve(), *folder.resolve().parents))
