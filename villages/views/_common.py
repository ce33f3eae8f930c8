"""What the village node's pages share: the back-office guard, filtered lists, action views."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404

from synergy.core.errors import NotAllowed
from synergy.core.web import ActionView  # noqa: F401  (the village pages' one-operation views)

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
