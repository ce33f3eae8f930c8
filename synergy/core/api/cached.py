"""Shared JSON lists served from the page cache, with ETag and 304 (issue 19).

For lists that are the same for every caller (the catalogue, the villages): the rendered body is
stored under a versioned key (synergy.core.pagecache) per path and query, host (photo URLs are
absolute) and language. A client sending the ETag back gets 304 and no body. Browsable-API
(HTML) requests are never cached.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.functional import cached_property

from synergy.core import pagecache


class CachedJsonResponse(HttpResponse):
    """The stored body as it is; `data` (what a DRF Response carries) parsed only if asked for."""

    @cached_property
    def data(self):
        return json.loads(self.content)


def _respond(request, body: bytes, content_type: str, etag: str) -> HttpResponse:
    if pagecache.if_none_match(request, etag):
        response = HttpResponseNotModified()
    else:
        response = CachedJsonResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"  # a client may keep it, and asks again (304) each time
    return response


def cached_json(view, request, *, kind: str, names: Iterable[str],
                build: Callable[[], object]) -> HttpResponse:
    """`build()` gives the DRF Response of the list; its rendered JSON is what is cached."""
    renderer = request.accepted_renderer
    if getattr(renderer, "format", None) != "json" or not pagecache.enabled():
        return build()

    def render() -> tuple[tuple[bytes, str, str], None]:
        response = build()
        body = renderer.render(response.data, request.accepted_media_type,
                               view.get_renderer_context())
        content_type = f"{renderer.media_type}; charset={renderer.charset}" if renderer.charset \
            else renderer.media_type
        return (body, content_type, pagecache.etag_for(body)), None

    body, content_type, etag = pagecache.get_or_build(_key(request, kind, names), render)
    return _respond(request, body, content_type, etag)


def _key(request, kind: str, names: Iterable[str]) -> str:
    raw = getattr(request, "_request", request)  # a DRF Request or Django's
    return pagecache.key(kind, names, raw.get_full_path(), raw.get_host(), raw.scheme)


_JSON_ACCEPT = {"", "*/*", "application/json"}


class SharedListMixin:
    """For a ListApi whose list is the same for every caller: `cache_kind` and `cache_names`
    say its key and namespaces. An anonymous JSON request (no token, no session) whose list is
    in the cache is answered before DRF's dispatch (authentication, negotiation); any other
    goes through DRF, whose `list` serves and fills the same entry."""

    cache_kind = ""
    cache_names: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        meta = request.META
        if (pagecache.enabled() and request.method == "GET" and "HTTP_AUTHORIZATION" not in meta
                and "format" not in request.GET
                and meta.get("HTTP_ACCEPT", "").strip() in _JSON_ACCEPT
                and settings.SESSION_COOKIE_NAME not in request.COOKIES):
            hit = pagecache.lookup(_key(request, self.cache_kind, self.cache_names))
            if hit is not None:
                response = _respond(request, *hit)
                response["Allow"] = ", ".join(self.allowed_methods)
                response["Vary"] = "Accept"
                return response
        return super().dispatch(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        return cached_json(self, request, kind=self.cache_kind, names=self.cache_names,
                           build=lambda: super(SharedListMixin, self).list(request, *args, **kwargs))
