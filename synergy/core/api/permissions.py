"""DRF permission classes; each is one selector call."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from synergy.core import selectors


class IsPlatformAdmin(BasePermission):
    def has_permission(self, request, view) -> bool:
        return selectors.user_is_platform_admin(user=request.user)


class IsPlatformAdminOrReadOnly(BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return selectors.user_is_platform_admin(user=request.user)


class CanViewAnalytics(BasePermission):
    def has_permission(self, request, view) -> bool:
        return selectors.user_can_view_analytics(user=request.user)
