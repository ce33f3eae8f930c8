"""Donation campaigns: list (filtered by the selector), create, detail; donations; spending."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from synergy.core.api.base import Api, ListApi
from villages.exchange import selectors, services
from villages.exchange.api import serializers as s
from villages.exchange.models import Campaign
from villages.exchange.selectors.filters import CampaignFilter

CENT = Decimal("0.01")


class CampaignListCreateApi(ListApi):
    """Campaigns. Filters (CampaignFilter): village, open."""

    queryset = Campaign.objects.none()  # for the schema; rows come from the selector
    serializer_class = s.CampaignOutput
    filterset_class = CampaignFilter

    def get_queryset(self):
        return selectors.campaign_list(filters=self.request.query_params)

    @extend_schema(request=s.CampaignInput, responses={201: s.CampaignOutput})
    def post(self, request):
        data = s.CampaignInput(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.campaign_create(created_by=request.user, **data.validated_data)
        return Response(s.CampaignOutput(selectors.campaign_get(pk=campaign.pk, viewer=request.user)).data,
                        status=status.HTTP_201_CREATED)


class CampaignDetailApi(Api):
    @extend_schema(responses=s.CampaignOutput)
    def get(self, request, pk: int):
        campaign = selectors.campaign_get(pk=pk, viewer=request.user)
        lines = selectors.budget_lines_with_spending(campaign=campaign)
        data = s.CampaignOutput(campaign).data
        data["budget_lines"] = s.BudgetLineSerializer(lines, many=True).data
        # Two places whatever the database: SQLite sums 60.00 + 0 to 60.
        data["spent"] = str(Decimal(campaign.spent or 0).quantize(CENT))
        return Response(data)


class CampaignReviewApi(Api):
    """An administrator approves a pending campaign or sends it back with a note (403 for
    anyone else, 409 once reviewed); the coordinator is told."""

    @extend_schema(request=s.ReviewInput, responses=s.CampaignOutput)
    def post(self, request, pk: int):
        campaign = selectors.campaign_get(pk=pk, viewer=request.user)
        data = s.ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.campaign_review(by=request.user, campaign=campaign,
                                            **data.validated_data)
        return Response(s.CampaignOutput(campaign).data)


class DonationCreateApi(Api):
    """Record a donation. Send an `Idempotency-Key` header: a repeat returns the first donation."""

    @extend_schema(
        request=s.DonationInput, responses={201: s.DonationOutput, 200: s.DonationOutput},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=True)],
    )
    def post(self, request, pk: int):
        campaign = selectors.campaign_get_to_give(pk=pk, viewer=request.user)
        data = s.DonationInput(data=request.data)
        data.is_valid(raise_exception=True)
        donation, created = services.donation_give(
            donor=request.user, campaign=campaign,
            idempotency_key=request.headers.get("Idempotency-Key", ""), **data.validated_data)
        return Response(s.DonationOutput(donation).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class DonationDetailApi(Api):
    """A receipt: its donor, the village's coordinators and administrators (404 for others)."""

    permission_classes = [IsAuthenticated]  # a login-only read: 401 for anonymous callers

    @extend_schema(responses=s.DonationOutput)
    def get(self, request, pk: int):
        return Response(s.DonationOutput(
            selectors.donation_get_for_viewer(viewer=request.user, pk=pk)).data)


class SpendingCreateApi(Api):
    @extend_schema(request=s.SpendingInput, responses={201: s.SpendingOutput})
    def post(self, request, pk: int):
        campaign = selectors.campaign_get(pk=pk, viewer=request.user)
        data = s.SpendingInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.spending_record(recorded_by=request.user, campaign=campaign,
                                         **data.validated_data)
        return Response(s.SpendingOutput(entry).data, status=status.HTTP_201_CREATED)
