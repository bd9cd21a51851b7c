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
LANGUAGES = {"zh_CN": ("zh_cn", "zh", "zh_hans", "zh_hans_cn", "zh_sg", "中文", "简体中文", "汉语")}
#: The catalogue for every other locale of a language: a Chinese one without its own
#: (zh_TW, zh_HK, zh_MO, zh_Hant) reads simplified Chinese, far closer to it than English.
FAMILIES = {"zh": "zh_CN"}

_chosen: dict[str, str | None] = {"option": None, "site": None, "typed": None}
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


def join_lines(text: str) -> str:
    """The lines of a paragraph as one: no space between two Chinese characters (a translation
    keeps the English line breaks), a space anywhere else."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    joined = lines[:1]
    for line in lines[1:]:
        glue = "" if not joined[-1][-1].isascii() and not line[0].isascii() else " "
        joined.append(glue + line)
    return "".join(joined)


def short_help(text: str) -> str:
    """The first sentence of a (cleaned) help text, for the list of commands (Chinese has no
    spaces for Click to cut at)."""
    first = join_lines(text.partition("\f")[0].split("\n\n")[0])
    for stop in ("。", ". ", "："):
        if stop in first:
            return first.split(stop)[0] + ("。" if stop == "。" else "")
    return first.rstrip(".")


def normalise(code: str | None) -> str | None:
    """`zh_CN.UTF-8`, `zh-cn`, `zh_Hans`, `zh_TW`, `中文` → `zh_CN`; `en_US`, `C`, `POSIX`,
    `英文` → `en`; unknown → None."""
    if not code:
        return None
    base = code.split(".")[0].split("@")[0].replace("-", "_").lower()
    if base in ("c", "posix", "english", "英文", "英语") or base == "en" or base.startswith("en_"):
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
    _chosen["typed"] = None
    forget_language()


def set_typed_language(code: str | None) -> None:
    """The language the command was typed in (`dutyctl 初始化`: Chinese), chosen after the
    site's and before the machine's locale (C on a server says nothing of the person)."""
    _chosen["typed"] = code
    forget_language()


def set_option_language(code: str | None) -> None:
    """`--lang` of this command line."""
    _chosen["option"] = code
    forget_language()


def set_site_language(code: str | None) -> None:
    """`site.language` of the workspace just read."""
    _chosen["site"] = code
    forget_language()


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
                      _chosen["typed"], os.environ.get("LC_ALL"), os.environ.get("LC_MESSAGES"),
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
            found = _catalogue(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo") or found
        _loaded[language] = found
    return found


#: Bump when what a compiled catalogue keeps (see _catalogue) changes.
COMPILED_FORMAT = 1


def _catalogue(mo: Path):
    """The translations of the catalogue `mo` (None when it cannot be read). Parsing the
    .mo costs about 2 ms of every command; its parsed messages are kept as byte code is
    (`__pycache__/dutyctl.mo.<python>.marshal` beside it, or under PYTHONPYCACHEPREFIX,
    written unless PYTHONDONTWRITEBYTECODE, with its digest under the key kept in that
    folder: `caches.read_marshalled`) and used while the .mo keeps its size, time and inode:
    any other .mo, or a copy not written here, is parsed afresh. Nothing here ever stops a
    command."""
    import gettext
    import sys

    from dutyctl.caches import cache_key, read_marshalled

    try:
        info = os.stat(mo)
    except OSError:
        return None
    stamp = _mo_stamp(info)
    compiled = _compiled_path(mo)
    try:
        kept, catalog, headers, charset = read_marshalled(compiled, cache_key(compiled.parent))
        if kept == stamp and type(catalog) is dict and type(headers) is dict:
            return _compiled(catalog, headers, charset)
    except Exception:  # noqa: BLE001 - missing, damaged or foreign: the .mo decides
        pass
    try:
        with open(mo, "rb") as handle:
            parsed = gettext.GNUTranslations(handle)
    except OSError:
        return None
    if not sys.dont_write_bytecode and _still(mo, stamp):  # not rewritten while it was read
        _keep(compiled, (stamp, parsed._catalog, parsed._info, parsed._charset))
    return parsed


def _mo_stamp(info: os.stat_result) -> tuple:
    import sys

    return (COMPILED_FORMAT, sys.version_info[:2], info.st_size, info.st_mtime_ns, info.st_ino)


def _still(mo: Path, stamp: tuple) -> bool:
    try:
        return _mo_stamp(os.stat(mo)) == stamp
    except OSError:
        return False


def _compiled_path(mo: Path) -> Path:
    """Where the parsed copy of `mo` is kept: as Python keeps a module's byte code."""
    import sys

    name = f"{mo.name}.{sys.implementation.cache_tag}.marshal"
    if sys.pycache_prefix:
        folder = os.path.dirname(os.path.abspath(mo))
        return Path(sys.pycache_prefix, os.path.splitdrive(folder)[1].lstrip(os.sep), name)
    return mo.parent / "__pycache__" / name


def _keep(compiled: Path, payload: tuple) -> None:
    """`payload` written to `compiled` whole; a folder that cannot be written (an installed
    package, read-only) only means parsing the .mo next time."""
    from dutyctl.caches import cache_key, write_marshalled

    write_marshalled(compiled, payload, cache_key(compiled.parent, create=True))


def _compiled_class():
    import gettext
    from functools import cached_property

    class Compiled(gettext.GNUTranslations):
        """GNUTranslations of a parsed catalogue kept by _catalogue: the same messages,
        headers and charset; its plural rule read from its headers when first needed."""

        def __init__(self, catalog: dict, headers: dict, charset: str | None):
            super().__init__()  # no file: nothing parsed
            self._catalog, self._info, self._charset = catalog, headers, charset

        @cached_property
        def plural(self):
            # as GNUTranslations._parse reads the Plural-Forms header
            forms = self._info.get("plural-forms")
            if forms is None:
                return lambda n: int(n != 1)
            return gettext.c2py(forms.split(";")[1].split("plural=")[1])

    return Compiled


_made: list = []  # the class of _compiled_class, made once on first use (importing gettext)


def _compiled(catalog: dict, headers: dict, charset: str | None):
    if not _made:
        _made.append(_compiled_class())
    return _made[0](catalog, headers, charset)


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


def commit_language(site: str | None) -> str:
    """The language of the workspace's commit messages: the site's (site.language), else
    English; never a desk's own --lang (every desk shares the history)."""
    return normalise(site) or ENGLISH


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
