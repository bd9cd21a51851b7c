"""Regular expressions compiled when first used, not when their module is imported.

Compiling a pattern costs 0.05–0.3 ms; a desk command imports dozens of modules and matches
few of their patterns (`who` parses no room number, reads no roster line when the roster's
parsed copy is current). A module-level `lazy(...)` is used like `re.compile(...)`."""

from __future__ import annotations

import re

_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer",
            "pattern", "flags", "groups", "groupindex")


class lazy:
    """`re.compile(pattern, flags)` on first use of any of its attributes; from then on its
    methods are the compiled pattern's own (no indirection in a loop over many lines)."""

    def __init__(self, pattern: str, flags: int = 0):
        self._source = (pattern, flags)

    def __getattr__(self, name: str):
        compiled = re.compile(*self._source)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r})"
