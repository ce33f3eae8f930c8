"""The installable app: the web manifest (in the visitor's language), the service worker served
from the site root, and the offline page it falls back to. No data: these read nothing private.

The worker itself is templates/pwa/sw.js, rendered with the static URLs it precaches (hashed
under the manifest storage) and a version that is the hash of what it renders, so any change of
the worker or of a precached file's URL installs a new worker.
"""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

THEME_COLOR = "#2f6f4f"
BACKGROUND_COLOR = "#f6f8f6"
OFFLINE_LANGUAGES = ("zh-hans", "en")
# Files every page needs, kept by the worker so a page read offline still has its look and
# its scripts (the page-specific scripts come with the pages that use them).
SHELL_STATIC = (
    "css/synergy.css", "js/pwa.js", "js/drafts.js", "img/favicon.svg", "img/icon-192.png",
    "img/icon-512.png", "img/icon-maskable-512.png", "img/apple-touch-icon.png",
)


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest, named in the request's language; it opens on the person's desk."""
    body = {
        "name": _("Urban–rural synergy"),
        "short_name": _("Synergy"),
        "description": _("Synergy links city communities with nearby villages, and measures "
                         "whether the link narrows the urban–rural gap."),
        "lang": translation.get_language(),
        "dir": "ltr",
        "id": "/",
        "start_url": reverse("core:desk"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png",
             "purpose": "any"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any"},
            {"src": static("img/icon-maskable-512.png"), "sizes": "512x512",
             "type": "image/png", "purpose": "maskable"},
        ],
    }
    response = HttpResponse(json.dumps(body, ensure_ascii=False, indent=1),
                            content_type="application/manifest+json; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Vary"] = "Accept-Language, Cookie"
    return response


def offline_urls() -> list[str]:
    return [f"{reverse('offline')}?lang={code}" for code in OFFLINE_LANGUAGES]


def _worker_source() -> str:
    # JSON literals for the script (json.dumps of our own URLs: no "</script>" concern in a .js).
    context = {
        "precache": mark_safe(json.dumps([static(name) for name in SHELL_STATIC]
                                         + offline_urls())),
        "drafts_js": mark_safe(json.dumps(static("js/drafts.js"))),
        "offline": mark_safe(json.dumps(dict(zip(OFFLINE_LANGUAGES, offline_urls(),
                                                 strict=True)))),
        "version": "",
    }
    source = render_to_string("pwa/sw.js", context)
    context["version"] = hashlib.sha256(source.encode()).hexdigest()[:16]
    return render_to_string("pwa/sw.js", context)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the root so that its scope is the whole site."""
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache, max-age=0"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the worker shows for a page never read while online. `?lang=` picks the language
    (the worker keeps both); the page names nobody, so it is the same for every visitor."""
    code = request.GET.get("lang")
    language = code if code in OFFLINE_LANGUAGES else translation.get_language()
    with translation.override(language):
        response = render(request, "pwa/offline.html", {"LANGUAGE_CODE": language})
        response["Content-Language"] = language
    return response
