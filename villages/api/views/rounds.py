"""Group-buy rounds: list (filters: village, community, open), open, detail, demand, deliver."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from synergy.core.api.base import Api, ListApi, get_or_404
from villages import selectors, services
from villages.api import serializers as s
from villages.models import GroupBuyRound


class RoundListCreateApi(ListApi):
    queryset = GroupBuyRound.objects.none()  # for the schema; rows come from the selector
    serializer_class = s.RoundOutput

    def get_queryset(self):
        return selectors.round_list(filters=self.request.query_params)

    @extend_schema(request=s.RoundCreateInput, responses={201: s.RoundOutput})
    def post(self, request):
        data = s.RoundCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        round_ = services.round_open(
            by=request.user, village=v["village"], title=v["title"], note=v["note"],
            cutoff_at=v["cutoff_at"], delivery_date=v["delivery_date"],
            pickups=[(p["community"], p["pickup_point"]) for p in v["pickups"]],
            min_units=v["min_units"],
            products=[(p["product"], p["group_price"]) for p in v["products"]],
        )
        return Response(s.RoundOutput(get_or_404(selectors.round_list(), pk=round_.pk)).data,
                        status=status.HTTP_201_CREATED)


class RoundDetailApi(Api):
    @extend_schema(responses=s.RoundOutput)
    def get(self, request, pk: int):
        return Response(s.RoundOutput(get_or_404(selectors.round_list(), pk=pk)).data)


class RoundDemandApi(Api):
    @extend_schema(responses=s.DemandOutput)
    def get(self, request, pk: int):
        demand = selectors.round_demand(viewer=request.user,
                                        round=get_or_404(GroupBuyRound, pk=pk))
        return Response(s.DemandOutput({
            "orders": demand.orders, "amount": demand.amount, "products": demand.products,
            "communities": demand.communities}).data)


class RoundDeliverApi(Api):
    @extend_schema(request=None, responses=s.RoundOutput)
    def post(self, request, pk: int):
        services.round_deliver(by=request.user, round=get_or_404(GroupBuyRound, pk=pk))
        return Response(s.RoundOutput(get_or_404(selectors.round_list(), pk=pk)).data)
