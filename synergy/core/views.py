"""HTML pages of the core (home, accounts, profile) and /healthz."""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import defaults, i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from synergy.celery import app
from synergy.core import desk, selectors, services
from synergy.core.errors import DomainError, NotAllowed
from synergy.core.exports import safe_row
from synergy.core.forms import (
    InvitationCodeForm,
    InviteForm,
    InviteSheetForm,
    JoinForm,
    NotificationEmailForm,
    ProfileForm,
    RegistrationForm,
)
from synergy.core.sheet_rows import SheetRejected
from synergy.core.web import form_page, parse_id, safe_next, show_domain_error


class _SafeNextMixin:
    """Django's login and logout views, with their `next` checked by the one site-wide rule."""

    def get_redirect_url(self):
        return safe_next(self.request, "")


class LoginView(_SafeNextMixin, auth_views.LoginView):
    pass


class LogoutView(_SafeNextMixin, auth_views.LogoutView):
    """Also tells the browser to drop what this person's pages left on the phone: the service
    worker's caches of their pages and the offline drafts (the page's script empties the caches
    first too, for browsers without Clear-Site-Data)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; the page it returns to goes through safe_next."""
    response = i18n.set_language(request)
    if response.has_header("Location"):
        response["Location"] = iri_to_uri(safe_next(request, "/"))
    return response


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {
        "communities": selectors.community_list(),
        "villages": selectors.village_list(),
        "pairings": selectors.pairing_list(),
        "desk_roles": [(r, desk.role_label(r)) for r in desk.desk_roles(user=request.user)],
    })


def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_register(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                preferred_language=request.LANGUAGE_CODE,
            )
        except DomainError as exc:
            form.add_error("username", exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("core:profile")
    return render(request, "registration/register.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user, prefix="profile")
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Profile saved."))
        return redirect("core:profile")
    return render(request, "core/profile.html", {
        "form": form,
        "memberships": selectors.membership_list(user=request.user),
    })


@login_required
def join(request: HttpRequest) -> HttpResponse:
    """Apply to join a community (as a resident, with the flat) or a village."""
    return form_page(
        request, form=JoinForm(request.POST or None), template="core/join.html",
        context={"code_form": InvitationCodeForm()},
        save=lambda data: services.membership_apply(user=request.user, **data),
        on_success=lambda _m: redirect(reverse("core:profile") + "#applications"),
        done=_("Application sent. You will be told when it is decided."),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.membership_withdraw(user=request.user, membership=selectors.membership_get(id=pk))
    except DomainError as exc:
        show_domain_error(request, exc)
    else:
        messages.success(request, _("Application withdrawn."))
    return redirect(reverse("core:profile") + "#applications")


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    """The pending applications the viewer may decide; POST `id` + `decision` (approve or
    reject, with a `reason`)."""
    if request.method == "POST":
        membership = selectors.membership_get(id=parse_id(request.POST.get("id")))
        decision = request.POST.get("decision")
        try:
            if decision == "approve":
                services.membership_approve(decided_by=request.user, membership=membership)
                messages.success(request, _("%(who)s is in.") % {"who": membership.user})
            elif decision == "reject":
                services.membership_reject(decided_by=request.user, membership=membership,
                                           reason=request.POST.get("reason", ""))
                messages.success(request, _("Application of %(who)s rejected.") % {
                    "who": membership.user})
            else:
                raise BadRequest(_("Choose approve or reject."))
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from None
            show_domain_error(request, exc)
        return redirect("core:applications")
    try:
        pending = list(selectors.membership_applications_for(viewer=request.user))
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None
    return render(request, "core/applications.html", {
        "applications": pending, **_invite_context(request)})


def _invite_context(request: HttpRequest, form=None, sheet_form=None, sheet_errors=None) -> dict:
    """The invite section of the Applications page, for people who manage a community."""
    communities = selectors.communities_managed_by(user=request.user)
    if not communities.exists():
        return {}
    return {
        "invite_form": form or InviteForm(communities=communities),
        "sheet_form": sheet_form or InviteSheetForm(communities=communities),
        "sheet_errors": sheet_errors or [],
        "invitations": list(selectors.invitation_list_for(viewer=request.user)[:20]),
        "now": timezone.now(),
    }


@login_required
def invite_create(request: HttpRequest) -> HttpResponse:
    """POST community + unit: a one-time code for that flat, shown with its link."""
    communities = selectors.communities_managed_by(user=request.user)
    form = InviteForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(created_by=request.user, **form.cleaned_data)
        except DomainError as exc:
            if exc.status_code == 403:
                raise PermissionDenied(exc.message) from None
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("Invitation %(code)s made for %(unit)s: give the person "
                                        "the code or its link.") % {
                "code": invitation.code, "unit": invitation.unit})
            return redirect(reverse("core:applications") + "#invitations")
    if not communities.exists():
        raise PermissionDenied(_("Only property managers and administrators invite residents."))
    return redirect(reverse("core:applications") + "#invitations")


@login_required
def invite_sheet(request: HttpRequest) -> HttpResponse:
    """POST a sheet of flats: an invitation for each, or nothing and every problem by row and
    column (the Applications page again, with the list)."""
    communities = selectors.communities_managed_by(user=request.user)
    if not communities.exists():
        raise PermissionDenied(_("Only property managers and administrators invite residents."))
    form = InviteSheetForm(request.POST or None, request.FILES or None, communities=communities)
    if request.method != "POST":
        return redirect(reverse("core:applications") + "#invitations")
    errors = []
    if form.is_valid():
        try:
            made = services.invitations_import(created_by=request.user,
                                               community=form.cleaned_data["community"],
                                               upload=form.cleaned_data["file"])
        except SheetRejected as exc:
            form.add_error("file", exc.message)
            errors = exc.errors
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("%(n)d invitations made: download the codes to hand them "
                                        "out.") % {"n": len(made)})
            return redirect(reverse("core:applications") + "#invitations")
    pending = list(selectors.membership_applications_for(viewer=request.user))
    return render(request, "core/applications.html", {
        "applications": pending,
        **_invite_context(request, sheet_form=form, sheet_errors=errors)}, status=400)


@login_required
def invitations_csv(request: HttpRequest) -> HttpResponse:
    """The open invitations of the communities the viewer manages, to print or send: flat, code,
    link and expiry, headers in the reader's language, every cell through safe_row."""
    rows = selectors.invitation_list_for(viewer=request.user).filter(
        used_at__isnull=True, expires_at__gt=timezone.now())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="invitations.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM as UTF-8
    writer = csv.writer(response)
    writer.writerow(safe_row([_("Community"), _("Flat or unit"), _("Invitation code"), _("Link"),
                              _("Open until")]))
    for inv in rows:
        link = request.build_absolute_uri(reverse("core:invite", args=[inv.code]))
        writer.writerow(safe_row([inv.community.name, inv.unit, inv.code, link,
                                  date_format(timezone.localtime(inv.expires_at), "DATE_FORMAT")]))
    return response


@login_required
def invite_code(request: HttpRequest) -> HttpResponse:
    """The join page's code box: on to that invitation's page."""
    form = InvitationCodeForm(request.GET)
    if form.is_valid():
        return redirect("core:invite", code=form.cleaned_data["code"].strip().upper())
    messages.error(request, _("Type the code from your invitation."))
    return redirect("core:join")


@login_required
def invite(request: HttpRequest, code: str) -> HttpResponse:
    """An invitation's page (what its link opens): accept it to become a resident of its flat."""
    if request.method == "POST":
        try:
            membership = services.invitation_accept(user=request.user, code=code)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Welcome! You are now a resident of %(place)s.") % {
                "place": membership.community})
            return redirect(reverse("core:profile") + "#memberships")
    invitation = selectors.invitation_by_code(code=code)
    return render(request, "core/invite.html", {"invitation": invitation, "now": timezone.now()})


def _broker_status() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "eager"}
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True, "mode": "redis"}
    except Exception as exc:  # any transport error means "down"; say which
        return {"ok": False, "mode": "redis", "error": exc.__class__.__name__}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:
        database = {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}
    broker = _broker_status()
    healthy = database["ok"] and broker["ok"]
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The in-app list; POST marks one (`id`) or all as read."""
    if request.method == "POST":
        raw = request.POST.get("id")
        try:
            services.notification_mark_read(user=request.user,
                                            notification_id=int(raw) if raw else None)
        except (DomainError, ValueError):
            messages.error(request, _("That notification could not be marked read."))
        return redirect("core:notifications")
    return render(request, "core/notifications.html", {
        "notifications": selectors.notification_list(user=request.user)[:100]})


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Which kinds of notification also come by e-mail."""
    form = NotificationEmailForm(request.POST or None, user=request.user)
    return form_page(
        request, form=form, template="core/notification_settings.html",
        save=lambda data: services.notification_email_choices_set(
            user=request.user, email_kinds=data["email_kinds"]),
        on_success=lambda user: redirect("core:notifications"),
        done=_("Your e-mail choices are saved."))


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """The 400 page (handler400): the sentence of a BadRequest raised by a view, translated;
    other refusals (SuspiciousOperation) keep theirs to the log and show the general text."""
    reason = str(exception) if isinstance(exception, BadRequest) and str(exception) else ""
    return render(request, "400.html", {"reason": reason}, status=400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """The 403 page (handler403, and a page's `NotAllowed` through RefusalPageMiddleware): the
    refusal's own sentence (already in the visitor's language), under the site's navigation."""
    reason = ""
    if isinstance(exception, NotAllowed):
        reason = exception.message
    elif isinstance(exception, PermissionDenied) and str(exception):
        reason = str(exception)
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """The 404 page (handler404), under the site's navigation; never the debug page's details."""
    return render(request, "404.html", {"request_path": request.path}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page (handler500): rendered without the request's context (no user, no menu
    from the database), since whatever failed may fail again."""
    return defaults.server_error(request, template_name="500.html")
