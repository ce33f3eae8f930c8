"""What the village node's pages share: the back-office guard, filtered lists, action views."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views import View

from synergy.core.errors import DomainError, NotAllowed
from synergy.core.web import safe_next, show_domain_error

PAGE_SIZE = 12


def back_office(view: Callable) -> Callable:
    """A coordinator's (or administrator's) page: log in first; a selector's refusal
    (`NotAllowed`) is a 404, so other villages' back offices are not revealed."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotAllowed:
            raise Http404 from None

    return wrapper


class ActionView(LoginRequiredMixin, View):
    """POST one operation on one record, then go back (`next`, else `default_next`).

    Subclasses name the `service`, the keyword it takes the record by (`target`), the form that
    parses the rest (`form_class`, optional) and the sentences said on success (`done`) and
    when the form is refused (`invalid`, with %(e)s for the form's errors). A service's refusal
    is shown as a message."""

    http_method_names = ["post"]
    service: Callable | None = None
    target = ""
    form_class = None
    done = ""
    invalid = ""

    def get_object(self, pk):
        raise NotImplementedError

    def default_next(self, obj) -> str:
        raise NotImplementedError

    def post(self, request, pk, **route) -> HttpResponse:
        obj = self.get_object(pk)
        back = safe_next(request, self.default_next(obj))
        data = {}
        if self.form_class is not None:
            form = self.form_class(request.POST)
            if not form.is_valid():
                messages.error(request, self.invalid % {
                    "e": "; ".join(" ".join(v) for v in form.errors.values())})
                return redirect(back)
            data = form.cleaned_data
        try:
            type(self).service(by=request.user, **{self.target: obj}, **data)
        except DomainError as exc:
            show_domain_error(request, exc)
        else:
            messages.success(request, self.done)
        return redirect(back)
