"""The client's address, as the login rate limiter (django-axes) and anything else should see it.

Without a proxy it is `REMOTE_ADDR`. Behind one (`DJANGO_BEHIND_PROXY=true`) `REMOTE_ADDR` is the
proxy, the same for everyone, so it must not be used: nginx's `$proxy_add_x_forwarded_for`
appends the address it received the request from to whatever `X-Forwarded-For` the client sent,
so with one trusted proxy the right-most entry is the real client and every entry to its left is
whatever the client chose to write. With `DJANGO_TRUSTED_PROXY_COUNT=N` proxies in a row (a CDN
in front of nginx, say) the client is the N-th entry from the right. A header with fewer entries
than that did not come through the trusted chain and is ignored.

Settings are read at each call (not at import), so tests can switch them with override_settings.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from python_ipware import IpWare


def client_ip(request: HttpRequest) -> str | None:
    """The address to charge a request to (AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR")
    if not getattr(settings, "BEHIND_PROXY", False):
        return remote
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 1))
    # python-ipware counts the proxies *listed in* the header (client, proxy1, ...); nginx, the
    # proxy next to us, is not listed (it is REMOTE_ADDR), hence N - 1. Not strict: entries that
    # are not addresses are dropped, which only ever happens left of the trusted ones.
    ipware = IpWare(precedence=("HTTP_X_FORWARDED_FOR",), leftmost=True, proxy_count=proxies - 1)
    address, _trusted_route = ipware.get_client_ip(request.META, strict=False)
    return str(address) if address is not None else remote
