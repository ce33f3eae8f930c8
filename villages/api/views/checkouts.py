"""Checkout: one order per village of the items, all or none; a repeated key answers 200 with
the same orders."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from synergy.core.api.base import Api
from villages import selectors, services
from villages.api import serializers as s


class CheckoutCreateApi(Api):
    @extend_schema(request=s.CheckoutCreateInput, responses={201: inline_serializer(
        "CheckoutOutput", {"checkout": serializers.IntegerField(),
                           "orders": s.OrderOutput(many=True)})})
    def post(self, request):
        data = s.CheckoutCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["key"] = fields.get("key") or request.headers.get("Idempotency-Key", "")
        checkout, orders = services.checkout_place(buyer=request.user, **fields)
        rows = orders  # a new checkout's orders come as placed; a replay's are read again
        if checkout.replayed:
            rows = selectors.order_list_for_buyer(buyer=request.user).filter(
                pk__in=[o.pk for o in orders]).order_by("village_id", "pk")
        return Response({"checkout": checkout.pk, "orders": s.OrderOutput(rows, many=True).data},
                        status=status.HTTP_200_OK if checkout.replayed else status.HTTP_201_CREATED)
