"""Authentication backends."""

from axes.backends import AxesStandaloneBackend


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
