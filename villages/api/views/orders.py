"""Orders: the caller's list, placing one, and one view per operation on an order."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from synergy.core.api.base import Api, ListApi
from synergy.core.errors import NotAllowed
from villages import selectors, services
from villages.api import payment_serializers as ps
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
        order = services.order_place(buyer=request.user, **data.validated_data)  # as placed
        return Response(s.OrderOutput(order, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class OrderDetailApi(Api):
    @extend_schema(responses=s.OrderDetailOutput)
    def get(self, request, pk: int):
        return Response(s.OrderDetailOutput(
            selectors.order_get_for_user(user=request.user, pk=pk), context={"request": request}).data)


class _NoInput(serializers.Serializer):
    pass


class _OrderActionApi(Api):
    """POST to move an order along: one subclass per operation, each calling its one service
    with the order (if the caller may see it) and the parsed `input_class`."""

    input_class: type[serializers.Serializer] = _NoInput
    service = None

    def get_order(self, request, pk: int) -> Order:
        return selectors.order_get_for_user(user=request.user, pk=pk)

    def post(self, request, pk: int):
        order = self.get_order(request, pk)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        type(self).service(by=request.user, order=order, **data.validated_data)
        return self.respond(request, pk)

    def respond(self, request, pk: int) -> Response:
        return Response(s.OrderDetailOutput(
            selectors.order_get_for_user(user=request.user, pk=pk), context={"request": request}).data)


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
    """Pickup staff (or the manager) of the order's pickup community hand it over with the
    buyer's code: a wrong code is a 400 on `code`, an order already collected a 409."""

    input_class = ps.CollectInput
    service = staticmethod(services.order_collect)

    def get_order(self, request, pk: int) -> Order:
        try:
            return selectors.order_get_for_pickup(user=request.user, pk=pk)
        except Http404:
            selectors.order_get_for_user(user=request.user, pk=pk)  # 404 unless buyer/coordinator
            raise NotAllowed(_("Only the pickup staff of the order's community hand it over, "
                               "with the buyer's code.")) from None

    def respond(self, request, pk: int) -> Response:  # staff do not see the buyer's order page
        return Response(s.OrderOutput(selectors.order_get_for_pickup(user=request.user, pk=pk),
                                      context={"request": request}).data)

    @extend_schema(request=ps.CollectInput, responses=s.OrderOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)
