"""fastyaml.dumps writes exactly what PyYAML writes (yamlio.dumps), whatever the data: the
subset it writes itself and everything it hands over."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import example, given, settings, strategies as st

from dutyctl.store import fastyaml, yamlio


def either(*choices):
    """One of `choices`, each as likely (st.one_of flattens the one_ofs inside it: a choice
    made of seven kinds of value would outweigh a choice of one kind seven to one)."""
    return st.sampled_from(choices).flatmap(lambda chosen: chosen)


# letters, CJK, digits, spaces and every mark that changes how PyYAML quotes a text
ALPHABET = st.sampled_from(list("abcXYZ张三物业费怎么交，。：（）0123456789 -_./()':#\"\\!&*?[]{}|>%@`,~=\t\n"
                                "\u00a0\u2028\ufeff\x85é"))
# texts the fast writer writes itself: words and the digits of times, rooms and phones
WORD = st.builds(str.__add__, st.sampled_from(list("ab张三物业")),
                 st.text(st.sampled_from(list("ab张三物业 -./()")), max_size=20)).filter(
    lambda text: not text.endswith(" "))
DIGITS = st.text(st.sampled_from(list("0123456789-:+T")), min_size=1, max_size=12)
# such a text but for one mark (each mark's own effect), and long ones whose lines end around
# PyYAML's width wherever they are written
MARKED = st.builds(lambda head, mark, tail: head + mark + tail, WORD | DIGITS,
                   ALPHABET | st.sampled_from([" #", ": ", " -", "- ", " '"]),
                   WORD | DIGITS | st.just(""))
LONG = st.builds(lambda word, length: ((word + " ") * length)[:length].rstrip(), WORD,
                st.integers(60, 110))
TEXT = MARKED | LONG | st.text(ALPHABET, max_size=40) | st.text(
    st.sampled_from(list("ab张三物业 -./'0123")), max_size=40) | st.sampled_from(
    ["yes", "No", "ON", "null", "~", "true", "y", "n", "=", "<<", ".inf", "a" * 90,
     "物业费 " * 30, "word " * 25, "3-2-501", "13812345678", "2026-11-07T21:00:00+08:00"])
# [a-z_][a-z_-]{0,12}, built from two draws (from_regex costs a third of the test's time)
KEY_START = "abcdefghijklmnopqrstuvwxyz_"
PLAIN_KEY = st.builds(str.__add__, st.sampled_from(KEY_START),
                      st.text(st.sampled_from(KEY_START + "-"), max_size=12))
KEY = PLAIN_KEY | st.sampled_from(["on", "yes", "n", "key1", "2nd", "Not-a-key", "_x"])
SCALAR = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | TEXT | st.floats(
    allow_nan=False) | st.just([]) | st.just({})
# what records hold, and the fast writer writes itself (one value it does not, anywhere in a
# document, hands the whole document to PyYAML): its layout of nested blocks is tested on these
USUAL = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.just([]) | st.just({}) | \
    WORD | st.sampled_from(["物业费怎么交", "3-2-501", "13812345678",
                            "2026-11-07T21:00:00+08:00", "a" * 60, "yes"])


def nested(inner):
    """Lists and mappings of `inner` (a repeated key is drawn as one: no filtering draw)."""
    return st.lists(inner, max_size=4) | st.lists(st.tuples(PLAIN_KEY, inner),
                                                   max_size=5).map(dict)


# mappings and lists three deep under a key, in each other, empty or not
NESTED = either(USUAL, nested(either(USUAL, nested(USUAL))))


def written_as_pyyaml_writes(data) -> None:
    text = fastyaml.dumps(data)
    assert text == yamlio.dumps(data)
    assert fastyaml.loads(text) == yamlio.loads(text)


@settings(max_examples=250, deadline=None)
@given(st.dictionaries(KEY, either(MARKED, LONG, SCALAR, st.lists(either(MARKED, SCALAR),
                                                                 max_size=3)),
                       min_size=1, max_size=2))
@example({"a": "\u2028"})  # YAML folds a quoted text at a line break of Unicode's
@example({"a": "x\x85y", "b": ["\u2029 "]})
@example({"a": "三 ", "b": ["a (b) "], "c": {"d": "物业费 "}})  # quoted: plain, it loses the space
def test_the_fast_writer_writes_each_value_as_pyyaml_does(data):
    """Texts with every mark that matters, keys, numbers: each written by the fast writer or
    handed over, exactly as PyYAML writes it (small documents: most are its own)."""
    written_as_pyyaml_writes(data)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(PLAIN_KEY, NESTED, min_size=1, max_size=6))
@example({"a": [{"b": 1, "c": [{"d": [], "e": "x"}]}], "f": {"g": {"h": ["i", {}]}}})
@example({"a": [["b"]], "c": [{"d": ["e", ["f"]]}]})  # a list in a list: handed over
def test_nested_blocks_are_laid_out_as_pyyaml_lays_them_out(data):
    """Mappings and lists three deep, in each other and empty, of values the fast writer
    writes itself: its indentation and `- ` items are PyYAML's."""
    written_as_pyyaml_writes(data)


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
