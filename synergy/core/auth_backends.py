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
