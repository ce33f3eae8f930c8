"""The one base for every app's API views.

Token first, then the browser session: DRF answers an anonymous write with 401 and a
`WWW-Authenticate: Token` header when the first authenticator names a scheme, so every app gives
the same refusal to a caller who has not logged in (the session alone would make it a 403).
Anonymous callers may read; services and permission-aware selectors decide everything else.
"""

from __future__ import annotations

from rest_framework import generics
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.views import APIView

from synergy.core.api.authentication import TokenAuthentication
from synergy.core.selectors import get_or_404  # noqa: F401  (the one lookup-or-404, for API views)


class ApiMixin:
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticatedOrReadOnly]


class Api(ApiMixin, APIView):
    """A plain endpoint: parse, call a selector or a service, serialise."""


class ListApi(ApiMixin, generics.ListAPIView):
    """A paginated list; `get_queryset` returns a selector's result."""


class RetrieveApi(ApiMixin, generics.RetrieveAPIView):
    """One record; `get_object` returns a permission-aware selector's result."""
