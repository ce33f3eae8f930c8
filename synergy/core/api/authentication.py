"""API tokens (django-rest-knox), checked with one query per request.

knox's TokenAuthentication also reads every other token of the user on every request to delete
the expired ones: a query per call on the hottest writes (placing an order, donating). Those are
deleted when the user gets a new token instead (`services.api_token_create`), and an expired
token is refused all the same: its own expiry is checked here on each request.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.signals import token_expired


class TokenAuthentication(auth.TokenAuthentication):
    def _cleanup_token(self, auth_token) -> bool:
        """True (and the token deleted) if `auth_token` itself has expired."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI schema names it as knox's own (`knoxApiToken`)."""

    target_class = "synergy.core.api.authentication.TokenAuthentication"
