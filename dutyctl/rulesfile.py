"""`rosters/rules.yaml`: where it is, and the one function that reads it.

The roster engine parses all of it (`dutyctl.roster.rules`); staff and shift names
(`dutyctl.people`) and the site calendar (`dutyctl.sitecalendar`) take their sections from
the same reading, without the roster engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dutyctl.caches import process_cache

RULES_FILE = "rules.yaml"
# A center's rules, a few hundred staff with their leave, are tens of kilobytes; parsing a
# bigger file (it may come from another desk) would keep every desk waiting seconds.
MAX_RULES_BYTES = 2 * 1024 * 1024


def rules_path(workspace) -> Path:
    return workspace.rosters_dir / RULES_FILE


# what read_rules_file read, by the file's stamp: a command asks for the rules several times
# (staff names, shift names, the calendar, the roster rules); the few newest are kept
_READ: dict[tuple, tuple[str, Any, str]] = process_cache({})


def read_rules_file(workspace) -> tuple[str, Any, str]:
    """(SHA-256 of its bytes, loaded YAML, workspace-relative label) of the rules file, read
    within the bounds of every file (`yamlio`), parsed once per edit (`dutyctl.yamlcache`),
    its Chinese keys read as the keys they stand for (`dutyctl.ruleskeys`);
    `yamlio.MissingFile` when there is none, an InputError when it cannot be read or parsed.
    Read once per process while the file keeps its stamp (size, times to the nanosecond,
    inode: `yamlcache.file_stamp`), so the loaded YAML is shared: read it, never change it."""
    from dutyctl.ruleskeys import canonical
    from dutyctl.yamlcache import file_stamp, load_with_digest

    path = rules_path(workspace)
    label = workspace.relative(path)
    key = (file_stamp(path), label)
    if key[0] is not None and key in _READ:
        return _READ[key]
    # the stamp just taken, not taken again before the file is read
    data, digest = load_with_digest(path, label, workspace.cache_dir, MAX_RULES_BYTES, key[0])
    found = digest, canonical(data), label
    if key[0] is not None and file_stamp(path) == key[0]:  # not changed while it was read
        if len(_READ) >= 4:
            _READ.clear()
        _READ[key] = found
    return found


def rules_data(workspace) -> Any | None:
    """The loaded YAML of the rules file; None when there is none."""
    from dutyctl.store import yamlio

    try:
        return read_rules_file(workspace)[1]
    except yamlio.MissingFile:
        return None
