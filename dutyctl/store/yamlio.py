"""YAML in and out, with line numbers kept and the YAML 1.1 traps turned into errors.

Loading returns `LineDict` / `LineList`: plain dicts and lists that also remember the line of
each key or item, so validation can say `path:line: what is wrong`. Duplicate keys and git
conflict markers are errors. Dumping keeps key order, writes Chinese as is and quotes any
string that would otherwise be read back as another type (times, rooms, phone numbers).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

from dutyctl.errors import InputError, Problem, os_reason
from dutyctl.messages import N_, gettext, t
from dutyctl.store.plainfile import NotPlainFile, read_plain
from dutyctl.yamlnodes import LineDict, LineList

# LineDict and LineList are what loading returns: re-exported for the modules that check it
__all__ = ["CONFLICT_MARKER", "CONFLICT_MARKERS", "LineDict", "LineList", "MAX_FILE_BYTES",
           "MissingFile", "decode", "dumps", "find_conflict_marker", "load", "loads",
           "name_not_text", "not_a_file", "read_bytes", "read_listed", "read_text",
           "read_with_stat"]

CONFLICT_MARKERS = ("<<<<<<< ", "=======", ">>>>>>> ", "||||||| ")

# Any file may have come from another desk through git: the size of one file is bounded here
# (what its contents may expand to, in yamlnodes).
# A year-long roster is about 0.5 MB and a record a few kB.
MAX_FILE_BYTES = 4 * 1024 * 1024


class MissingFile(InputError):
    """The file to read does not exist: for callers to whom that is a state, not a mistake."""


def find_conflict_marker(text: str) -> int | None:
    """The 1-based line of the first git conflict marker in `text`, if any."""
    if not any(marker.rstrip() in text for marker in CONFLICT_MARKERS):
        return None  # the usual answer, without a line of 100,000 made and looked at
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(CONFLICT_MARKERS) or line == "=======":
            return number
    return None


# what a file git left conflicted is told (check.py leaves it out for a file it names itself)
CONFLICT_MARKER = N_("git conflict marker: resolve the merge first")


def loads(text: str, path: str | Path = "<text>", record: bool = False) -> Any:
    """Parse YAML text; every failure is an InputError located at path:line. `record`: the
    text of a record or step file, held to what one may hold (`yamlnodes.MAX_RECORD_NODES`,
    `MAX_RECORD_KEYS`)."""
    marker = find_conflict_marker(text)
    if marker:
        raise InputError(gettext(CONFLICT_MARKER), path=path, line=marker)
    from dutyctl.yamlfull import parse

    return parse(text, path, record)


def read_bytes(path: Path, label: str | Path | None = None,
               limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is an InputError.

    A symlink (git carries them: one to /dev/zero would fill the memory), a FIFO (would block
    for ever) or a device is refused without being opened (`plainfile.read_plain`)."""
    return read_with_stat(path, label, limit)[0]


def read_with_stat(path: Path | str, label: str | Path | None = None,
                   limit: int = MAX_FILE_BYTES) -> tuple[bytes, os.stat_result]:
    """read_bytes, and the fstat of what was read: what a verdict kept of the file is valid
    for (`store.verdicts`)."""
    return _read(path, label or path, limit, listed=False)


def read_listed(path: str, limit: int = MAX_FILE_BYTES) -> tuple[bytes, os.stat_result]:
    """read_bytes of a file that a folder listing (os.scandir) saw as a plain file, without
    the lstat that would ask again, and its fstat: the mtime and size of what was read (a
    build of the record index reads a few hundred thousand files)."""
    return _read(path, path, limit, listed=True)


def _read(path: Path | str, where: str | Path, limit: int,
          listed: bool) -> tuple[bytes, os.stat_result]:
    try:
        data, info = read_plain(path, limit, listed)
    except FileNotFoundError:
        raise MissingFile(t("no such file"), path=where) from None
    except NotPlainFile as exc:
        raise InputError(not_a_file(exc.mode, path), path=where) from None
    except OSError as exc:  # no permission to read, a symlink swapped in since lstat ...
        raise InputError(t("cannot read: {reason}", reason=os_reason(exc)), path=where) from None
    if len(data) > limit:
        raise InputError(t("larger than {limit} MB: refused", limit=limit // (1024 * 1024)),
                         path=where)
    return data, info


def not_a_file(mode: int, path: Path | str | None = None) -> str:
    """Why a path of this st_mode is not read (`check` says the same); `path`, when given,
    tells a link that leads back to itself."""
    if stat.S_ISDIR(mode):
        return t("cannot read: {reason}", reason=not_a_file_reason(mode))
    return not_a_file_reason(mode, path)


def not_a_file_reason(mode: int, path: Path | str | None = None) -> str:
    """not_a_file for a message that says "cannot read" itself."""
    if stat.S_ISLNK(mode) and path is not None and _loops(path):
        return t("a symbolic link that leads back to itself (a loop): dutyctl follows no links "
                 "in a workspace (put the real file here)")
    if stat.S_ISLNK(mode):
        return t("a symbolic link: dutyctl follows no links in a workspace (put the real file or "
                 "folder here)")
    if stat.S_ISDIR(mode):
        return os_reason(IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
    return t("not a plain file (a device, FIFO or socket): refused")


def name_not_text(path: str) -> Problem:
    """The problem of a listed file whose name is no UTF-8 text (`path` as listed: Problem
    shows it quoted, errors.text_name); the store's reading and the index say it alike."""
    return Problem(path, None, t("the file name is not UTF-8 text: no record is named so "
                                 "(rename or delete it)"))


def _loops(path: Path | str) -> bool:
    """Whether following the link `path` comes back to it (ELOOP): only asked of a link
    refused already, never to follow it."""
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def decode(data: bytes, where: str | Path) -> str:
    """UTF-8 text; a bad byte is reported at its line. One DOS end-of-file mark (Ctrl-Z) at
    the very end, which old Windows editors add and nobody sees, is dropped."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise not_utf8(exc, where) from None
    return text[:-1] if text.endswith("\x1a") else text


def not_utf8(exc: UnicodeDecodeError, where: str | Path) -> InputError:
    """The refusal of a file that is no UTF-8 text, at the line of its first bad byte: what
    that means to a clerk (saved in another encoding, which one when it can be told: UTF-16,
    Notepad's "Unicode"; GBK, Notepad's and Excel's "ANSI" on a Chinese Windows) and what to
    do (save it as UTF-8), never the decoder's words. Every reader of a file says it so."""
    data = exc.object  # what was decoded (after a BOM utf-8-sig dropped)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Notepad's "Unicode"
        said = t("not UTF-8 text: it was saved as UTF-16 (Notepad's \"Unicode\"): save it as "
                 "UTF-8 (in Notepad: Save As, encoding UTF-8)")
    elif _reads_as_gbk(data) or _reads_as_gbk(_line_at(data, exc.start)):
        # Notepad's "ANSI" on a Chinese Windows desk (the file, or a line pasted so)
        said = t("not UTF-8 text: it was saved as GBK (what Notepad and Excel use on a Chinese "
                 "Windows): save it as UTF-8 (in Notepad: Save As, encoding UTF-8)")
    else:
        said = t("not UTF-8 text: it was saved in another encoding (such as GBK, by Notepad or "
                 "Excel): save it as UTF-8 (in Notepad: Save As, encoding UTF-8)")
    return InputError(said, path=where, line=data.count(b"\n", 0, exc.start) + 1)


def _line_at(data: bytes, offset: int) -> bytes:
    """The line of `data` holding `offset`."""
    end = data.find(b"\n", offset)
    return data[data.rfind(b"\n", 0, offset) + 1:end if end >= 0 else None]


def _reads_as_gbk(data: bytes) -> bool:
    """Bytes that decode as GB18030 (GBK and what it lacks: the template's ✗) with some
    Chinese in them: most likely a Chinese text saved in the Windows code page."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def read_text(path: Path, label: str | Path | None = None) -> str:
    """The UTF-8 text of a regular file within the size cap (see read_bytes)."""
    return decode(read_bytes(path, label), label or path)


def load(path: Path, label: str | None = None) -> Any:
    """Parse a YAML file; errors name it as `label` (a workspace-relative path) if given."""
    where = label or path
    return loads(read_text(path, where), where)


def dumps(data: Any) -> str:
    """YAML text with key order kept, Chinese readable and ambiguous strings quoted (PyYAML;
    `fastyaml.dumps` writes the same text without it for what dutyctl's records hold)."""
    from dutyctl.yamlfull import dumps as full_dumps

    return full_dumps(data)
