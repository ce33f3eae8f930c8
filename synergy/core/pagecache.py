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
import json
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation

_VERSION = "pcv:"


def bump_on_save(receivers) -> None:
    """Connect each (model, receiver) to post_save and post_delete, once (apps' ready())."""
    from django.db.models.signals import post_delete, post_save  # noqa: PLC0415

    for model, receiver in receivers:
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model,
                           dispatch_uid=f"pagecache-{model.__name__}-{id(signal)}")


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE", False))


def _fresh_version() -> int:
    # Never reused, even if a version key is evicted: a restarted count could meet old entries.
    return time.time_ns()


_CLIENTS: dict[tuple[int, bool], object] = {}


def _redis(write: bool = False):
    """This process's Redis client when the cache is Redis (Django's backend builds a client
    object on every call, a third of a cached request's time), else None. Writes go to the
    primary, reads may go to a replica when CACHE_URL names several servers."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    slot = (os.getpid(), write)  # a client is not shared across a fork
    if slot not in _CLIENTS:
        _CLIENTS[slot] = backend._cache.get_client(write=write)
    return _CLIENTS[slot]


def _get_versions(keys: list[str]) -> dict:
    client = _redis()
    if client is None:
        return cache.get_many(keys)
    raw = client.mget([cache.make_and_validate_key(k) for k in keys])
    return {k: int(v) for k, v in zip(keys, raw, strict=True) if v is not None}


def versions(names: Iterable[str]) -> str:
    """The current versions of `names`, joined for a key (one cache round trip)."""
    names = list(names)
    keys = [_VERSION + n for n in names]
    found = _get_versions(keys)
    missing = {k: _fresh_version() for k in keys if k not in found}
    if missing:
        for key, value in missing.items():
            if not cache.add(key, value, timeout=None):  # another worker set it first
                value = cache.get(key, value)
            found[key] = value
    return ".".join(str(found[k]) for k in keys)


def _bump_now(names: tuple[str, ...]) -> None:
    if _redis() is None:
        for name in names:
            key = _VERSION + name
            try:
                cache.incr(key)
            except ValueError:  # not set yet: any fresh value differs from every old key
                cache.set(key, _fresh_version(), timeout=None)
        return
    client = _redis(write=True)
    # Redis: one round trip for every name (Django's incr is two per name). SET NX first, so a
    # version key evicted or never set starts at a fresh value, never at 1 again.
    with client.pipeline(transaction=False) as pipe:
        for name in names:
            key = cache.make_and_validate_key(_VERSION + name)
            pipe.set(key, _fresh_version(), nx=True)
            pipe.incr(key)
        pipe.execute()


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
    return "pc1:" + hashlib.sha1(raw.encode()).hexdigest()


# A copy in this process of what it read lately, by key: a key names the versions it was built
# at, so a copy is never stale; it saves a round trip to Redis and unpickling the body.
_LOCAL: OrderedDict[str, tuple[float, object]] = OrderedDict()
_LOCAL_MAX = 256


def _local_get(cache_key: str):
    hit = _LOCAL.get(cache_key)
    if hit is None:
        return None
    expires, value = hit
    if expires < time.monotonic():
        _LOCAL.pop(cache_key, None)
        return None
    _LOCAL.move_to_end(cache_key)
    return value


def _local_put(cache_key: str, value, seconds: float) -> None:
    _LOCAL[cache_key] = (time.monotonic() + seconds, value)
    _LOCAL.move_to_end(cache_key)
    while len(_LOCAL) > _LOCAL_MAX:
        _LOCAL.popitem(last=False)


def lookup(cache_key: str):
    """The value stored under `cache_key` (this process's copy, else the shared cache), or None."""
    value = _local_get(cache_key)
    if value is None:
        found = cache.get(cache_key)
        if not isinstance(found, dict) or "until" not in found:
            return None  # absent, or written by another release: build it again
        left = found["until"] - time.time()
        if left <= 0:
            return None
        value = found["value"]
        _local_put(cache_key, value, left)
    return value


def store(cache_key: str, value, seconds: int | None = None) -> None:
    ttl = settings.PAGE_CACHE_SECONDS if seconds is None else min(seconds,
                                                                  settings.PAGE_CACHE_SECONDS)
    if ttl > 0:
        cache.set(cache_key, {"until": time.time() + ttl, "value": value}, ttl)
        _local_put(cache_key, value, ttl)


def get_or_build(cache_key: str | None, build: Callable[[], tuple[object, int | None]]):
    """The cached value under `cache_key`, or `build()` -> (value, seconds it may live or None for
    the default), stored. `cache_key` None (caching off) builds every time."""
    if cache_key is None:
        return build()[0]
    value = lookup(cache_key)
    if value is None:
        value, seconds = build()
        store(cache_key, value, seconds)
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


def anonymous_visit(request) -> bool:
    """A visitor not logged in with no message waiting (the messages cookie; without a session
    there is no other store): the whole page is the same for every such visitor."""
    return (settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES
            and not getattr(request.user, "is_authenticated", False))


# --- Whole pages of one visitor ------------------------------------------------------------------

def viewer_names(user) -> list[str]:
    """What every page of a logged-in visitor reads besides its content: their own record,
    inbox, follows and notices read ("user:<id>", `user_changed`), and roles ("memberships",
    `memberships_changed`: any membership anywhere, since a manager's menu counts the
    applications of others)."""
    return [f"user:{int(user.pk)}", "memberships"]


def user_changed(*user_ids) -> None:
    bump(*(f"user:{int(pk)}" for pk in user_ids if pk))


def memberships_changed() -> None:
    bump("memberships")


def messages_waiting(request) -> bool:
    """A message (django.contrib.messages) waits to be shown: the page must be built to show it."""
    if request.COOKIES.get("messages"):  # an emptied cookie may still be sent, blank
        return True
    session = getattr(request, "session", None)
    return session is not None and "_messages" in session


def _session_digest(request) -> str:
    """What this visitor's session holds (the cart counted in the menu, above all): a page
    built for one cart is never served for another."""
    data = dict(request.session.items())
    raw = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.blake2b(raw.encode(), digest_size=8).hexdigest()


def visitor_page(request, kind: str, names: Iterable[str], parts: Iterable,
                 build: Callable[[], tuple[str, int | None]]) -> HttpResponse:
    """A whole page as this visitor sees it, kept under the versions of `names` and, for a
    logged-in visitor, of `viewer_names` and what their session holds (their own key: no one
    else is ever served it).

    `build()` -> (html rendered with CSRF_PLACEHOLDER as `csrf_token`, seconds it may live or
    None); it raises for anything but a 200 (Http404, NotAllowed), so only a page is kept. Built
    every time with caching off, with a query string (filters) or with a message waiting."""
    user = request.user
    if not enabled() or request.GET or messages_waiting(request):
        return HttpResponse(with_csrf(request, build()[0]))
    from synergy.core.display import large_type_of  # noqa: PLC0415  (display imports the web helpers)

    names = list(names)
    who: tuple = ("anonymous", large_type_of(request))
    if user.is_authenticated:
        names += viewer_names(user)
        who = (user.pk, large_type_of(request), _session_digest(request))
    elif not anonymous_visit(request):
        return HttpResponse(with_csrf(request, build()[0]))
    html = get_or_build(key(kind, names, *who, *parts), build)
    return HttpResponse(with_csrf(request, html))
