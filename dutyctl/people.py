"""Staff and shifts by id and name, from the roster rules, without the roster engine."""

from __future__ import annotations

import re
from typing import Iterable

from dutyctl.choices import split_list
from dutyctl.folding import NAME_DOTS, name_folded
from dutyctl.errors import DutyError, InputError, NotFound
from dutyctl.messages import t
from dutyctl.rulesfile import RULES_FILE, rules_data


def staff_ids(workspace) -> dict[str, str] | None:
    """id -> name of every staff member in rosters/rules.yaml; None when there are no rules,
    or they cannot be read (`staff_in_rules` tells those apart)."""
    known, _readable = staff_in_rules(workspace)
    return known


def staff_in_rules(workspace) -> tuple[dict[str, str] | None, bool]:
    """(id -> name of every staff member in rosters/rules.yaml, or None; whether the rules
    could be read): (None, True) when there is no rules file, (None, False) when there is one
    that cannot be read or names nobody readable."""
    try:
        data = rules_data(workspace)
    except DutyError:
        return None, False  # `dutyctl check` reports broken rules; logging a call must still work
    if data is None:
        return None, True
    known = _staff_of(data)
    # rules without one readable staff member (a list, an empty file, `staff: 3`) are broken,
    # not a site of nobody: `check` reports them, and nobody is refused meanwhile
    return (known, True) if known else (None, False)


def committed_staff_ids(workspace) -> dict[str, str] | None:
    """id -> name of every staff member in the rules as last committed (HEAD's
    rosters/rules.yaml, read within the same bounds and parsed the same way); None when there
    are none, or they cannot be read either."""
    data = _committed_rules(workspace)
    return (_staff_of(data) or None) if data is not None else None


def _committed_rules(workspace):
    """HEAD's rosters/rules.yaml as `rules_data` reads the working one; None when there is
    none or it cannot be read either."""
    from dutyctl import gitsync
    from dutyctl.rulesfile import MAX_RULES_BYTES, rules_path
    from dutyctl.ruleskeys import canonical
    from dutyctl.store import yamlio

    label = workspace.relative(rules_path(workspace))
    raw = gitsync.committed_file(workspace.root, label, MAX_RULES_BYTES)
    if raw is None:
        return None
    try:
        return canonical(yamlio.loads(yamlio.decode(raw, label), label))
    except DutyError:
        return None


def _staff_of(data) -> dict[str, str]:
    """id -> name of the staff of loaded rules (their keys read, `ruleskeys.canonical`)."""
    return dict(_by_id(data.get("staff") if isinstance(data, dict) else None))


def shift_names(workspace) -> dict[str, str]:
    """id -> name of every shift in rosters/rules.yaml ({} when the rules are missing; when
    they cannot be read, as last committed: a screen still says 白班, not day)."""
    try:
        data = rules_data(workspace)
    except DutyError:
        data = _committed_rules(workspace)
    shifts = data.get("shifts") if isinstance(data, dict) else None
    return dict(_by_id(shifts))


def _by_id(entries) -> Iterable[tuple[str, str]]:
    """(id, name) of each entry of a rules section, as the roster rules read them: an entry
    without an id line goes by its name (张伟) when the name can be an id."""
    from dutyctl.ruleids import is_id

    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict):
            continue
        if entry.get("id") is not None:
            yield str(entry["id"]), str(entry.get("name", entry["id"]))
        elif is_id(entry.get("name")):
            yield entry["name"], entry["name"]


def resolve_staff(workspace, named: str) -> str:
    """The staff id of `named`, typed by id or name (陈静); unchecked when the workspace has no
    roster rules (a site may run without rosters). Rules that cannot be read are stood in
    for by the rules as last committed; without those either, `named` is taken as typed (it
    is an id: text_problems) and `check` reports it if it is nobody's. Several people (张伟、
    李娜, 张伟/李娜) are refused: one person goes here."""
    return _one_person(named, known_staff(workspace))


def _one_person(named: str, known: dict[str, str] | None, several: bool = False) -> str:
    """`resolve_staff` with the staff already read (`known`, None: no staff list). A name
    that names no one and runs Chinese and letters together (张伟Zhang) is refused as such,
    as without a staff list (`several`: it is one of a list)."""
    from dutyctl.choices import resolve_staff as resolve

    _check_text(named)
    if len(split_names(named)) > 1:
        raise _several_refusal(named)
    if known is None:
        return _unchecked(named)[0]
    word = _bullet_off(named)
    try:
        return resolve(word, known, f"rosters/{RULES_FILE}")
    except NotFound:
        if not _mixed(word):
            raise
        if len(word.split()) > 1:  # 李娜 wangqiang: a name and an id, two people, if each is
            if several:            # someone (_one_or_spaced tries the parts of a list's word)
                raise
            if not _parts_people(word, known)[1]:
                raise _several_refusal(named) from None
        raise _mixed_refusal(word, several) from None


def _several_refusal(named: str) -> InputError:
    return InputError(t("'{named}' names several people: write one person here",
                        named=named.strip()))


def _check_text(named: str) -> None:
    """Refused when it holds what no text may (text_problems): checked here, not only against
    the rules: without a rules file any id is taken."""
    from dutyctl.schema import text_problems

    for problem in text_problems(named, t("staff id")):
        raise InputError(problem)


def known_staff(workspace) -> dict[str, str] | None:
    """id -> name of the staff names are looked up in; None: nobody to look them up in."""
    known, readable = staff_in_rules(workspace)
    if known is None and not readable:
        # the rules cannot be read (a merge's conflict markers, a slip): the desk keeps
        # working with the staff as last committed, so 张伟 is still recorded as his id
        known = committed_staff_ids(workspace)
    return known


#: surnames of two characters: `欧阳 娜娜` typed with a space is one person (欧阳 alone is no
#: one's name), as `李 小明` is
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 司徒 夏侯 长孙 宇文 轩辕 端木 南宫 "
    "西门 独孤 百里 呼延 闻人 澹台 公冶 申屠 太史 钟离 万俟 赫连 濮阳 单于 淳于 拓跋 第五".split())


#: the Han characters of names: the unified block, extension A, the compatibility block and
#: extensions B-F (刘䶮: 䶮 is in extension A); a name's middle dot (买买提·艾力) between them
_HAN = (("\u4e00", "\u9fff"), ("\u3400", "\u4dbf"), ("\uf900", "\ufaff"),
        ("\U00020000", "\U0002fa1f"))


def _cjk(part: str) -> bool:
    """Whether `part` is Chinese characters only (a middle dot between them allowed)."""
    letters = [char for char in part if char not in NAME_DOTS]
    return bool(letters) and part[0] not in NAME_DOTS and part[-1] not in NAME_DOTS and all(
        any(low <= char <= high for low, high in _HAN) for char in letters)


#: a name spaced out character by character (陈 静, 王 小 明) is one person up to this many;
#: more (王 芳 李 娜) may be two people's names, 王芳 and 李娜: asked, never guessed
MAX_SPACED_CHARACTERS = 3


def _one_name(parts: list[str]) -> bool:
    """Whether the spaced parts, with no staff list to look them up in, can only be one
    person's name: single characters apart (陈 静, 王 小 明, not 王 芳 李 娜), or a surname then
    the given name (李 小明, 欧阳 娜娜): neither 李 nor 欧阳 alone is anyone's name."""
    if not all(_cjk(part) for part in parts):
        return False
    if all(len(part) == 1 for part in parts):
        return len(parts) <= MAX_SPACED_CHARACTERS
    return (len(parts) == 2 and (len(parts[0]) == 1 or parts[0] in COMPOUND_SURNAMES)
            and 1 <= len(parts[1]) <= 2)


def _mixed(word: str) -> bool:
    """Chinese characters and Latin letters run together (张伟Zhang): no one's name as typed."""
    word = name_folded(word)  # 张伟ＺＨＡＮＧ: full-width letters as a Chinese IME types them
    return any(_cjk(char) for char in word) and any(char.isascii() and char.isalpha()
                                                    for char in word)


#: what separates the people of a list as clerks type it: commas (, ，), 、, and / ／ ; ；
_NAME_SEPARATORS = "[,，、/／;；]"


def names_nobody(value: str) -> bool:
    """Whether a typed name is empty once what a pasted list puts around names is taken off:
    spaces, bullets and middle dots (`•`, `·`), the separators of a list (`、`): refused as
    an empty value is, never taken as typed."""
    return re.sub(f"{_NAME_SEPARATORS}|[\\s{NAME_DOTS}]", "", value) == ""


def split_names(value: str) -> list[str]:
    """The people of a typed list: `lina,wangqiang`, `李娜，王强`, `李娜、王强`, `张伟/李娜`,
    `赵磊;刘洋` (each one's words, spaces inside kept for the lookup): choices.split_list
    with a person's separators."""
    return split_list(value, _NAME_SEPARATORS)


def _mixed_refusal(word: str, several: bool) -> InputError:
    """The refusal of a name running Chinese and letters together (_mixed: 张伟Zhang), with a
    staff list or without; `several`: it was one of a list."""
    refusal = t("'{named}' mixes Chinese characters and letters: write one person's name one "
                "way (张伟 or Zhang Wei)", named=word)
    return InputError(t("{refusal}, several people separated by 、", refusal=refusal)
                      if several else t("{refusal}; one person goes here", refusal=refusal))


def _unchecked(named: str, several: bool = False) -> list[str]:
    """The people `named` names, with no staff list to look them up in: spaced Chinese parts
    that are one name (_one_name: 陈 静, 李 小明, 欧阳 娜娜) are that name without the spaces,
    as a lookup would find; letters (Zhang Wei) stay as typed, as before any staff list.
    `several` (a list of people): a list (赵磊、刘洋, 赵磊/刘洋) is its people, full names with
    spaces between them (赵磊 刘洋) too; spaced parts that may be one person or several
    (赵 磊 刘洋, 王 芳 李 娜, Zhang Wei) are refused, asking for 、 between people. Otherwise
    one person: anything else is refused. Chinese and letters run together (张伟Zhang) are
    refused either way."""
    words = split_names(named) or [named]
    people: list[str] = []
    for word in words:
        word = _unbulleted(word)
        parts = word.split()
        if _mixed(word):  # 张伟Zhang, 张伟 Zhang
            raise _mixed_refusal(word, several)
        if _one_name(parts) or len(parts) < 2:
            # 阿依・买买提 is 阿依·买买提, 张伟２ 张伟2, ＬｉＮａ LiNa: one person however typed
            people.append(name_folded("".join(parts)))
        elif several and _several(parts):
            people.extend(parts)
        elif not several and all(name_folded(part).isascii() for part in parts):
            people.append(name_folded(" ".join(parts)))  # Ｚｈａｎｇ Ｗｅｉ is Zhang Wei
        elif several:
            # nobody to look them up in: 赵 磊 刘洋, 王 芳 李 娜, Zhang Wei, lina wangqiang
            # may be one or several: asked, never guessed
            raise InputError(t("'{named}': one person or several? There is no staff list in "
                               "rosters/{rules} to look the names up in: write several people "
                               "separated by 、 (赵磊、刘洋), one person's name without spaces",
                               named=" ".join(parts), rules=RULES_FILE))
        else:  # 赵磊 刘洋, 王 芳 李 娜 where one person goes
            raise InputError(t("'{named}' is not one person's name (there is no staff list in "
                               "rosters/{rules} to look it up in): write one person's name, "
                               "without spaces", named=" ".join(parts), rules=RULES_FILE))
    return people


def _bullet_off(word: str) -> str:
    """`word` without a bullet a pasted list puts before a name (•李娜, · 李娜: 李娜), with or
    without a staff list to look it up in; as typed when nothing else is left."""
    stripped = word.strip()
    if stripped[:1] in NAME_DOTS:
        stripped = stripped.lstrip(NAME_DOTS + " \u3000")
    return stripped or word


def _unbulleted(word: str) -> str:
    """A name with no staff list to look it up in, without the bullet a pasted list puts before
    it (•李娜, · 李娜: 李娜); a dot at its end (李娜•, 阿依·) is refused: a slip, or a name cut
    short (阿依·买买提), never guessed. A dot between two names (张伟·李娜) stays one name: a
    middle dot joins the parts of one person's name (阿依·买买提), and which are two people
    cannot be told without a staff list."""
    stripped = _bullet_off(word)
    if stripped and stripped[-1] in NAME_DOTS:
        raise InputError(t("'{named}' ends with a middle dot: write the whole name, like "
                           "阿依·买买提, or the name without the dot ({bare})", named=stripped,
                           bare=stripped.rstrip(NAME_DOTS + " \u3000")))
    return stripped or word


def resolve_staff_list(workspace, typed: Iterable[str]) -> list[str]:
    """Staff ids of several people, each typed by id or name, given one by one or as a list
    (`lina,wangqiang`, `李娜，王强`, `李娜、王强`, `李娜/王强`, and `李娜 王强` when no one is
    named so: `陈 静` is still 陈静); each once, in the order typed. The staff list is read
    once."""
    known = known_staff(workspace)
    words = [word for value in typed for word in split_names(value)]
    return list(dict.fromkeys(person for word in words
                              for person in _one_or_spaced(known, word)))


def _several(parts: list[str]) -> bool:
    """Whether spaced parts, with no staff list, are clearly several people: each a full
    Chinese name of two to four characters (赵磊 刘洋), none a surname alone (欧阳)."""
    return (not _one_name(parts) and all(_cjk(part) and 2 <= len(part) <= 4
                                         and part not in COMPOUND_SURNAMES for part in parts))


def _one_or_spaced(known: dict[str, str] | None, word: str) -> list[str]:
    """The people `word` (one of a list) names, looked up in `known` (None: no staff list:
    `_unchecked`); a word with spaces that names no one as a whole is the people its parts
    name (each one of them); when some part names someone, the refusal of the first part that
    does not (李四 unknown, 张伟 shared by two, with their ids): the clerk sees which name to
    fix; else (no part names anyone) the refusal of the whole word."""
    if known is None:
        _check_text(word)
        return _unchecked(word, several=True)
    try:
        return [_one_person(word, known, several=True)]
    except DutyError as refused:
        if len(word.split()) < 2:
            raise
        found, failed = _parts_people(word, known)
        if not failed:
            return found  # 李娜 wangqiang: a name and an id are two people
        if _mixed(word):  # 张伟 Zhang: one way of writing, as without a list
            raise _mixed_refusal(word, several=True) from None
        raise (failed[0] if found else refused) from None


def _parts_people(word: str, known: dict[str, str]) -> tuple[list[str], list[DutyError]]:
    """The people the spaced parts of `word` name, each looked up alone, and the refusals of
    the parts that name no one."""
    found, failed = [], []
    for part in word.split():
        try:
            found.append(_one_person(part, known))
        except DutyError as error:
            failed.append(error)
    return found, failed

