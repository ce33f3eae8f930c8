"""What the village node's pages share: the back-office guard, filtered lists, action views."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from synergy.core.errors import NotAllowed
from synergy.core.web import ActionView, safe_next

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


class ConfirmedActionView(ActionView):
    """A destructive operation: GET shows the confirm step (`confirm_context`: a title, the
    question naming what is lost, details); its form POSTs the operation as usual."""

    http_method_names = ["get", "post"]
    yes = ""
    no = ""

    def confirm_context(self, obj) -> dict:
        raise NotImplementedError

    def get(self, request, pk, **route) -> HttpResponse:
        obj = self.get_object(pk)
        back = safe_next(request, self.default_next(obj))
        return render(request, "villages/confirm.html", {
            "action": request.path, "next": back, "back": back, "yes": self.yes, "no": self.no,
            "details": [], **self.confirm_context(obj)})
