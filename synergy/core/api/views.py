"""Thin API views for people and places: parse, authorise, call a service or selector."""

from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings

from synergy.core import selectors, services
from synergy.core.api.base import Api, ListApi, RetrieveApi, get_or_404
from synergy.core.api.cached import SharedListMixin
from synergy.core.api.permissions import IsPlatformAdmin, IsPlatformAdminOrReadOnly
from synergy.core.api.serializers import (
    CommunityOutput,
    InvitationAcceptInput,
    InvitationInput,
    InvitationOutput,
    MembershipApplicationOutput,
    MembershipApplyInput,
    MembershipOutput,
    MembershipRejectInput,
    MeOutput,
    NotificationOutput,
    PairingInput,
    PairingOutput,
    TokenInput,
    TokenOutput,
    TokensRevokedOutput,
    VillageOutput,
)
from synergy.core.errors import Invalid
from synergy.core.filters import (
    CommunityFilter,
    MembershipApplicationFilter,
    PairingFilter,
    VillageFilter,
)
from synergy.core.models import Membership, User


class TokenCreateApi(Api):
    """POST {"username", "password"} -> {"token", "expiry"}; send it as `Authorization: Token <token>`.

    Each call makes a new token (one per device); it expires after API_TOKEN_TTL_DAYS.
    """

    authentication_classes: list = []  # the credentials are in the body
    permission_classes = [AllowAny]

    parser_classes = api_settings.DEFAULT_PARSER_CLASSES  # the bounded JSON parser, not DRF's

    @extend_schema(request=TokenInput, responses={200: TokenOutput, 400: None, 429: None})
    def post(self, request):
        data = TokenInput(data=request.data, context={"request": request})
        try:
            data.is_valid(raise_exception=True)
        except serializers.ValidationError:
            # django-axes marks the request when this username and address are locked out.
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {"detail": _("Too many failed logins. Please wait a few minutes and try again.")},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            raise
        user = data.validated_data["user"]
        instance, token = services.api_token_create(user=user)
        # As for a form login: last_login is updated and axes clears the failure count.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response(TokenOutput({"token": token, "expiry": instance.expiry}).data)


class LogoutApi(Api):
    """POST revokes the token this request carries (the device logs out); a browser session
    logged in with the form is logged out instead."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None}, operation_id="auth_logout")
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            services.api_token_revoke(token=request.auth)
        else:
            auth_logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllApi(Api):
    """POST revokes every API token of the caller (every device logs out)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: TokensRevokedOutput}, operation_id="auth_logout_all")
    def post(self, request):
        revoked = services.api_tokens_revoke_all(user=request.user)
        if not isinstance(request.auth, AuthToken):
            auth_logout(request._request)
        return Response(TokensRevokedOutput({"revoked": revoked}).data)


class MeApi(Api):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeOutput)
    def get(self, request):
        user = User.objects.prefetch_related("memberships__community", "memberships__village").get(
            pk=request.user.pk
        )
        return Response(MeOutput(user).data)


class CommunityListApi(ListApi):
    serializer_class = CommunityOutput
    filterset_class = CommunityFilter

    def get_queryset(self):
        return selectors.community_list(filters=self.request.query_params)


class CommunityDetailApi(RetrieveApi):
    serializer_class = CommunityOutput

    def get_queryset(self):
        return selectors.community_list()


class VillageListApi(SharedListMixin, ListApi):
    # The same for every caller: cached, fresh (bumped on every save of a village).
    cache_kind, cache_names = "villages", ("villages",)
    serializer_class = VillageOutput
    filterset_class = VillageFilter

    def get_queryset(self):
        return selectors.village_list(filters=self.request.query_params)


class VillageDetailApi(RetrieveApi):
    serializer_class = VillageOutput

    def get_queryset(self):
        return selectors.village_list()


class PairingListCreateApi(ListApi):
    """Anyone may see which villages a community is paired with; administrators pair them."""

    serializer_class = PairingOutput
    filterset_class = PairingFilter
    permission_classes = [IsPlatformAdminOrReadOnly]

    def get_queryset(self):
        return selectors.pairing_list(active_only=False, filters=self.request.query_params)

    @extend_schema(request=PairingInput, responses={201: PairingOutput})
    def post(self, request):
        data = PairingInput(data=request.data)
        data.is_valid(raise_exception=True)
        pairing = services.pairing_create(created_by=request.user, **data.validated_data)
        return Response(PairingOutput(pairing).data, status=status.HTTP_201_CREATED)


class PairingActiveInput(serializers.Serializer):
    active = serializers.BooleanField(required=False)
    started_on = serializers.DateField(required=False)


class PairingDetailApi(Api):
    permission_classes = [IsPlatformAdmin]

    @extend_schema(request=PairingActiveInput, responses=PairingOutput)
    def patch(self, request, pk: int):
        pairing = get_or_404(selectors.pairing_list(active_only=False), pk=pk)
        data = PairingActiveInput(data=request.data)
        data.is_valid(raise_exception=True)
        changes = data.validated_data
        if not changes:
            raise Invalid(_("Give active, started_on or both."), field="active")
        with transaction.atomic():
            if "started_on" in changes:
                pairing = services.pairing_set_started_on(
                    changed_by=request.user, pairing=pairing, started_on=changes["started_on"])
            if "active" in changes:
                pairing = services.pairing_set_active(
                    changed_by=request.user, pairing=pairing, active=changes["active"])
        return Response(PairingOutput(pairing).data)


class NotificationListApi(ListApi):
    """The caller's notifications, newest first; `?unread=1` for unread only."""

    permission_classes = [IsAuthenticated]
    serializer_class = NotificationOutput

    def get_queryset(self):
        return selectors.notification_list(
            user=self.request.user, unread_only=self.request.query_params.get("unread") == "1")


class NotificationReadApi(Api):
    """POST marks one of the caller's notifications read."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: None}, operation_id="notification_read")
    def post(self, request, pk: int):
        count = services.notification_mark_read(user=request.user, notification_id=pk)
        return Response({"marked_read": count})


class NotificationReadAllApi(Api):
    """POST marks all of the caller's notifications read."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: None}, operation_id="notification_read_all")
    def post(self, request):
        return Response({"marked_read": services.notification_mark_read(user=request.user)})


class MembershipListCreateApi(ListApi):
    """GET: the applications the caller may decide (`?status=pending` by default; property
    managers, coordinators and administrators only). POST: apply to join, as a resident of a
    community (with `unit`) or a rural worker / agri-business of a village -> 201, pending."""

    permission_classes = [IsAuthenticated]
    serializer_class = MembershipApplicationOutput
    filterset_class = MembershipApplicationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, not a caller
            return Membership.objects.none()
        return selectors.membership_applications_for(
            viewer=self.request.user, filters=self.request.query_params)

    @extend_schema(request=MembershipApplyInput, responses={201: MembershipOutput})
    def post(self, request):
        data = MembershipApplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_apply(user=request.user, **data.validated_data)
        return Response(MembershipOutput(membership).data, status=status.HTTP_201_CREATED)


class MembershipApproveApi(Api):
    """POST lets the applicant in (the place's property manager or coordinator, or an admin)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: MembershipApplicationOutput},
                   operation_id="membership_approve")
    def post(self, request, pk: int):
        membership = services.membership_approve(
            decided_by=request.user, membership=selectors.membership_get(id=pk))
        return Response(MembershipApplicationOutput(membership).data)


class MembershipRejectApi(Api):
    """POST {"reason"} refuses the application, saying why."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=MembershipRejectInput, responses={200: MembershipApplicationOutput},
                   operation_id="membership_reject")
    def post(self, request, pk: int):
        membership = selectors.membership_get(id=pk)
        data = MembershipRejectInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_reject(
            decided_by=request.user, membership=membership, reason=data.validated_data["reason"])
        return Response(MembershipApplicationOutput(membership).data)


class MembershipWithdrawApi(Api):
    """POST takes back the caller's own pending application -> 204."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None}, operation_id="membership_withdraw")
    def post(self, request, pk: int):
        services.membership_withdraw(user=request.user, membership=selectors.membership_get(id=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationCreateApi(Api):
    """POST {"community", "unit"} -> 201 a one-time code (and its link) for that flat; the
    community's property manager or an administrator only."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=InvitationInput, responses={201: InvitationOutput})
    def post(self, request):
        data = InvitationInput(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.invitation_create(created_by=request.user, **data.validated_data)
        return Response(InvitationOutput(invitation, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class InvitationAcceptApi(Api):
    """POST {"code"} -> 200: the caller is now an active resident of the invitation's flat
    (409 when the code was used or has expired)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=InvitationAcceptInput, responses={200: MembershipOutput})
    def post(self, request):
        data = InvitationAcceptInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.invitation_accept(user=request.user, code=data.validated_data["code"])
        return Response(MembershipOutput(membership).data)
