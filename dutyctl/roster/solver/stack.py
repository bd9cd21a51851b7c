"""Room on the interpreter's frame stack for the solver's depth-first searches.

CPython keeps Python frames in chunks of 16 KB and, before the fix of python/cpython#142183
(3.11, 3.12 and 3.13.0 among them), gives a chunk back to the system as soon as the last frame in
it returns. A search whose recursion reaches past a chunk's end crosses back at every leaf,
and each crossing maps and unmaps memory: S at three quarters of its staff, December after
November, took 83,000 page faults and 170 ms where the same work, called from a stack a few
frames shallower, took 9,500 and 120 ms. `with_room(call)` runs `call` above one frame too
big for an ordinary chunk, which CPython places at the start of a chunk of 256 KB: the frames
above it stay in the 96 KB left (the solver's deepest search, a frame a place of a week or
two, needs well under half of it; deeper recursion crosses chunks again, as it would plainly).
Elsewhere (another Python, a CPython that keeps a spare chunk) it is a plain call."""

from __future__ import annotations

import sys

# the reserving frame's evaluation stack, in 8-byte slots: 160 KB, so CPython's chunk for it
# (16 KB doubled until the frame fits) is 256 KB, about 96 KB of it left above the frame
RESERVED_SLOTS = 20_000


def with_room(call):
    """`call()`, its frames in a chunk of the frame stack with room to spare."""
    return call()


if sys.implementation.name == "cpython":
    # the frame's size is read from its code: a deeper evaluation stack than the body uses
    try:
        with_room.__code__ = with_room.__code__.replace(co_stacksize=RESERVED_SLOTS)
    except (TypeError, ValueError):  # a code object that does not take it: a plain call
        pass
