"""Thin API views: parse input, call one service or selector, serialise.

Permission rules live in the services (one selector call each); a refused caller, anonymous
included, gets 403 with {"detail": ...}. Session authentication is listed first so that DRF
answers an anonymous write with 403 (as the contract says), not 401.
"""

from __future__ import annotations

import re

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from knox.auth import TokenAuthentication
from rest_framework import generics, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from synergy.core.api.parsers import JSONParser
from synergy.core.errors import NotAllowed
from synergy.core.models import Village
from villages import selectors, services
from villages.api import serializers as s
from villages.models import Booking, GroupBuyRound, ListingStatus, Order, Product, TourismOffer


class VillagesApi(APIView):
    authentication_classes = [SessionAuthentication, TokenAuthentication]
    # Anonymous callers may read; any write needs a login first (found by the permission matrix:
    # an empty anonymous POST reached validation and got a 400). Services decide the rest.
    permission_classes = [IsAuthenticatedOrReadOnly]


def _get(model, pk, qs=None):
    try:
        return (qs if qs is not None else model.objects).get(pk=pk)
    except model.DoesNotExist:
        raise Http404 from None


def _int_param(request, name: str) -> int | None:
    """An optional whole-number query parameter; anything else is a 400 naming it."""
    raw = request.query_params.get(name, "")
    if raw == "":
        return None
    # ASCII digits only and at most 18 of them: str.isdigit() accepts "²", which int() refuses.
    if not re.fullmatch(r"[0-9]{1,18}", raw):
        raise ValidationError({name: [_("A whole number is required.")]})
    return int(raw)


def _require_login(request):
    if not request.user.is_authenticated:
        raise NotAllowed(_("Log in first."))


# --- Villages --------------------------------------------------------------------------------


class VillageProfileApi(VillagesApi):
    @extend_schema(responses=s.VillageProfileOutput)
    def get(self, request, pk: int):
        village = _get(Village, pk, selectors.village_list())
        return Response(s.VillageProfileOutput(village).data)

    @extend_schema(request=s.VillageProfileInput, responses=s.VillageProfileOutput)
    def put(self, request, pk: int):
        village = _get(Village, pk)
        data = s.VillageProfileInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.profile_update(by=request.user, village=village, **data.validated_data)
        return Response(s.VillageProfileOutput(_get(Village, pk, selectors.village_list())).data)


class PhotoUploadApi(VillagesApi):
    parser_classes = [MultiPartParser, FormParser]
    target_model = None

    def get_target(self, pk):
        return _get(self.target_model, pk)

    @extend_schema(request=s.PhotoInput, responses={201: s.PhotoOutput})
    def post(self, request, pk: int):
        target = self.get_target(pk)
        data = s.PhotoInput(data=request.data)
        data.is_valid(raise_exception=True)
        photo = services.photo_add(by=request.user, target=target, upload=data.validated_data["photo"],
                                   caption=data.validated_data["caption"])
        return Response(s.PhotoOutput(photo, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class VillagePhotoApi(PhotoUploadApi):
    target_model = Village


class ProductPhotoApi(PhotoUploadApi):
    target_model = Product


class OfferPhotoApi(PhotoUploadApi):
    target_model = TourismOffer


class VillageOrdersApi(VillagesApi, generics.GenericAPIView):
    """A village's orders, for its coordinators (filters: status, round)."""

    queryset = Order.objects.none()  # for the schema; rows come from selectors

    @extend_schema(responses=s.OrderOutput(many=True))
    def get(self, request, pk: int):
        village = _get(Village, pk)
        if not selectors.core_selectors.user_coordinates_village(user=request.user, village=village):
            raise NotAllowed(_("Only this village's coordinators can see its orders."))
        qs = selectors.order_list_for_village(village=village, status=request.GET.get("status", ""),
                                              round=_int_param(request, "round"))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.OrderOutput(page, many=True).data)


class VillageBookingsApi(VillagesApi, generics.GenericAPIView):
    queryset = Booking.objects.none()  # for the schema; rows come from selectors

    @extend_schema(responses=s.BookingOutput(many=True))
    def get(self, request, pk: int):
        village = _get(Village, pk)
        if not selectors.core_selectors.user_coordinates_village(user=request.user, village=village):
            raise NotAllowed(_("Only this village's coordinators can see its bookings."))
        page = self.paginate_queryset(selectors.booking_list_for_village(village=village))
        return self.get_paginated_response(s.BookingOutput(page, many=True).data)


# --- Products --------------------------------------------------------------------------------


class ProductListCreateApi(VillagesApi, generics.GenericAPIView):
    queryset = Product.objects.none()  # for the schema; rows come from selectors

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(parameters=[s.ProductFilterInput], responses=s.ProductOutput(many=True))
    def get(self, request):
        filters = s.ProductFilterInput(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.product_list(viewer=request.user,
                                                             **filters.validated_data))
        return self.get_paginated_response(
            s.ProductOutput(page, many=True, context={"request": request}).data)

    @extend_schema(request=s.ProductCreateInput, responses={201: s.ProductOutput})
    def post(self, request):
        data = s.ProductCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_create(by=request.user, **data.validated_data)
        return Response(s.ProductOutput(product, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class ProductDetailApi(VillagesApi):
    @extend_schema(responses=s.ProductOutput)
    def get(self, request, pk: int):
        try:
            product = selectors.product_get_for_viewer(viewer=request.user, pk=pk)
        except Product.DoesNotExist:
            raise Http404 from None
        return Response(s.ProductOutput(product, context={"request": request}).data)

    @extend_schema(request=s.ProductUpdateInput, responses=s.ProductOutput)
    def patch(self, request, pk: int):
        product = _get(Product, pk)
        data = s.ProductUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        product = services.product_update(by=request.user, product=product, **data.validated_data)
        product = selectors.product_list(statuses=ListingStatus.values).get(pk=product.pk)
        return Response(s.ProductOutput(product, context={"request": request}).data)


class ListingActionApi(VillagesApi):
    """POST /<listing>/<id>/{submit,approve,reject,archive}/"""

    model = None
    output = None
    action = ""

    @extend_schema(request=s.RejectInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        listing = _get(self.model, pk)
        if self.action == "submit":
            services.listing_submit(by=request.user, listing=listing)
        elif self.action == "approve":
            services.listing_approve(by=request.user, listing=listing)
        elif self.action == "archive":
            services.listing_archive(by=request.user, listing=listing)
        else:
            if not getattr(request.user, "is_authenticated", False):
                raise NotAllowed(_("Log in first."))
            data = s.RejectInput(data=request.data)
            data.is_valid(raise_exception=True)
            services.listing_reject(by=request.user, listing=listing, note=data.validated_data["note"])
        return Response(self.output(listing, context={"request": request}).data)


# --- Rounds ----------------------------------------------------------------------------------


class RoundListCreateApi(VillagesApi, generics.GenericAPIView):
    queryset = GroupBuyRound.objects.none()  # for the schema; rows come from selectors

    @extend_schema(responses=s.RoundOutput(many=True))
    def get(self, request):
        qs = selectors.round_list(
            village=_int_param(request, "village"),
            community=_int_param(request, "community"),
            open_only=request.GET.get("open", "").lower() in {"1", "true", "yes"},
        )
        page = self.paginate_queryset(qs.distinct())
        return self.get_paginated_response(s.RoundOutput(page, many=True).data)

    @extend_schema(request=s.RoundCreateInput, responses={201: s.RoundOutput})
    def post(self, request):
        data = s.RoundCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        round_ = services.round_open(
            by=request.user, village=v["village"], title=v["title"], note=v["note"],
            cutoff_at=v["cutoff_at"], delivery_date=v["delivery_date"],
            pickups=[(p["community"], p["pickup_point"]) for p in v["pickups"]],
        )
        return Response(s.RoundOutput(selectors.round_list().get(pk=round_.pk)).data,
                        status=status.HTTP_201_CREATED)


class RoundDetailApi(VillagesApi):
    @extend_schema(responses=s.RoundOutput)
    def get(self, request, pk: int):
        return Response(s.RoundOutput(_get(GroupBuyRound, pk, selectors.round_list())).data)


class RoundDemandApi(VillagesApi):
    @extend_schema(responses=s.DemandOutput)
    def get(self, request, pk: int):
        round_ = _get(GroupBuyRound, pk)
        if not selectors.core_selectors.user_coordinates_village(user=request.user,
                                                                 village=round_.village_id):
            raise NotAllowed(_("Only this village's coordinators can see the round's demand."))
        demand = selectors.round_demand(round=round_)
        return Response(s.DemandOutput({
            "orders": demand.orders, "amount": demand.amount, "products": demand.products,
            "communities": demand.communities}).data)


class RoundDeliverApi(VillagesApi):
    @extend_schema(request=None, responses=s.RoundOutput)
    def post(self, request, pk: int):
        round_ = _get(GroupBuyRound, pk)
        services.round_deliver(by=request.user, round=round_)
        return Response(s.RoundOutput(selectors.round_list().get(pk=pk)).data)


# --- Orders ----------------------------------------------------------------------------------


class OrderListCreateApi(VillagesApi, generics.GenericAPIView):
    queryset = Order.objects.none()  # for the schema; rows come from selectors

    @extend_schema(responses=s.OrderOutput(many=True))
    def get(self, request):
        _require_login(request)
        page = self.paginate_queryset(selectors.order_list_for_buyer(buyer=request.user))
        return self.get_paginated_response(s.OrderOutput(page, many=True).data)

    @extend_schema(request=s.OrderCreateInput, responses={201: s.OrderOutput})
    def post(self, request):
        _require_login(request)
        data = s.OrderCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.order_place(buyer=request.user, **data.validated_data)
        return Response(s.OrderOutput(selectors.order_list_for_buyer(buyer=request.user)
                                      .get(pk=order.pk)).data, status=status.HTTP_201_CREATED)


def _order_for(request, pk):
    _require_login(request)
    try:
        return selectors.order_get_for_user(user=request.user, pk=pk)
    except Order.DoesNotExist:
        raise Http404 from None


class OrderDetailApi(VillagesApi):
    @extend_schema(responses=s.OrderDetailOutput)
    def get(self, request, pk: int):
        return Response(s.OrderDetailOutput(_order_for(request, pk)).data)


class OrderActionApi(VillagesApi):
    action = ""

    @extend_schema(request=None, responses=s.OrderDetailOutput)
    def post(self, request, pk: int):
        order = _order_for(request, pk)
        if self.action == "collect":
            services.order_collect(by=request.user, order=order)
        elif self.action == "deliver":
            services.order_mark_delivered(by=request.user, order=order)
        return Response(s.OrderDetailOutput(_order_for(request, pk)).data)


class OrderCancelApi(VillagesApi):
    """Cancel an order. A paid one only by the village's coordinator, with the refund."""

    @extend_schema(request=s.OrderCancelInput, responses=s.OrderDetailOutput)
    def post(self, request, pk: int):
        order = _order_for(request, pk)
        data = s.OrderCancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.order_cancel(by=request.user, order=order, **data.validated_data)
        return Response(s.OrderDetailOutput(_order_for(request, pk)).data)


class OrderPayApi(VillagesApi):
    @extend_schema(request=s.PaymentInput, responses=s.OrderDetailOutput)
    def post(self, request, pk: int):
        order = _order_for(request, pk)
        data = s.PaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.order_mark_paid(by=request.user, order=order, **data.validated_data)
        return Response(s.OrderDetailOutput(_order_for(request, pk)).data)


# --- Tourism ---------------------------------------------------------------------------------


class OfferListCreateApi(VillagesApi, generics.GenericAPIView):
    queryset = TourismOffer.objects.none()  # for the schema; rows come from selectors

    @extend_schema(responses=s.TourismOfferOutput(many=True))
    def get(self, request):
        qs = selectors.offer_list(village=_int_param(request, "village"),
                                  kind=request.GET.get("kind", ""))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(
            s.TourismOfferOutput(page, many=True, context={"request": request}).data)

    @extend_schema(request=s.TourismOfferCreateInput, responses={201: s.TourismOfferOutput})
    def post(self, request):
        data = s.TourismOfferCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        offer = services.offer_create(by=request.user, **data.validated_data)
        return Response(s.TourismOfferOutput(offer, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class OfferDetailApi(VillagesApi):
    @extend_schema(responses=s.TourismOfferOutput)
    def get(self, request, pk: int):
        try:
            offer = selectors.offer_get_for_viewer(viewer=request.user, pk=pk)
        except TourismOffer.DoesNotExist:
            raise Http404 from None
        return Response(s.TourismOfferOutput(offer, context={"request": request}).data)

    @extend_schema(request=s.TourismOfferUpdateInput, responses=s.TourismOfferOutput)
    def patch(self, request, pk: int):
        offer = _get(TourismOffer, pk)
        data = s.TourismOfferUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        offer = services.offer_update(by=request.user, offer=offer, **data.validated_data)
        return Response(s.TourismOfferOutput(offer, context={"request": request}).data)


class OfferCalendarApi(VillagesApi):
    @extend_schema(parameters=[s.CalendarQueryInput], responses=s.CalendarDayOutput(many=True))
    def get(self, request, pk: int):
        try:
            offer = selectors.offer_get_for_viewer(viewer=request.user, pk=pk)
        except TourismOffer.DoesNotExist:
            raise Http404 from None
        query = s.CalendarQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        days = selectors.offer_calendar(offer=offer, start=query.validated_data.get("start"),
                                        days=query.validated_data["days"])
        return Response(s.CalendarDayOutput(days, many=True).data)


class OfferCapacityApi(VillagesApi):
    @extend_schema(request=s.CapacityInput, responses=s.CalendarDayOutput)
    def post(self, request, pk: int):
        offer = _get(TourismOffer, pk)
        data = s.CapacityInput(data=request.data)
        data.is_valid(raise_exception=True)
        day = services.offer_day_set_capacity(by=request.user, offer=offer, **data.validated_data)
        return Response(s.CalendarDayOutput(day).data)


class OfferBookingCreateApi(VillagesApi):
    @extend_schema(request=s.BookingCreateInput, responses={201: s.BookingOutput})
    def post(self, request, pk: int):
        _require_login(request)
        try:
            offer = selectors.offer_get_for_viewer(viewer=request.user, pk=pk)
        except TourismOffer.DoesNotExist:
            raise Http404 from None
        data = s.BookingCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.booking_create(guest=request.user, offer=offer, **data.validated_data)
        return Response(s.BookingOutput(booking).data, status=status.HTTP_201_CREATED)


class BookingListApi(VillagesApi, generics.GenericAPIView):
    queryset = Booking.objects.none()  # for the schema; rows come from selectors

    @extend_schema(responses=s.BookingOutput(many=True))
    def get(self, request):
        _require_login(request)
        page = self.paginate_queryset(selectors.booking_list_for_guest(guest=request.user))
        return self.get_paginated_response(s.BookingOutput(page, many=True).data)


def _booking_for(request, pk):
    _require_login(request)
    try:
        return selectors.booking_get_for_user(user=request.user, pk=pk)
    except Booking.DoesNotExist:
        raise Http404 from None


class BookingDetailApi(VillagesApi):
    @extend_schema(responses=s.BookingOutput)
    def get(self, request, pk: int):
        return Response(s.BookingOutput(_booking_for(request, pk)).data)


class BookingActionApi(VillagesApi):
    action = ""

    @extend_schema(request=None, responses=s.BookingOutput)
    def post(self, request, pk: int):
        booking = _booking_for(request, pk)
        if self.action == "cancel":
            booking = services.booking_cancel(by=request.user, booking=booking)
        else:
            booking = services.booking_confirm(by=request.user, booking=booking)
        return Response(s.BookingOutput(booking).data)
