"""`rosters/rules.yaml`: where it is, and the one function that reads it.

The roster engine parses all of it (`dutyctl.roster.rules`); staff and shift names
(`dutyctl.people`) and the site calendar (`dutyctl.sitecalendar`) take their sections from
the same reading, without the roster engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

RULES_FILE = "rules.yaml"


def rules_path(workspace) -> Path:
    return workspace.rosters_dir / RULES_FILE


def read_rules_file(workspace) -> tuple[bytes, Any, str]:
    """(bytes, loaded YAML, workspace-relative label) of the rules file, read within the
    bounds of every file (`yamlio`); `yamlio.MissingFile` when there is none, an InputError
    when it cannot be read or parsed."""
    from dutyctl.store import yamlio

    path = rules_path(workspace)
    label = workspace.relative(path)
    raw = yamlio.read_bytes(path, label)
    return raw, yamlio.loads(yamlio.decode(raw, label), label), label


def rules_data(workspace) -> Any | None:
    """The loaded YAML of the rules file; None when there is none."""
    from dutyctl.store import yamlio

    try:
        return read_rules_file(workspace)[1]
    except yamlio.MissingFile:
        return None
