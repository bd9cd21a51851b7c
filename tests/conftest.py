"""Shared fixtures: a fresh workspace per test, the CLI through CliRunner, the installed binary."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dutyctl.cli import app
from dutyctl.workspace import Workspace, init_workspace


@pytest.fixture(autouse=True)
def _quiet_environment(monkeypatch):
    """Tests never see the developer's own workspace or identity."""
    for name in ("DUTYCTL_ROOT", "DUTYCTL_USER", "DUTYCTL_DEBUG", "LC_ALL", "LC_MESSAGES",
                 "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    # Workspaces speak Chinese (site.language); tests read English unless they ask otherwise.
    monkeypatch.setenv("DUTYCTL_LANG", "en")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """A new workspace made by `init`, with git auto-commit on and a git identity."""
    root = tmp_path / "site"
    init_workspace(root)
    subprocess.run(["git", "-C", str(root), "config", "user.email", "desk@example.com"], check=True)
    subprocess.run(["git", "-C", str(root), "config", "user.name", "Desk"], check=True)
    return Workspace(root)


class Cli:
    """Runs `dutyctl --root <workspace> ...` in-process and keeps stdout and stderr apart."""

    def __init__(self, root: Path):
        self.root = root
        self.runner = CliRunner()

    def __call__(self, *args: str, user: str | None = "zhangwei", input: str | None = None,
                 env: dict | None = None):
        environment = {"DUTYCTL_USER": user} if user else {}
        environment.update(env or {})
        return self.runner.invoke(app, ["--root", str(self.root), *args], input=input,
                                  env=environment)


@pytest.fixture
def cli(workspace: Workspace) -> Cli:
    return Cli(workspace.root)


@pytest.fixture(scope="session")
def dutyctl_command() -> list[str]:
    """The installed console script (falls back to `python -m dutyctl` beside this Python)."""
    script = Path(sys.executable).with_name("dutyctl")
    if script.exists():
        return [str(script)]
    found = shutil.which("dutyctl")
    return [found] if found else [sys.executable, "-m", "dutyctl"]


def run_dutyctl(command: list[str], *args: str, root: Path, user: str = "zhangwei",
                **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "DUTYCTL_USER": user}
    env.pop("DUTYCTL_ROOT", None)
    return subprocess.run([*command, "--root", str(root), *args], capture_output=True, text=True,
                          env=env, stdin=subprocess.DEVNULL, **kwargs)
