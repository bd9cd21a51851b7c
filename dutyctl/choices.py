"""A value typed by its id or by its label: one resolver for every choice the desk is asked.

Categories, urgency classes, departments, emergency types, roles, shifts, kinds, statuses and
staff are stored by id; people type the id or the word they see (物业费咨询, 急修, 已关闭, 陈静).
`resolve` turns either into the id; a refusal names every choice as `label (id)`. Records keep
ids: a label is never written into a data file.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Sequence, TypeVar

from dutyctl.errors import InputError, NotFound
from dutyctl.folding import name_folded
from dutyctl.messages import N_, current_language, gettext, t, tn, tp
from dutyctl.words import edits as _edits, fewest_edits

#: id -> its label, or (label shown, other words accepted for it)
Choices = Mapping[str, "str | Sequence[str]"]


def _words(labels: str | Sequence[str]) -> list[str]:
    return [labels] if isinstance(labels, str) else [str(label) for label in labels]


def shown(choice_id: str, labels: str | Sequence[str]) -> str:
    """`物业费咨询 (fee)` (`物业费咨询（fee）` in Chinese, as `Names.person` tells two 陈静
    apart); the bare id when the label is the id."""
    words = _words(labels)
    label = words[0] if words else choice_id
    return choice_id if label == choice_id else t("{name} ({id})", name=label, id=choice_id)


def describe(choices: Choices, only: Sequence[str] | None = None, *,
             builtin: bool = False) -> str:
    """Every choice (or those in `only`) as `label (id)`, in the configured order. `builtin`:
    the ids are no word of the reader's (dutyctl's own English ones, record kinds and
    statuses; a site's staff and shifts, whose names are typed as well): a screen in another
    language shows the labels alone (来电、投诉, not 来电（call）; 张伟, not 张伟（zhangwei）), the
    id only where two choices share a label; the typed id is still read."""
    listed = [(choice_id, labels) for choice_id, labels in choices.items()
              if only is None or choice_id in only]
    if not builtin or current_language().startswith("en"):
        return _joined([shown(choice_id, labels) for choice_id, labels in listed])
    # shared among all the choices, not only those listed: a guess (`only`, one) of 王强
    # where two are called so names which
    label = {choice_id: (_words(labels) or [choice_id])[0]
             for choice_id, labels in choices.items()}
    clashing = {word for word in label.values() if list(label.values()).count(word) > 1}
    return _joined([shown(choice_id, labels) if label[choice_id] in clashing
                    else label[choice_id] for choice_id, labels in listed])


def _joined(texts: Sequence[str]) -> str:
    """The choices in a row, each told apart: where one holds the separator itself (a
    checklist item 报修单、投诉登记表等表单齐全 beside 、), by a stronger one (；, `; `)."""
    separator = t(", ")
    if any(separator.strip() in text for text in texts):
        separator = t("; ")
    return separator.join(texts)


Item = TypeVar("Item")
SEVERAL_SHOWN = 10  # what a refusal of a value naming several things lists before 'and N more'


def several(found: Sequence[Item], said: Callable[[Item], str]) -> str:
    """What a typed value names when it names several (records, residents): the first
    SEVERAL_SHOWN, each as `said` says it, joined with t(", "), then how many more; for the
    refusal's whole sentence ("'3-2-501' names 12 open records: {records}; give the id ...")."""
    shown = t(", ").join(said(item) for item in found[:SEVERAL_SHOWN])
    if len(found) > SEVERAL_SHOWN:
        shown = tn("{shown} and {count} more", "{shown} and {count} more",
                   len(found) - SEVERAL_SHOWN, shown=shown)
    return shown


def matches(value: str, choices: Choices, partial: bool = True) -> list[str]:
    """The ids `value` names: its id; else every choice with that label (or accepted word);
    else an id that differs only in case; else (with `partial`, two characters or more) every
    label that contains it (居委会 -> 社区居委会). Several ids: the value is ambiguous."""
    typed = value.strip()
    if typed in choices:
        return [typed]
    if pasted := _as_shown(typed, choices):
        return [pasted]
    folded = typed.casefold()
    by_label = [choice_id for choice_id, labels in choices.items()
                if any(word.strip().casefold() == folded for word in _words(labels))]
    if by_label:
        return by_label
    by_id = [choice_id for choice_id in choices if choice_id.casefold() == folded]
    if by_id or not partial or len(typed) < 2:
        return by_id
    return [choice_id for choice_id, labels in choices.items()
            if any(folded in word.casefold() for word in _words(labels))]


#: a choice as `shown` says it, label then id in brackets: 门窗（doors-windows）, 王强 (wangqiang)
_SHOWN = re.compile(r"(?P<label>.+?)\s*[（(]\s*(?P<id>[^()（）]+?)\s*[)）]")


def _as_shown(typed: str, choices: Choices) -> str | None:
    """The id of a choice typed as a refusal or a list shows it (`label (id)`, copied back
    from the screen), when the label is that id's; else None."""
    found = _SHOWN.fullmatch(typed)
    if found is None or found["id"] not in choices:
        return None
    label = found["label"].strip().casefold()
    words = _words(choices[found["id"]]) or [found["id"]]
    return found["id"] if any(word.strip().casefold() == label for word in words) else None


def near(value: str, choices: Choices, one_off: bool = False) -> list[str]:
    """The id of the choice `value` (naming none) was likely meant as, by a near label,
    accepted word or id (噪声 -> noise, shown 噪音), as a list: empty when nothing is near or
    when another choice is as near by edit distance (晚班 is one character from 白班 and from
    夜班, 夜间班 one from 夜班 and from 夜间备班: a guess between them is a coin toss, and a
    wrong guess is worse than none). `one_off`: only words one character added, dropped or
    changed away (a role guessed must be the one meant: 客服专元 is 客服专员, never 客服主管)."""
    by_word: dict[str, str] = {}
    for choice_id, labels in choices.items():
        for word in (*_words(labels), choice_id):
            by_word.setdefault(word.strip().casefold(), choice_id)
    from dutyctl.words import near_words

    typed = value.strip().casefold()
    by_word = {word: choice_id for word, choice_id in by_word.items()
               if not _opposite(typed, word)}  # never guessed, nor a rival of a guess
    if one_off:  # every near word weighed, not the three closest by ratio alone
        found = [word for word in near_words(typed, list(by_word), n=len(by_word))
                 if _edits(typed, word, swaps=False) == 1]
    else:
        found = near_words(typed, list(by_word))
    return _unambiguous(typed, {by_word[word] for word in found}, by_word)


NOT_YET = "未没不"  # a word's first character saying "not (yet)": 未关闭, 没关闭, 不在岗
DONE = "已"  # ... and "done": 已关闭
NEGATIONS = ("not ", "not-", "un")  # English: not closed, unresolved


def _opposite(typed: str, word: str) -> bool:
    """`typed` says the opposite of `word`: 未关闭 of 已关闭, `not closed` of closed (a
    guess of 已关闭 for 未关闭 would list what was not meant; 待派工 for 未派工 is no
    opposite, and stays a guess)."""
    if len(typed) == len(word) > 1 and typed[1:] == word[1:]:
        return typed[0] in NOT_YET and word[0] in DONE
    return any(typed == negation + word for negation in NEGATIONS)


def _unambiguous(typed: str, found: set[str], by_word: Mapping[str, str]) -> list[str]:
    """The one id (of those `found` near) strictly nearest `typed` by edit distance over every
    word of every choice (`by_word`, word -> id); none when another id has a word as few edits
    away. By edits, not by a ratio that favours the longer word (夜间班: 夜间备班 over 夜班)."""
    if not found:
        return []
    nearest = {by_word[word] for word in fewest_edits(typed, list(by_word))}
    return list(nearest) if len(nearest) == 1 and nearest <= found else []


def either(words: Sequence[str]) -> str:
    """Words as alternatives: "a or b", "a, b or c" (待处理、处理中或已转交)."""
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    if all(word.isascii() for word in words):  # repair 或 report: spaced between Latin words
        return tp("Latin words", "{some} or {last}", some=t(", ").join(words[:-1]),
                  last=words[-1])
    return t("{some} or {last}", some=t(", ").join(words[:-1]), last=words[-1])


#: what separates the words of a typed list: commas (, ，) and 、
LIST_SEPARATORS = "[,，、]"


def split_list(value: str, separators: str = LIST_SEPARATORS) -> list[str]:
    """The words of a typed list: `lina,wangqiang`, `李娜，王强`, `李娜、王强`; `separators` (a
    regular expression's class): wider for people (people.split_names: 张伟/李娜), not for
    statuses, roles or report words, whose labels a site may write with / in them."""
    return [word.strip() for word in re.split(separators, value) if word.strip()]


def several_in_one(value: Any) -> bool:
    """`水电，门窗` in a YAML list: two entries a full-width comma joined into one (YAML
    separates a flow list's entries with the half-width comma alone)."""
    return isinstance(value, str) and len(split_list(value, "，")) > 1


def several_entries(value: str) -> str:
    """The refusal of `several_in_one`."""
    return t("'{value}' is several entries joined by a full-width comma: separate them with a "
             "half-width comma ','", value=value)


def resolve(value: str, choices: Choices, unknown: str, partial: bool = True, *,
            none: str | None = None, builtin: bool = False,
            listed: Sequence[str] | None = None) -> str:
    """The id that `value` names among `choices`; InputError naming every choice when there is
    none or more than one. `unknown` is the refusal of a value no choice has, a whole sentence
    written for this list with `{value}` and `{choices}`, marked where it is written
    (N_("unknown shift '{value}'; choose one of: {choices}")): a noun pasted into one shared
    sentence reads wrong in Chinese. `none` ({value}): the refusal when the list is empty, for
    a list a site configures. `partial=False`: a part of a label names nothing (see matches).
    `builtin`: the ids are dutyctl's own (kinds, statuses): listed by label alone outside
    English (see describe). `listed`: the words the refusal lists instead of one a choice
    (a status: every kind's own word for it, 待派工 and 处置中 beside 待处理)."""
    found = matches(value, choices, partial)
    if len(found) == 1:
        return found[0]
    if found and builtin and not current_language().startswith("en"):
        # dutyctl's own ids (dispatched, open) are no word of the clerk's: the words meant
        raise InputError(t("'{value}' could be any of: {candidates}; write one of them in full",
                           value=value, candidates=t(", ").join(_words_meant(value, choices,
                                                                              found))))
    if found:
        raise InputError(t("'{value}' could be any of: {candidates}; give the id",
                           value=value, candidates=describe(choices, found)))
    if not choices:
        raise InputError(gettext(none).format(value=value) if none else t(
            "there is nothing to choose from, so '{value}' cannot be used", value=value))
    refusal = gettext(unknown).format(value=value, choices=_joined(listed) if listed
                                      else describe(choices, builtin=builtin))
    # a slip of one character (噪声 for 噪音): say which, after the whole list
    raise InputError(with_guesses(refusal, choices, near(value, choices), builtin))


def _words_meant(value: str, choices: Choices, found: Sequence[str]) -> list[str]:
    """The words of the choices `found` that `value` is part of (派工: 已派工, 待派工; not the
    first label of a status whose other word matched, 待处理 for 待派工), each once."""
    folded = value.strip().casefold()
    meant: dict[str, None] = {}
    for choice_id in found:
        labels = _words(choices[choice_id]) or [choice_id]
        containing = [word for word in labels if folded in word.casefold()]
        meant.update(dict.fromkeys(containing or labels[:1]))
    return list(meant)


def with_guesses(refusal: str, choices: Mapping[str, str], meant: Sequence[str],
                 builtin: bool = False) -> str:
    """A refusal, then "did you mean A or B?" when `meant` names likely choices."""
    if not meant:
        return refusal
    return t("{refusal}; did you mean {names}?", refusal=refusal, names=either(
        [describe(choices, [choice_id], builtin=builtin) for choice_id in meant]))


def resolve_staff(value: str, staff: Mapping[str, str], where: str) -> str:
    """A staff id from an id or a name (陈静); NotFound listing the staff as `陈静 (chenjing)`
    when nobody or several people have that name. `where` names the staff list's file."""
    found = matches(value, staff, partial=False)  # who acts is never guessed from part of a name
    if not found:
        found = _unspaced(value, staff)
    if not found and not value.isascii():  # 张伟２ typed in full-width mode for the id 张伟2,
        # 阿依・买买提 for 阿依·买买提: both sides folded (name_folded)
        folded = name_folded(value)
        names = {staff_id: name_folded(str(name)) for staff_id, name in staff.items()}
        found = matches(folded, names, partial=False) or _unspaced(folded, names)
    if len(found) == 1:
        return found[0]
    if found:
        raise NotFound(t("'{value}' is the name of more than one staff member: {candidates}; "
                         "give the id", value=value, candidates=describe(staff, found)))
    # by name alone on a Chinese screen (张伟, not 张伟（zhangwei）: an id a clerk never types),
    # the id only beside a name two people share
    refusal = t("no staff member '{value}' in {file}; choose one of: {choices}",
                value=value, file=where, choices=describe(staff, builtin=True))
    # 王师傅: the desk's way of naming 王强, said, never taken for him (staff_guesses)
    raise NotFound(with_guesses(refusal, staff, staff_guesses(value, staff), builtin=True))


def staff_guesses(value: str, staff: Mapping[str, str]) -> list[str]:
    """Whom a name no staff member has (`staff`: id -> name) may have meant: the colleague a
    form of address names (王师傅 for 王强), or a name of the very same sound, another
    character of the input method's (陈晶 for 陈静, 孙莉 for 孙丽); never a name that only looks
    near (李四 or 李南 for 李娜: another person, perhaps one the rules do not list)."""
    return _addressed(value, staff) or _sounding_alike(value, staff)


def _sounding_alike(value: str, staff: Mapping[str, str]) -> list[str]:
    """The staff whose name sounds as `value` does (sounds.sounding_alike)."""
    if value.isascii():
        return []  # an id or a name in letters: nothing to hear
    from dutyctl.sounds import sounding_alike

    return sounding_alike(name_folded(value), {staff_id: str(name)
                                               for staff_id, name in staff.items()})


#: how the desk addresses a colleague by the surname: 王师傅, 李工, 小王, 老张
_ADDRESS = re.compile(r"(?:小|老)?(?P<surname>\w)(?:师傅|师父|工|姐|哥)?")


def form_of_address(value: str) -> bool:
    """`value` is how one addresses someone by the surname (王师傅, 李工, 小王, 老张), not a
    whole name: what the staff lookup reads (`_addressed`), said of a resident's name too."""
    return _surname_addressed(value) is not None


def _surname_addressed(value: str) -> str | None:
    """The surname of `value` written as a form of address (王 of 王师傅), else None."""
    typed = "".join(value.split())
    found = _ADDRESS.fullmatch(typed)
    if found is None or typed == found["surname"] or found["surname"].isascii():
        return None
    return found["surname"]


def _addressed(value: str, staff: Mapping[str, str]) -> list[str]:
    """The staff a form of address (王师傅, 小王, 老张) may mean: those whose name starts with
    its surname, when it is written as one (an id or a whole name is not)."""
    surname = _surname_addressed(value)
    if surname is None:
        return []
    return [staff_id for staff_id, name in staff.items() if str(name).startswith(surname)]


def _unspaced(value: str, staff: Mapping[str, str]) -> list[str]:
    """The staff a name typed with spaces inside names (陈 静, 陈　静 for 陈静; Li Na for
    LiNa): every id or name equal once the spaces are taken out of both."""
    squeezed = "".join(value.split()).casefold()
    if squeezed == value.strip().casefold():
        return []
    return [staff_id for staff_id, name in staff.items()
            if squeezed in ("".join(str(name).split()).casefold(), staff_id.casefold())]


# -- the roster's choices (rules from rosters/rules.yaml, roles from dutyctl.yaml) --------------

def staff_of(rules, typed: str) -> str:
    """A staff member of the roster rules, typed by id or name (陈静)."""
    return resolve_staff(typed, {member.id: member.name for member in rules.staff},
                         "rosters/rules.yaml")


def shift_of(rules, typed: str) -> str:
    """A shift of the roster rules, typed by id or name (夜班)."""
    return resolve(typed, {shift.id: shift.name for shift in rules.shifts},
                   N_("unknown shift '{value}'; choose one of: {choices}"),
                   none=N_("rosters/rules.yaml lists no shift, so '{value}' cannot be one"),
                   builtin=True)  # by name on a Chinese screen: 白班, not 白班（day）


def category_of(config, kind: str, requested: str | None, unknown: str) -> str:
    """A category of the kind in dutyctl.yaml, typed by id or label (物业费咨询); the kind's
    default when none is given. `unknown`: the kind's refusal of a category not in its list
    (its KindSpec.category)."""
    catalogue = config.categories.get(kind)  # none: the site lists no category of the kind
    if requested is None:
        return catalogue.default if catalogue is not None else None
    return resolve(requested, catalogue.names if catalogue is not None else {}, unknown,
                   none=N_("dutyctl.yaml lists no category for this kind of record, so "
                           "'{value}' cannot be one"))


def category_named_in(config, kind: str, text: str) -> str | None:
    """The category of the kind whose label the text names (楼上装修噪音 → 噪音; the longest
    label where several do), else None: a ticket filed without a category."""
    catalogue = config.categories.get(kind)
    named = [(len(label), key) for key, label in (catalogue.names.items() if catalogue else ())
             if label and label in (text or "")]
    return max(named)[1] if named else None


def role_of(config, typed: str) -> str:
    """A role of dutyctl.yaml, typed by id or name (维修工)."""
    return resolve(typed, config.roles.names,
                   N_("unknown role '{value}'; choose one of: {choices}"),
                   none=N_("dutyctl.yaml lists no role, so '{value}' cannot be one"))
