"""The project's URLs plus /bench/bare/villages/: the same JSON from memory, no DB, no DRF."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

from synergy.urls import urlpatterns as project_urlpatterns

_BARE_BODY: bytes | None = None


def bare_villages(request):
    global _BARE_BODY
    if _BARE_BODY is None:  # filled once per worker from a file written by the harness
        with open(settings.BASE_DIR / "bench" / "results" / "villages.json", "rb") as fh:
            _BARE_BODY = json.dumps(json.load(fh)).encode()
    return HttpResponse(_BARE_BODY, content_type="application/json")


urlpatterns = [path("bench/bare/villages/", bare_villages), *project_urlpatterns]
