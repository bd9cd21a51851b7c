"""fastyaml.dumps writes exactly what PyYAML writes (yamlio.dumps), whatever the data: the
subset it writes itself and everything it hands over."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import example, given, settings, strategies as st

from dutyctl.store import fastyaml, yamlio

# letters, CJK, digits, spaces and every mark that changes how PyYAML quotes a text
ALPHABET = st.sampled_from(list("abcXYZ张三物业费怎么交，。：（）0123456789 -_./()':#\"\\!&*?[]{}|>%@`,~=\t\n"
                                "\u00a0\u2028\ufeff\x85é"))
TEXT = st.text(ALPHABET, max_size=40) | st.text(st.sampled_from(list("ab张三物业 -./'0123")),
                                                 max_size=40) | st.sampled_from(
    ["yes", "No", "ON", "null", "~", "true", "y", "n", "=", "<<", ".inf", "a" * 90,
     "物业费 " * 30, "word " * 25, "3-2-501", "13812345678", "2026-11-07T21:00:00+08:00"])
# [a-z_][a-z_-]{0,12}, built from two draws (from_regex costs a third of the test's time)
KEY_START = "abcdefghijklmnopqrstuvwxyz_"
KEY = st.builds(str.__add__, st.sampled_from(KEY_START),
                st.text(st.sampled_from(KEY_START + "-"), max_size=12)) | st.sampled_from(
    ["on", "yes", "n", "key1", "2nd", "Not-a-key", "_x"])
SCALAR = st.none() | st.booleans() | st.integers(-10**20, 10**20) | TEXT | st.floats(
    allow_nan=False) | st.just([]) | st.just({})
DATA = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(KEY, inner, max_size=5), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(KEY, DATA, min_size=1, max_size=8))
@example({"a": "\u2028"})  # YAML folds a quoted text at a line break of Unicode's
@example({"a": "x\x85y", "b": ["\u2029 "]})
@example({"a": "三 ", "b": ["a (b) "], "c": {"d": "物业费 "}})  # quoted: plain, it loses the space
def test_the_fast_writer_writes_what_pyyaml_writes(data):
    text = fastyaml.dumps(data)
    assert text == yamlio.dumps(data)
    assert fastyaml.loads(text) == yamlio.loads(text)


def test_a_record_is_written_without_pyyaml():
    record = {"id": "01M8MS4QJN8ZF4WA4H1TYRMBCY", "kind": "call",
              "at": "2026-11-07T21:00:00+08:00", "by": "zhangwei",
              "resident": {"name": "张三", "room": "3-2-501", "phone": "13812345678"},
              "category": "fee", "summary": "物业费怎么交", "links": [], "tags": ["a", "b"]}
    probe = ("import sys; from dutyctl.store import fastyaml; "
             f"fastyaml.dumps({record!r}); print('yaml' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"
    assert fastyaml.dumps(record) == yamlio.dumps(record)


def test_one_object_written_twice_is_spelt_out_twice_without_an_anchor():
    shared = ["a"]
    data = {"links": [shared, shared], "empty": [[], []]}
    data["empty"][1] = data["empty"][0]
    assert yamlio.dumps(data) == fastyaml.dumps(data)
    assert "&" not in yamlio.dumps(data) and "*" not in yamlio.dumps(data)
