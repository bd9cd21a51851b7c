"""The package's modules as syntax trees, parsed once per test process: the layer, printing,
message and translation checks each walk every module, and a parse of them all costs about
half a second."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dutyctl"


@lru_cache(maxsize=None)
def syntax_tree(path: Path) -> ast.Module:
    """`path`'s syntax tree (the checks only read it: one tree serves them all)."""
    return ast.parse(Path(path).read_text(encoding="utf-8"), str(path))
