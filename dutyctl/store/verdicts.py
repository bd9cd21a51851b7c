"""What a large record or step file of records/ that cannot be read was found to say, kept so
that the next command says it again without parsing the file: a file from another desk is
read by every command that looks at its day (the record index keeps which files cannot be
read, never the words: it reads them again to say them), and one of 1.4 MB cost each
`dutyctl list` 3 s and 140 MB.

The verdict (each problem's line and message) is kept in the state folder's `parsed/` as
yamlcache keeps a parsed copy (a `marshal` with its digest under the desk's key: another
desk's file there is never believed), valid only while the file keeps its size, modification
and change times, inode and device (and never for a file changed just before it was read,
`yamlcache.just_changed`: a rewrite within the same tick of a coarse clock keeps its stamp),
and only for the same language, the same site
configuration (what a record's fields are checked against), time zone and dutyctl (the
sizes and times of its modules): anything else reads the file again. Only a file of
REMEMBERED_BYTES or more: a small one costs less to read than its verdict. A readable file
is never kept: the store reads it whole.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from dutyctl.caches import process_cache

REMEMBERED_BYTES = 16 * 1024  # a record is a few kB: a bad file this large is remembered
FORMAT = 1  # bump when what is kept (a problem's line and message) changes
SUFFIX = ".verdict"
_CODE: list[str] = process_cache([])  # this dutyctl's stamp (code_stamp), once per process


def code_stamp() -> str:
    """What tells this dutyctl from another: the digest of the names, sizes and modification
    times of its modules and message catalogues (an upgrade, a checkout of other code).
    About 2 ms, asked only when a large file cannot be read."""
    if not _CODE:
        from dutyctl.yamlcache import sha256_hex

        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        seen = []
        for folder, folders, files in os.walk(package):
            folders[:] = sorted(name for name in folders if name != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".mo")):
                    try:
                        info = os.stat(os.path.join(folder, name))
                    except OSError:
                        continue
                    seen.append(f"{os.path.relpath(folder, package)}/{name} {info.st_size} "
                                f"{info.st_mtime_ns}")
        _CODE.append(sha256_hex("\n".join(seen).encode()))
    return _CODE[0]


#: a problem as kept: (line, message, finding: None or a mapping of texts to texts and ints)
Said = tuple


def _plain_said(item: Any) -> bool:
    """Whether `item` is a problem as `remember` keeps it."""
    if type(item) is not tuple or len(item) != 3:
        return False
    line, message, finding = item
    return ((line is None or type(line) is int) and type(message) is str
            and (finding is None or type(finding) is dict and all(
                type(key) is str and type(value) in (str, int) for key, value in finding.items())))


class Verdicts:
    """The verdicts kept in `cache_dir` (`Workspace.cache_dir`; None: nothing kept) for the
    files read against `context` (the store's configuration and time zone, in a form whose
    repr says every value)."""

    def __init__(self, cache_dir, context: Any):
        self.cache_dir = cache_dir
        self.context = context
        self._said: str | None = None  # the digest of the context's repr, made once

    def _stamp(self, path: str, label: str, info: os.stat_result) -> tuple:
        from dutyctl.messages import current_language
        from dutyctl.yamlcache import sha256_hex

        if self._said is None:
            self._said = sha256_hex(repr(self.context).encode())
        return (FORMAT, sys.version_info[:2], code_stamp(), current_language(), self._said,
                path, label, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino,
                info.st_dev)

    def _where(self, path: str):
        from dutyctl.yamlcache import CACHE_FOLDER, cache_name

        return self.cache_dir / CACHE_FOLDER / (cache_name(path) + SUFFIX)

    def recall(self, path: str, label: str, info: os.stat_result) -> list[Said] | None:
        """The problems (line, message, finding) kept for the file at `path` (`label`: as its
        problems name it; of REMEMBERED_BYTES or more, as its reader tests it) as `info` (the
        fstat of its reading) found it; None when none is kept for it as it is now (no
        cache, another version of it or of anything else)."""
        if self.cache_dir is None:
            return None
        from dutyctl.yamlcache import read_stamped, workspace_key

        said = read_stamped(self._where(path), self._stamp(path, label, info),
                            workspace_key(self.cache_dir))
        if type(said) is not list or not all(map(_plain_said, said)):
            return None  # missing, or of another shape: read the file
        return said

    def remember(self, path: str, label: str, info: os.stat_result, said: list[Said],
                 reading_ns: int) -> None:
        """Keep `said` (its problems' lines, messages and findings: the 'and N more' line's
        count) for the file at `path` (of REMEMBERED_BYTES or more, as its reader tests it)
        as `info` found it, when it is unchanged since (another write while it was read
        would leave its new content under the old verdict) and was not changed just before
        `reading_ns`, the clock its reader took before it read the file's bytes (an index
        build reads a whole day folder before it parses a file: a clock taken after would
        call a file of a coarse clock's tick settled)."""
        if self.cache_dir is None:
            return
        try:
            now = os.lstat(path)
        except OSError:
            return
        if (now.st_size, now.st_mtime_ns, now.st_ctime_ns, now.st_ino) != (
                info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino):
            return
        from dutyctl.yamlcache import just_changed, workspace_key, write_stamped

        if just_changed(info.st_mtime_ns, reading_ns):
            return  # a rewrite within the same tick of a coarse clock would keep its stamp

        write_stamped(self._where(path), self._stamp(path, label, info), said,
                      workspace_key(self.cache_dir, create=True))
