"""A form sent once: the idempotency rule of the money paths (Checkout.key, Donation's
idempotency key: a key made by the client, a unique constraint, a replay answers the first
result) for the records a person writes offline and their phone sends when the signal returns:
a coordinator's new product, stay and spending record, a resident's repair ticket.

The key comes with the form (the hidden field `client_key`, or the `Idempotency-Key` header).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from synergy.core.errors import Conflict, Invalid
from synergy.core.models import SubmissionKey, User

KEY_LENGTH = 64
FIELD = "client_key"
HEADER = "Idempotency-Key"


class SubmissionKeyReused(Conflict):
    """The key already named a record of another kind (409)."""


def submission_key_of(request) -> str:
    """The key the client sent with this form (field first, then header), stripped."""
    return (request.POST.get(FIELD) or request.headers.get(HEADER) or "").strip()


def _replay(*, user: User, key: str, kind: str) -> tuple[Any, bool] | None:
    seen = (SubmissionKey.objects.select_related("content_type")
            .filter(user=user, key=key).first())
    if seen is None:
        return None
    if seen.kind != kind:
        raise SubmissionKeyReused(_("This form was already sent as another record. Write it "
                                    "again as a new one."))
    if seen.object_id is None:  # the first request is still writing (cannot be seen committed)
        return None
    obj = seen.content_type.model_class()._default_manager.filter(pk=seen.object_id).first()
    return (obj, False) if obj is not None else None


def submission_once(*, user: User, key: str, kind: str, create: Callable[[], Any]) -> tuple[Any, bool]:
    """`create()` once per (user, key): returns (record, created). A repeat of the key, even one
    sent at the same moment, returns the first record instead of writing a second. Without a
    key, `create()` runs as before. Call inside the caller's transaction (form_page holds one):
    the key's row and the record commit together, so a failed write leaves the key free."""
    key = (key or "").strip()
    if not key:
        return create(), True
    if len(key) > KEY_LENGTH:
        raise Invalid(_("The idempotency key is too long (at most %(n)s characters).")
                      % {"n": KEY_LENGTH}, field=FIELD)
    with transaction.atomic():
        done = _replay(user=user, key=key, kind=kind)
        if done is not None:
            return done
        try:
            with transaction.atomic():
                seen = SubmissionKey.objects.create(user=user, key=key, kind=kind)
        except IntegrityError:
            # A concurrent request with this key waited on the unique index and committed first.
            done = _replay(user=user, key=key, kind=kind)
            if done is None:
                raise
            return done
        obj = create()
        SubmissionKey.objects.filter(pk=seen.pk).update(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
        return obj, True
