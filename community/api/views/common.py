"""What the community API views share: the parsers, and the filter backend that documents the
FilterSet a selector applies (filtering itself happens in the selector, never in the view)."""

from __future__ import annotations

from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated

from synergy.core.api.base import Api, ListApi
from synergy.core.api.filters import SelectorFilters
from synergy.core.api.parsers import JSONParser  # bounded depth, no NUL, finite numbers

UPLOAD_PARSERS = [MultiPartParser, FormParser, JSONParser]


class MemberListApi(ListApi):
    """A list scoped to a community: anonymous callers get 401 (read or write), people outside
    it 403 from the selector."""

    permission_classes = [IsAuthenticated]
    filter_backends = [SelectorFilters]


class PublicListApi(ListApi):
    """A public list: anonymous callers read, writes need a login (401)."""

    filter_backends = [SelectorFilters]


class MemberApi(Api):
    permission_classes = [IsAuthenticated]
