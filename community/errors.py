"""The community node's domain errors, all subclasses of the core ones (mapped to HTTP by
synergy.core.api.errors). The refusals of permission-aware selectors are `NotAllowed`, which is
also Django's `PermissionDenied`, so an HTML page answers 403 through Django's own handler too."""

from __future__ import annotations

from django.utils.translation import gettext as _

from synergy.core.errors import NotAllowed


class CommunityRefused(NotAllowed):
    """A permission-aware community selector refused the caller: 403 on the API and the pages."""

    def __init__(self, message: str):
        super().__init__(message)


class NotAMember(CommunityRefused):
    def __init__(self, message: str | None = None):
        super().__init__(message or _("You are not a member of this community."))


class NotTheManager(CommunityRefused):
    def __init__(self, message: str | None = None):
        super().__init__(message or _("Only this community's property manager can see this."))


class NoBillsForYou(CommunityRefused):
    def __init__(self, message: str | None = None):
        super().__init__(message or _("Only residents and the property manager of this community "
                                      "see its bills."))


class NotAResident(CommunityRefused):
    def __init__(self, message: str | None = None):
        super().__init__(message or _("Only residents of this community can report repairs here."))
