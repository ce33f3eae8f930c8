"""Volunteer needs (list filtered by the selector, create, detail, recommended), slots,
sign-ups, confirmed hours and the volunteer's profile."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from synergy.core.api.base import Api, ListApi, get_or_404
from villages.exchange import selectors, services
from villages.exchange.api import serializers as s
from villages.exchange.api.views._common import ranked
from villages.exchange.models import Signup, VolunteerNeed
from villages.exchange.selectors.filters import VolunteerNeedFilter


class NeedListCreateApi(ListApi):
    """Open volunteer needs. Filters (VolunteerNeedFilter): village, category, skill."""

    queryset = VolunteerNeed.objects.none()  # for the schema; rows come from the selector
    serializer_class = s.NeedOutput
    filterset_class = VolunteerNeedFilter

    def get_queryset(self):
        return selectors.volunteer_need_list(filters=self.request.query_params)

    @extend_schema(request=s.NeedInput, responses={201: s.NeedOutput})
    def post(self, request):
        data = s.NeedInput(data=request.data)
        data.is_valid(raise_exception=True)
        need = services.volunteer_need_create(created_by=request.user, **data.validated_data)
        return Response(s.NeedOutput(need).data, status=status.HTTP_201_CREATED)


class NeedDetailApi(Api):
    @extend_schema(responses=s.NeedDetailOutput)
    def get(self, request, pk: int):
        return Response(s.NeedDetailOutput(selectors.volunteer_need_get(pk=pk)).data)


class NeedRecommendedApi(Api):
    """Open needs ranked for the caller; each result carries `match` with its score breakdown."""

    permission_classes = [IsAuthenticated]  # a login-only read: 401 for anonymous callers

    @extend_schema(responses=s.NeedRecommendedOutput(many=True))
    def get(self, request):
        return Response(ranked(selectors.volunteer_need_recommended(user=request.user),
                               s.NeedOutput))


class SlotCreateApi(Api):
    @extend_schema(request=s.SlotInput, responses={201: s.SlotOutput})
    def post(self, request, pk: int):
        need = get_or_404(VolunteerNeed, pk=pk)
        data = s.SlotInput(data=request.data)
        data.is_valid(raise_exception=True)
        slot = services.volunteer_slot_create(created_by=request.user, need=need,
                                              **data.validated_data)
        return Response(s.SlotOutput(slot).data, status=status.HTTP_201_CREATED)


class SignupCreateApi(Api):
    @extend_schema(request=None, responses={201: s.SignupOutput})
    def post(self, request, pk: int):
        slot = selectors.volunteer_slot_get(pk=pk)
        signup = services.signup_create(volunteer=request.user, slot=slot.pk)
        signup = get_or_404(selectors.signup_list_for_volunteer(user=request.user), pk=signup.pk)
        return Response(s.SignupOutput(signup).data, status=status.HTTP_201_CREATED)


class SignupListApi(ListApi):
    """The caller's sign-ups, cancelled ones included."""

    permission_classes = [IsAuthenticated]  # a login-only read: 401 for anonymous callers
    queryset = Signup.objects.none()  # for the schema; rows come from the selector
    serializer_class = s.SignupOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Signup.objects.none()
        return selectors.signup_list_for_volunteer(user=self.request.user, active_only=False)


class SignupCancelApi(Api):
    @extend_schema(request=None, responses=s.SignupOutput)
    def post(self, request, pk: int):
        signup = selectors.signup_get(pk=pk)
        services.signup_cancel(volunteer=request.user, signup=signup.pk)
        return Response(s.SignupOutput(selectors.signup_get(pk=pk)).data)


class SignupHoursApi(Api):
    @extend_schema(request=s.HoursInput, responses=s.SignupOutput)
    def post(self, request, pk: int):
        signup = selectors.signup_get(pk=pk)
        data = s.HoursInput(data=request.data)
        data.is_valid(raise_exception=True)
        signup = services.signup_confirm_hours(confirmed_by=request.user, signup=signup,
                                               **data.validated_data)
        return Response(s.SignupOutput(signup).data)


class ProfileApi(Api):
    permission_classes = [IsAuthenticated]  # the caller's own profile: 401 for anonymous callers

    @extend_schema(responses=s.ProfileSerializer)
    def get(self, request):
        profile = selectors.volunteer_profile_of(user=request.user)
        return Response(s.ProfileSerializer(profile).data if profile else
                        {"skills": [], "weekdays": [], "bio": ""})

    @extend_schema(request=s.ProfileSerializer, responses=s.ProfileSerializer)
    def put(self, request):
        data = s.ProfileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = services.volunteer_profile_save(user=request.user, **data.validated_data)
        return Response(s.ProfileSerializer(profile).data)
