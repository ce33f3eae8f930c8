"""Authentication backends, and the hook that revokes API tokens when a password changes."""

from axes.backends import AxesStandaloneBackend
from django.utils.translation import gettext as _

from synergy.core import services


class RateLimitedLoginBackend(AxesStandaloneBackend):
    """django-axes lockout check for every login that carries a request.

    Axes refuses `authenticate()` calls without a request; those never come from the web (Django's
    login views and DRF's token view pass it), only from code such as `Client.login` in tests and
    shell scripts, so they are left to the model backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class RevokeApiTokensOnPasswordChange:
    """Listed in AUTH_PASSWORD_VALIDATORS for its `password_changed` hook, which Django calls
    after saving a new password whichever way it was set (password change form, reset link,
    admin, `manage.py changepassword`, `set_password()` + `save()`). It refuses no password."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            services.api_tokens_revoke_all(user=user)

    def get_help_text(self):
        return _("Changing your password signs out every app that uses an API token.")
def axes_username(request, credentials: dict | None = None) -> str | None:
    """The username axes records for a login attempt (AXES_USERNAME_CALLABLE), cut to the 255
    characters of its columns: no account has a longer name (150 at most), and a hand-made
    5000-character one reached an INSERT and made the login page, the admin's and the token API
    answer 500. Read as axes itself does: from the credentials, else from the request's data."""
    if credentials:
        name = credentials.get("username")
    else:
        name = getattr(request, "data", request.POST).get("username")
    return name[:255] if isinstance(name, str) else name
