"""User-facing text goes through `t()`, gettext style: the English text is the key.

A translation is a dict from English template to translated template; `DUTYCTL_LANG=zh_CN`
picks it. Keeping one entry point means a zh_CN catalogue can be added without touching callers.
"""

from __future__ import annotations

import os

CATALOGUES: dict[str, dict[str, str]] = {"zh_CN": {}}


def _catalogue() -> dict[str, str]:
    lang = os.environ.get("DUTYCTL_LANG", "")
    return CATALOGUES.get(lang.split(".")[0], {})


def t(template: str, /, **values: object) -> str:
    """Translate `template` for the user's language and fill in `values`."""
    text = _catalogue().get(template, template)
    return text.format(**values) if values else text
