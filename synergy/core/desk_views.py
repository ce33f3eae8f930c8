"""The desk (`/desk/`, where login lands) and the administrators' pairing page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from synergy.core import desk, selectors, services
from synergy.core.errors import DomainError, Invalid, NotAllowed
from synergy.core.forms import PairingForm, PairingStartForm


@login_required
def desk_page(request: HttpRequest) -> HttpResponse:
    """The desk of one of the user's roles: `?role=` picks it (and is remembered in the session),
    else the last one picked, else the first in tab order; a role not held is ignored."""
    roles = desk.desk_roles(user=request.user)
    candidates = [request.GET.get("role"), request.session.get(desk.SESSION_KEY)]
    role = next((r for r in candidates if r in roles), roles[0] if roles else "")
    if role and request.session.get(desk.SESSION_KEY) != role:
        request.session[desk.SESSION_KEY] = role
    return render(request, "core/desk.html", {
        "role": role,
        "role_label": desk.role_label(role) if role else "",
        "tabs": [(r, desk.role_label(r)) for r in roles],
        "panels": desk.desk_panels(user=request.user, role=role) if role else [],
    })


@login_required
def pairings(request: HttpRequest) -> HttpResponse:
    """Administrators pair a community with a village, or pause and resume a pairing
    (through the core services, not only in Django admin). Others get a 404."""
    if not selectors.user_is_platform_admin(user=request.user):
        raise Http404
    form = PairingForm(request.POST if request.method == "POST" and "pairing" not in request.POST
                       else None)
    if request.method == "POST":
        try:
            if "pairing" in request.POST:
                pairing = selectors.get_or_404(selectors.pairing_list(active_only=False),
                                               pk=request.POST["pairing"])
                if "started_on" in request.POST:
                    started = PairingStartForm(request.POST)
                    if not started.is_valid():
                        messages.error(request, _("Give the start date as a date, e.g. "
                                                  "2021-05-01."))
                        return redirect("core:pairings")
                    try:
                        services.pairing_set_started_on(
                            changed_by=request.user, pairing=pairing,
                            started_on=started.cleaned_data["started_on"])
                    except Invalid as exc:
                        messages.error(request, exc.message)
                        return redirect("core:pairings")
                else:
                    services.pairing_set_active(changed_by=request.user, pairing=pairing,
                                                active=request.POST.get("active") == "1")
                messages.success(request, _("Pairing updated."))
                return redirect("core:pairings")
            if form.is_valid():
                services.pairing_create(created_by=request.user, **form.cleaned_data)
                messages.success(request, _("Pairing created."))
                return redirect("core:pairings")
        except NotAllowed:
            raise Http404 from None
        except DomainError as exc:
            form.add_error(None, exc.message)
    return render(request, "core/pairings.html", {
        "form": form, "pairings": selectors.pairing_list(active_only=False)})
