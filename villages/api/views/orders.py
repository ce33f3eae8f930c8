"""Orders: the caller's list, placing one, and one view per operation on an order."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from synergy.core.api.base import Api, ListApi, get_or_404
from villages import selectors, services
from villages.api import serializers as s
from villages.models import Order


class OrderListCreateApi(ListApi):
    queryset = Order.objects.none()  # for the schema; rows come from the selector
    serializer_class = s.OrderOutput

    def get_queryset(self):
        return selectors.order_list_for_buyer(buyer=self.request.user)

    @extend_schema(request=s.OrderCreateInput, responses={201: s.OrderOutput})
    def post(self, request):
        data = s.OrderCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.order_place(buyer=request.user, **data.validated_data)
        return Response(s.OrderOutput(get_or_404(selectors.order_list_for_buyer(buyer=request.user),
                                                 pk=order.pk)).data, status=status.HTTP_201_CREATED)


class OrderDetailApi(Api):
    @extend_schema(responses=s.OrderDetailOutput)
    def get(self, request, pk: int):
        return Response(s.OrderDetailOutput(
            selectors.order_get_for_user(user=request.user, pk=pk)).data)


class _NoInput(serializers.Serializer):
    pass


class _OrderActionApi(Api):
    """POST to move an order along: one subclass per operation, each calling its one service
    with the order (if the caller may see it) and the parsed `input_class`."""

    input_class: type[serializers.Serializer] = _NoInput
    service = None

    def post(self, request, pk: int):
        order = selectors.order_get_for_user(user=request.user, pk=pk)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        type(self).service(by=request.user, order=order, **data.validated_data)
        return Response(s.OrderDetailOutput(
            selectors.order_get_for_user(user=request.user, pk=pk)).data)


class OrderCancelApi(_OrderActionApi):
    """Cancel an order. A paid one only by the village's coordinator, with the refund."""

    input_class = s.OrderCancelInput
    service = staticmethod(services.order_cancel)

    @extend_schema(request=s.OrderCancelInput, responses=s.OrderDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class OrderPayApi(_OrderActionApi):
    """The village's coordinator records the payment."""

    input_class = s.PaymentInput
    service = staticmethod(services.order_mark_paid)

    @extend_schema(request=s.PaymentInput, responses=s.OrderDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class OrderDeliverApi(_OrderActionApi):
    """The village's coordinator marks an order delivered to its pickup point."""

    service = staticmethod(services.order_mark_delivered)

    @extend_schema(request=None, responses=s.OrderDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class OrderCollectApi(_OrderActionApi):
    """The buyer says they collected a delivered order."""

    service = staticmethod(services.order_collect)

    @extend_schema(request=None, responses=s.OrderDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)
