"""Helpers shared by the HTML views of every app."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from synergy.core.errors import DomainError
from synergy.core.submissions import submission_key_of, submission_once


def show_domain_error(request, exc: DomainError, form=None) -> None:
    """Show a service's refusal on the form field it names (an `Invalid` with a field the form
    has), else as a message at the top of the page."""
    field = getattr(exc, "field", None)
    if form is not None and field in form.fields:
        form.add_error(field, exc.message)
    else:
        messages.error(request, exc.message)


def safe_next(request, default: str) -> str:
    r"""The `next` URL the form or link sent (POST, else GET) if it is a page of this site, else
    `default` (a path or a URL name, as `redirect()` takes). Refused: other hosts (`//evil`,
    `\evil`, `/\evil`, `https://evil`, `http://us@evil`), other schemes (`javascript:`, `data:`),
    plain http from an https page, paths without a leading `/`, and control characters."""
    target = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if not target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return default
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    if not urlsplit(target).netloc and not target.startswith("/"):
        return default
    return target


def login_redirect(request: HttpRequest) -> HttpResponse:
    """Send an anonymous visitor to the login page, coming back to this page afterwards."""
    return redirect_to_login(request.get_full_path())


DRAFT_HEADER = "X-Synergy-Draft"


def is_draft_send(request: HttpRequest) -> bool:
    """A draft the phone kept offline and sends now (static/js/drafts.js): it gets JSON back."""
    return request.method == "POST" and request.headers.get(DRAFT_HEADER) == "1"


def draft_answer(*, status: int, url: str = "", errors: dict | None = None,
                 replayed: bool = False) -> JsonResponse:
    """201 {"url"} when the record was written (or had been: `replayed`); 400/403/409
    {"errors": {field: [sentence]}} otherwise, which the phone shows on its list of drafts."""
    body = {"url": url, "replayed": replayed} if status < 300 else {"errors": errors or {}}
    return JsonResponse(body, status=status)


def form_page(
    request: HttpRequest,
    *,
    form,
    template: str,
    save: Callable[[dict], Any],
    on_success: Callable[[Any], HttpResponse],
    done: str = "",
    context: dict | None = None,
    once: str = "",
) -> HttpResponse:
    """The create/edit page every app uses: GET shows `form`; a valid POST calls
    `save(form.cleaned_data)` in one transaction (a service: everything it writes lands or none
    of it does); a service's refusal is shown on the form field it names; on success the page
    says `done` and answers `on_success(result)`, usually a redirect to the new record.

    `once` (the kind of record, "product", ...) makes the form idempotent: its client-made key
    (synergy.core.submissions) sent again returns the first record. A draft sent by the phone
    (is_draft_send) gets JSON instead of a page."""
    draft = is_draft_send(request)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if once:
                    result, created = submission_once(
                        user=request.user, key=submission_key_of(request), kind=once,
                        create=lambda: save(form.cleaned_data))
                else:
                    result, created = save(form.cleaned_data), True
        except DomainError as exc:
            if draft:
                return draft_answer(status=exc.status_code,
                                    errors={getattr(exc, "field", None) or "__all__": [exc.message]})
            show_domain_error(request, exc, form)
        else:
            if done and created:
                messages.success(request, done)
            answer = on_success(result)
            if draft:
                return draft_answer(status=201, url=answer.get("Location", ""), replayed=not created)
            return answer
    if draft:
        return draft_answer(status=400, errors={
            k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()})
    return render(request, template, {"form": form, **(context or {})})


def parse_id(raw, *, name: str = "id") -> int:
    """A record id sent by a form (ASCII digits, at most 18): else a 400 naming the field."""
    text = "" if raw is None else str(raw).strip()
    if not re.fullmatch(r"[0-9]{1,18}", text):
        raise BadRequest(_("%(name)s must be the number of a record on this site.") % {"name": name})
    return int(text)


class ActionView(LoginRequiredMixin, View):
    """POST one operation on one record, then go back (`next`, else `default_next`; after a
    success, `success_next`).

    Subclasses name the `service`, the keyword it takes the record by (`target`), the form that
    parses the rest (`form_class`, optional; `get_form` to build it otherwise) and the sentences
    said on success (`done`) and when the form is refused (`invalid`, with %(e)s for the form's
    errors). The call is `service(by=user, <target>=record, **form data)` in one transaction;
    a service that names its caller otherwise overrides `perform`. A service's refusal is shown
    as a message."""

    http_method_names = ["post"]
    service: Callable | None = None
    target = ""
    form_class = None
    done = ""
    invalid = ""
    once = ""  # the kind of record, to make the form idempotent as in form_page

    def get_object(self, pk):
        raise NotImplementedError

    def default_next(self, obj) -> str:
        raise NotImplementedError

    def success_next(self, obj, result) -> str:
        return self.default_next(obj)

    def get_form(self, obj):
        return self.form_class(self.request.POST, self.request.FILES or None)

    def perform(self, obj, data: dict):
        return type(self).service(by=self.request.user, **{self.target: obj}, **data)

    def post(self, request, pk, **route) -> HttpResponse:
        obj = self.get_object(pk)
        draft = is_draft_send(request)
        data = {}
        if self.form_class is not None:
            form = self.get_form(obj)
            if not form.is_valid():
                if draft:
                    return draft_answer(status=400, errors={
                        k: [e["message"] for e in v]
                        for k, v in form.errors.get_json_data().items()})
                messages.error(request, self.invalid % {
                    "e": "; ".join(" ".join(v) for v in form.errors.values())})
                return redirect(safe_next(request, self.default_next(obj)))
            data = form.cleaned_data
        try:
            with transaction.atomic():
                if self.once:
                    result, created = submission_once(
                        user=request.user, key=submission_key_of(request), kind=self.once,
                        create=lambda: self.perform(obj, data))
                else:
                    result, created = self.perform(obj, data), True
        except DomainError as exc:
            if draft:
                return draft_answer(status=exc.status_code,
                                    errors={getattr(exc, "field", None) or "__all__": [exc.message]})
            show_domain_error(request, exc)
            return redirect(safe_next(request, self.default_next(obj)))
        if self.done and created:
            messages.success(request, self.done)
        target = safe_next(request, self.success_next(obj, result))
        if draft:
            return draft_answer(status=201, url=target, replayed=not created)
        return redirect(target)
