"""Property-fee bills: residents see their flat's, the manager issues bills and records payments."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from community import filters, selectors, services
from community.api.serializers import (
    ArrearsOutput,
    BillInput,
    BillOutput,
    BillPaymentInput,
    PaymentOutput,
)
from community.api.views.common import MemberApi, MemberListApi
from community.exports import BILL_CSV_HEADER, bills_csv  # noqa: F401  (re-exported)
from community.models import Bill


class BillListCreateApi(MemberListApi):
    """Managers see every flat's bills and issue new ones; a resident sees their flat's only."""

    queryset = Bill.objects.none()  # for the schema; get_queryset scopes the real one
    serializer_class = BillOutput
    filterset_class = filters.BillFilter

    def get_queryset(self):
        community = selectors.community_get_for_bills(user=self.request.user,
                                                      pk=self.kwargs["community_id"])
        return selectors.bill_list(community=community, viewer=self.request.user,
                                   filters=self.request.query_params)

    @extend_schema(request=BillInput, responses={201: BillOutput})
    def post(self, request, community_id: int):
        community = selectors.community_get(pk=community_id)
        data = BillInput(data=request.data)
        data.is_valid(raise_exception=True)
        bill = services.bill_create(created_by=request.user, community=community,
                                    **data.validated_data)
        return Response(BillOutput(bill).data, status=status.HTTP_201_CREATED)


class PaymentCreateApi(MemberApi):
    """The manager records a payment received (cash, bank, mobile); never more than is owed."""

    @extend_schema(request=BillPaymentInput, responses={201: PaymentOutput})
    def post(self, request, pk: int):
        bill = selectors.bill_get_for_manager(user=request.user, pk=pk)
        data = BillPaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        payment = services.payment_record(recorded_by=request.user, bill=bill, **data.validated_data)
        return Response(PaymentOutput(payment).data, status=status.HTTP_201_CREATED)


class ArrearsApi(MemberApi):
    @extend_schema(responses=ArrearsOutput)
    def get(self, request, community_id: int):
        community = selectors.community_get_for_manager(user=request.user, pk=community_id)
        return Response(ArrearsOutput(selectors.arrears_report(community=community)).data)


class BillExportApi(MemberApi):
    """CSV of the community's bills (the list's filters, e.g. `?period=YYYY-MM`), for the manager."""

    @extend_schema(parameters=[OpenApiParameter("period", str, description="YYYY-MM")],
                   responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request, community_id: int):
        community = selectors.community_get_for_manager(user=request.user, pk=community_id)
        return bills_csv(selectors.bill_list(community=community, viewer=request.user,
                                             filters=request.query_params))
