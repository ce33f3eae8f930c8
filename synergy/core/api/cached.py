"""Shared JSON lists served from the page cache, with ETag and 304 (issue 19).

For lists that are the same for every caller (the catalogue, the villages): the rendered body is
stored under a versioned key (synergy.core.pagecache) per path and query, host (photo URLs are
absolute) and language. A client sending the ETag back gets 304 and no body. Browsable-API
(HTML) requests are never cached.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

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

    cache_key = pagecache.key(kind, names, request.get_full_path(), request._request.get_host(),
                              request.scheme)
    body, content_type, etag = pagecache.get_or_build(cache_key, render)
    return _respond(request, body, content_type, etag)
