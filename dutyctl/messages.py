"""User-facing text goes through gettext: `t()` for a sentence, `tn()` for a counted one.

The English text is the message id; the catalogues are standard gettext files in
`dutyctl/locale/<lang>/LC_MESSAGES/dutyctl.po`, compiled to `.mo` beside them (committed, so an
installed dutyctl needs nothing else; `python tools/i18n.py update` extracts and compiles).

The language is chosen, first match wins: `--lang`, `$DUTYCTL_LANG`, `site.language` in
dutyctl.yaml, the POSIX locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English; any Chinese
name (zh_TW, zh_HK) means zh_CN. The choice is made once and kept (looking it up cost four
environment reads on every translated word); each command line, `--lang`, a site's language
and `speaking()` make it again, and so does `forget_language()` (the tests call it when they
change the environment).
"""

from __future__ import annotations

import os
from pathlib import Path

DOMAIN = "dutyctl"
LOCALE_DIR = Path(__file__).with_name("locale")
ENGLISH = "en"
#: Languages with a catalogue, and the locale names that mean them.
LANGUAGES = {"zh_CN": ("zh_cn", "zh", "zh_hans", "zh_hans_cn", "zh_sg")}
#: The catalogue for every other locale of a language: a Chinese one without its own
#: (zh_TW, zh_HK, zh_MO, zh_Hant) reads simplified Chinese, far closer to it than English.
FAMILIES = {"zh": "zh_CN"}

_chosen: dict[str, str | None] = {"option": None, "site": None}
_loaded: dict[str, object] = {}
_active: list = []  # [(language, its translations)] once chosen; emptied when a choice changes


def N_(text: str) -> str:
    """Marks a message for extraction where it is defined (a table of labels); `t()` translates
    it where it is shown."""
    return text


def NP_(context: str, text: str) -> tuple[str, str]:
    """`N_()` for a word with a context (msgctxt): `NP_("status", "closed")` is translated
    where it is shown with `pgettext(*word)`; "closed" as a status and as a header differ."""
    return context, text


def normalise(code: str | None) -> str | None:
    """`zh_CN.UTF-8`, `zh-cn`, `zh_Hans`, `zh_TW` → `zh_CN`; `en_US`, `C`, `POSIX` → `en`;
    unknown → None."""
    if not code:
        return None
    base = code.split(".")[0].split("@")[0].replace("-", "_").lower()
    if base in ("c", "posix") or base == "en" or base.startswith("en_"):
        return ENGLISH
    for language, names in LANGUAGES.items():
        if base in names:
            return language
    return FAMILIES.get(base.split("_")[0])


def forget_language() -> None:
    """The language is chosen again at the next word (after the environment changed)."""
    _active.clear()


def start_invocation(option: str | None) -> None:
    """Each command line starts afresh: its `--lang` (or none) and no site language yet."""
    _chosen["option"] = option
    _chosen["site"] = None
    forget_language()


def set_option_language(code: str | None) -> None:
    """`--lang` of this command line."""
    _chosen["option"] = code
    forget_language()


def set_site_language(code: str | None) -> None:
    """`site.language` of the workspace just read."""
    _chosen["site"] = code
    forget_language()


def language_in_config(text: str) -> str | None:
    """`site.language` found in the text of a dutyctl.yaml line by line, without loading (and
    validating) it: help screens and completion are drawn before any configuration is read.
    (A pattern over the whole text backtracked for milliseconds on every command.)"""
    inside_site = False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            if inside_site:
                return None
            inside_site = line.startswith("site:")
            continue
        key, _, value = line.strip().partition(":")
        if inside_site and key == "language":
            return value.split("#")[0].strip().strip("\"'") or None
    return None


def explicit_language() -> str | None:
    """The language the user asked for (`--lang`, `$DUTYCTL_LANG`), or None."""
    return normalise(_chosen["option"]) or normalise(os.environ.get("DUTYCTL_LANG"))


def current_language() -> str:
    if not _active:
        language = _choose()
        _active.append((language, _translations_for(language)))
    return _active[0][0]


def _choose() -> str:
    for candidate in (_chosen["option"], os.environ.get("DUTYCTL_LANG"), _chosen["site"],
                      os.environ.get("LC_ALL"), os.environ.get("LC_MESSAGES"),
                      os.environ.get("LANG")):
        language = normalise(candidate)
        if language:
            return language
    return ENGLISH


def _translations():
    if not _active:
        current_language()
    return _active[0][1]


def _translations_for(language: str):
    found = _loaded.get(language)
    if found is None:
        import gettext

        found = gettext.NullTranslations()
        if language != ENGLISH:
            mo = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
            try:
                with mo.open("rb") as handle:
                    found = gettext.GNUTranslations(handle)
            except OSError:
                pass
        _loaded[language] = found
    return found


def gettext(text: str) -> str:
    """The bare translation of `text` (no placeholders filled): for help texts and labels."""
    return _translations().gettext(text)


def t(template: str, /, **values: object) -> str:
    """Translate `template` for the user's language and fill in `values`."""
    text = _translations().gettext(template)
    return text.format(**values) if values else text


def pgettext(context: str, text: str) -> str:
    """The bare translation of `text` in `context` (a word marked with NP_)."""
    return _translations().pgettext(context, text)


def tp(context: str, template: str, /, **values: object) -> str:
    """`t()` for a word that means different things in different places (pgettext)."""
    text = _translations().pgettext(context, template)
    return text.format(**values) if values else text


def tn(singular: str, plural: str, count: int, /, **values: object) -> str:
    """A counted sentence (`{count}` is filled in too): ngettext picks the form."""
    text = _translations().ngettext(singular, plural, count)
    return text.format(count=count, **values)


class speaking:
    """`with speaking(language):` translates in that language (None: the current one), e.g. a
    notification in the site's language whatever the desk's `--lang`."""

    def __init__(self, language: str | None):
        self.language = language
        self.saved: str | None = None

    def __enter__(self) -> "speaking":
        self.saved = _chosen["option"]
        if self.language:
            set_option_language(self.language)
        return self

    def __exit__(self, *exc: object) -> None:
        set_option_language(self.saved)
