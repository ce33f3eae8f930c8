"""Small helpers shared by the village node's selectors."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import NotAllowed
from synergy.core.models import User

# What a list or a page shows of a photo (PhotoOutput, the galleries), and the key to its owner.
PHOTO_COLUMNS = ("id", "image", "thumbnail", "width", "height", "caption", "position")


def photos_prefetch(model) -> Prefetch:
    """One query for the photos of every row, with only the columns shown."""
    owner = next(f.attname for f in model._meta.concrete_fields
                 if f.is_relation and f.remote_field.related_name == "photos")
    return Prefetch("photos", queryset=model.objects.only(*PHOTO_COLUMNS, owner)
                    .order_by("position", "id"))


def require_login(user: User | None) -> None:
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Log in first."))


require_coordinator = core_selectors.require_village_coordinator
get_or_404 = core_selectors.get_or_404
