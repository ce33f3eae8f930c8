"""Sentences kept in every language of the site, for records read later by people who may read
another language than the one the writer (or the Celery worker) had active."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils import translation


def in_every_language(sentence: Callable[[], str], *, limit: int) -> dict[str, str]:
    """{language code: the sentence rendered in it}, each cut to `limit` characters."""
    texts: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(sentence())[:limit]
    return texts


def in_active_language(texts: dict[str, str], fallback: str = "") -> str:
    """The text of `in_every_language` for the active language, else `fallback`."""
    return (texts or {}).get(translation.get_language() or "") or fallback
