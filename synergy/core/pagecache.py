"""Shared page parts cached under versioned keys, never stale (issue 19).

A cached part is stored under a key that embeds the current version of every namespace it reads
from ("catalogue", "villages", "channel", "product:<id>" ...). A write that changes what a
namespace shows calls `bump(...)`: the version changes, so the next request builds the part
again from the database; the old entry is never read again and simply expires.

`bump` runs twice: at once (so reads later in the same transaction, and tests, see the change)
and again after commit (STYLE.md "side effects after commit"), so a reader that rebuilt the part
from the database between the two, still seeing the old rows, stored it under a key nobody asks
for any more.

Versions live in the Django cache (`CACHE_URL`: Redis, shared by every gunicorn worker and
node). With the default local-memory cache each process has its own versions, so page caching
is on only when `CACHE_URL` is set, or when `PAGE_CACHE=true` says there is one process (tests,
`runserver`). With it off, every helper here builds the part each time.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation

_VERSION = "pcv:"


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE", False))


def _fresh_version() -> int:
    # Never reused, even if a version key is evicted: a restarted count could meet old entries.
    return time.time_ns()


def versions(names: Iterable[str]) -> str:
    """The current versions of `names`, joined for a key (one cache round trip)."""
    names = list(names)
    keys = [_VERSION + n for n in names]
    found = cache.get_many(keys)
    missing = {k: _fresh_version() for k in keys if k not in found}
    if missing:
        for key, value in missing.items():
            if not cache.add(key, value, timeout=None):  # another worker set it first
                value = cache.get(key, value)
            found[key] = value
    return ".".join(str(found[k]) for k in keys)


def _bump_now(names: tuple[str, ...]) -> None:
    for name in names:
        key = _VERSION + name
        try:
            cache.incr(key)
        except ValueError:  # not set yet: any fresh value differs from every old key
            cache.set(key, _fresh_version(), timeout=None)


def bump(*names: str) -> None:
    """The parts reading `names` change: now, and again once the transaction commits."""
    names = tuple(dict.fromkeys(n for n in names if n))
    if not names or not enabled():
        return
    _bump_now(names)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_now(names))


def key(kind: str, names: Iterable[str], *parts) -> str:
    """A key for `kind` at the current versions of `names`, per language; `parts` say what else
    the part depends on (a path and query, a host)."""
    raw = "|".join([kind, versions(names), translation.get_language() or "", *map(str, parts)])
    return "pc:" + hashlib.sha1(raw.encode()).hexdigest()


def get_or_build(cache_key: str | None, build: Callable[[], tuple[object, int | None]]):
    """The cached value under `cache_key`, or `build()` -> (value, seconds it may live or None for
    the default), stored. `cache_key` None (caching off) builds every time."""
    if cache_key is None:
        return build()[0]
    value = cache.get(cache_key)
    if value is None:
        value, seconds = build()
        ttl = settings.PAGE_CACHE_SECONDS if seconds is None else min(
            seconds, settings.PAGE_CACHE_SECONDS)
        if ttl > 0:
            cache.set(cache_key, value, ttl)
    return value


def etag_for(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def if_none_match(request, etag: str) -> bool:
    """The client already holds this version (If-None-Match lists it, or is *)."""
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


# --- HTML fragments shared by every visitor ----------------------------------------------------

# Rendered in place of the CSRF token in a cached fragment; each response puts its own token in.
CSRF_PLACEHOLDER = "csrf-token-placeholder-3f9c1e"


def seconds_until(moments) -> int | None:
    """Seconds until the earliest of `moments` (aware datetimes; None ignored), at least 1: a
    fragment listing what closes then must be rebuilt when it closes. None if there is none."""
    from django.utils import timezone  # noqa: PLC0415

    now = timezone.now()
    left = [(m - now).total_seconds() for m in moments if m is not None]
    return max(1, int(min(left))) if left else None


def with_csrf(request, html: str) -> str:
    """A cached fragment with this visitor's CSRF token (sets the cookie if need be)."""
    if CSRF_PLACEHOLDER not in html:
        return html
    from django.middleware.csrf import get_token  # noqa: PLC0415

    return html.replace(CSRF_PLACEHOLDER, get_token(request))
