"""Payments: the buyer's "I have paid" claim, the coordinator's confirm or decline, and a
village's payment instructions (read by buyers, kept by its coordinators)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.settings import api_settings

from synergy.core.api.base import Api, get_or_404
from synergy.core.models import Village
from villages import selectors, services
from villages.api import payment_serializers as ps
from villages.models import PaymentInstructions
from villages.selectors._common import require_login


class OrderPaymentClaimApi(Api):
    """The buyer says the order is paid (method, reference; amount = the order's total)."""

    @extend_schema(request=ps.PaymentClaimInput, responses={201: ps.PaymentClaimOutput})
    def post(self, request, pk: int):
        order = selectors.order_get_for_user(user=request.user, pk=pk)
        data = ps.PaymentClaimInput(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.payment_claim_create(by=request.user, order=order, **data.validated_data)
        return Response(ps.PaymentClaimOutput(claim).data, status=status.HTTP_201_CREATED)


class ClaimConfirmApi(Api):
    """The village's coordinator confirms the money arrived: the payment is recorded (once,
    however many times this is called)."""

    @extend_schema(request=None, responses=ps.PaymentClaimOutput)
    def post(self, request, pk: int):
        claim = selectors.claim_get_for_coordinator(user=request.user, pk=pk)
        services.payment_claim_confirm(by=request.user, claim=claim)
        claim.refresh_from_db()
        return Response(ps.PaymentClaimOutput(claim).data)


class ClaimDeclineApi(Api):
    """The village's coordinator did not find the money, and says what is missing."""

    @extend_schema(request=ps.ClaimDeclineInput, responses=ps.PaymentClaimOutput)
    def post(self, request, pk: int):
        claim = selectors.claim_get_for_coordinator(user=request.user, pk=pk)
        data = ps.ClaimDeclineInput(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.payment_claim_decline(by=request.user, claim=claim, **data.validated_data)
        return Response(ps.PaymentClaimOutput(claim).data)


class VillagePaymentInstructionsApi(Api):
    """GET: how to pay the village (any logged-in person; blank fields if none were given).
    PUT: its coordinators replace them (multipart for the QR images)."""

    # The project's parsers (the bounded JSON one first): JSON or a multipart with the QR images.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    def _out(self, request, village: Village):
        instructions = selectors.payment_instructions_get(village=village) or PaymentInstructions(
            village=village)
        return Response(ps.PaymentInstructionsOutput(instructions, context={"request": request}).data)

    @extend_schema(responses=ps.PaymentInstructionsOutput)
    def get(self, request, pk: int):
        require_login(request.user)
        return self._out(request, get_or_404(Village, pk=pk))

    @extend_schema(request=ps.PaymentInstructionsInput, responses=ps.PaymentInstructionsOutput)
    def put(self, request, pk: int):
        village = get_or_404(Village, pk=pk)
        data = ps.PaymentInstructionsInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.payment_instructions_set(by=request.user, village=village, **data.validated_data)
        return self._out(request, village)
