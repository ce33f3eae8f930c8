"""Security headers that Django 5.2 does not set itself, and the refusal of NUL bytes."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from synergy.core.errors import NotAllowed
from synergy.core.views import permission_denied

# Everything is served from this origin (no CDN); scripts only from files, never inline.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",  # style="" attributes in templates; no script risk
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
PERMISSIONS_POLICY = "camera=(self), geolocation=(), microphone=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = getattr(settings, "CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


class ViewerTagMiddleware:
    """Tag each page with who it was made for (`X-Synergy-Viewer`: a keyed hash of the user id,
    "anon" for visitors), so the service worker drops the pages it kept for one person as soon
    as the phone shows a page made for another (a login without the previous logout, a session
    that expired). Reveals nothing: the tag is an HMAC under the site's secret."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                tag = salted_hmac("synergy.viewer", str(user.pk)).hexdigest()[:16]
            else:
                tag = "anon"
            response.headers.setdefault("X-Synergy-Viewer", tag)
        return response


NUL = "\x00"


def _nul_field(request) -> str | None:
    """The name of the first part of the request carrying a NUL character, or None.

    PostgreSQL cannot store NUL in text, so a NUL that reached a query or an INSERT would be a
    500; nothing a person types legitimately contains one. Checked: the path, every query and
    form key and value, uploaded file names and cookies."""
    if NUL in request.path:
        return "path"
    sources = [request.GET, request.COOKIES]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        sources.append(request.POST)  # empty (and unread) unless the body is a form
    for source in sources:
        items = source.lists() if hasattr(source, "lists") else ((k, [v]) for k, v in source.items())
        for key, values in items:
            if NUL in key or any(NUL in str(v) for v in values):
                return key.replace(NUL, "\\x00")
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        for key, files in request.FILES.lists():
            if NUL in key or any(NUL in (f.name or "") for f in files):
                return key.replace(NUL, "\\x00")
    return None


class RefuseNulMiddleware:
    """A 400 with a sentence for any request carrying a NUL byte, before any view sees it.

    Placed after LocaleMiddleware so the sentence is in the visitor's language. API paths get
    the DRF shape (`{field: [reason]}`); pages get the translated 400 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = _nul_field(request)
        if name is None:
            return self.get_response(request)
        reason = _("The request contains a NUL character (\\x00), which no field accepts. "
                   "Remove it and try again.")
        if request.path.startswith("/api/"):
            body = {"detail": reason} if name == "path" else {name: [reason]}
            return JsonResponse(body, status=400)
        return render(request, "400.html", {"reason": reason, "field": name}, status=400)


class RefusalPageMiddleware:
    """A page whose service or selector refused the caller (`NotAllowed` not caught by the view)
    answers the 403 page with the refusal's sentence, in the visitor's language, instead of a
    500. The API maps the same errors itself (synergy.core.api.errors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotAllowed) and not request.path.startswith("/api/"):
            return permission_denied(request, exception)
        return None
