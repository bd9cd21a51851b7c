"""Room on the interpreter's frame stack for the solver's depth-first searches.

CPython 3.11 and 3.12 keep Python frames in chunks of 16 KB and give a chunk back to the
system as soon as the last frame in it returns (python/cpython#142183; later releases keep
one spare). A search whose recursion reaches past a chunk's end crosses back at every leaf,
and each crossing maps and unmaps memory: S at three quarters of its staff, December after
November, took 83,000 page faults and 170 ms where the same work, called from a stack a few
frames shallower, took 9,500 and 120 ms. `with_room(call)` runs `call` above one frame too
big for an ordinary chunk, which CPython places at the start of a chunk of 256 KB: the
frames above it (the solver's calls and searches) stay in that chunk."""

from __future__ import annotations

# the reserving frame's evaluation stack, in 8-byte slots: 160 KB, so CPython's chunk for it
# (16 KB doubled until the frame fits) is 256 KB, about 96 KB of it left above the frame
RESERVED_SLOTS = 20_000


def with_room(call):
    """`call()`, its frames in a chunk of the frame stack with room to spare."""
    return call()


# the frame's size is read from its code: a deeper evaluation stack than the body uses
with_room.__code__ = with_room.__code__.replace(co_stacksize=RESERVED_SLOTS)
