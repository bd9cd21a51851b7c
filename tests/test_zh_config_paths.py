"""The Chinese messages name a dutyctl.yaml setting by its Chinese keys (通知.渠道, 站点.语言):
a site written from the Chinese template has no `notify:` or `site:` to look for."""

import re

from dutyctl import configkeys
from tests.test_option_words import CHINESE_MESSAGES

#: each section of dutyctl.yaml whose fields have Chinese words: its English key -> the words
SECTIONS = {"site": configkeys.SITE, "notify": configkeys.NOTIFY, "desk": configkeys.DESK,
            "urgency": configkeys.URGENCY, "attendance": configkeys.ATTENDANCE,
            "privacy": configkeys.PRIVACY, "git": configkeys.GIT,
            "targets": configkeys.TARGETS, "rooms": configkeys.ROOMS}


def _first_word(words: dict[str, str], key: str) -> str:
    return next(word for word, english in words.items() if english == key)


def _chinese_paths() -> dict[str, str]:
    """`notify.channels` -> `通知.渠道`, for every field of the sections above."""
    paths = {}
    for section, fields in SECTIONS.items():
        for key in set(fields.values()):
            paths[f"{section}.{key}"] = (f"{_first_word(configkeys.TOP, section)}."
                                         f"{_first_word(fields, key)}")
    return paths


def test_a_setting_is_named_by_its_chinese_keys():
    paths = _chinese_paths()
    found = []
    for key, text in CHINESE_MESSAGES:
        for english in re.findall(r"\b[a-z_]+\.[a-z_]+\b", text):
            if english in paths and paths[english] not in text:
                found.append(f"{english} (write {paths[english]}): {text}")
    assert found == []


def _field_words() -> dict[str, set[str]]:
    """Every English field key of dutyctl.yaml and rules.yaml that has Chinese words -> them."""
    from dutyctl import ruleskeys

    words: dict[str, set[str]] = {}
    for module in (configkeys, ruleskeys):
        for table in vars(module).values():
            if isinstance(table, dict) and table and all(
                    isinstance(k, str) and isinstance(v, str) for k, v in table.items()):
                for word, key in table.items():
                    if not word.isascii():
                        words.setdefault(key, set()).add(word)
    return words


def test_a_key_is_written_as_the_chinese_file_writes_it():
    """`日期: 工作日`, `起算日: "2026-12-01"`, not `days: workdays` (the message may give the
    English key beside the Chinese one)."""
    words = _field_words()
    found = []
    for _, text in CHINESE_MESSAGES:
        plain = re.sub(r"\{[^}]*\}", "", text)  # placeholders are the values, not keys
        for key in re.findall(r"(?<![\w.-])([a-z][a-z_]+):(?:\s|$|[（）\"])", plain):
            if key in words and not words[key] & set(re.findall(r"[^\x00-\x7f]+", text)):
                found.append(f"{key}: {text}")
    assert found == []
