"""Large type and high contrast (issue 20): a setting each person keeps on their user (a cookie
for visitors who have not logged in), toggled from the header of every page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from synergy.core import pagecache
from synergy.core.models import User
from synergy.core.web import safe_next

COOKIE = "synergy_large_type"
COOKIE_AGE = 365 * 24 * 3600


# --- service ---------------------------------------------------------------------------------

def user_set_large_type(*, user: User, on: bool) -> None:
    User.objects.filter(pk=user.pk).update(large_type=on)
    pagecache.user_changed(user.pk)  # update() sends no post_save
    user.large_type = on


# --- selector --------------------------------------------------------------------------------

def large_type_of(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return bool(user.large_type)
    return request.COOKIES.get(COOKIE) == "1"


# --- view ------------------------------------------------------------------------------------

@require_POST
def large_type_toggle(request: HttpRequest) -> HttpResponse:
    """POST `large_type` 1 or 0 (and `next`): kept on the user, and in a cookie so the choice
    also holds on the login page and after logging out on this phone."""
    on = request.POST.get("large_type") == "1"
    if request.user.is_authenticated:
        user_set_large_type(user=request.user, on=on)
    response = redirect(safe_next(request, "/"))
    response.set_cookie(COOKIE, "1" if on else "0", max_age=COOKIE_AGE, samesite="Lax",
                        secure=request.is_secure(), httponly=True)
    return response
