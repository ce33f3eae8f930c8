"""Bookings of tourism offers: request one, the caller's list, one view per operation."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from synergy.core.api.base import Api, ListApi
from villages import selectors, services
from villages.api import serializers as s
from villages.models import Booking


class OfferBookingCreateApi(Api):
    @extend_schema(request=s.BookingCreateInput, responses={201: s.BookingOutput})
    def post(self, request, pk: int):
        offer = selectors.offer_get_for_viewer(viewer=request.user, pk=pk)
        data = s.BookingCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.booking_create(guest=request.user, offer=offer, **data.validated_data)
        return Response(s.BookingOutput(booking).data, status=status.HTTP_201_CREATED)


class BookingListApi(ListApi):
    queryset = Booking.objects.none()  # for the schema; rows come from the selector
    serializer_class = s.BookingOutput

    def get_queryset(self):
        return selectors.booking_list_for_guest(guest=self.request.user)


class BookingDetailApi(Api):
    @extend_schema(responses=s.BookingOutput)
    def get(self, request, pk: int):
        return Response(s.BookingOutput(selectors.booking_get_for_user(user=request.user, pk=pk)).data)


class _BookingActionApi(Api):
    """POST to move a booking along: one subclass per operation and service."""

    service = None

    @extend_schema(request=None, responses=s.BookingOutput)
    def post(self, request, pk: int):
        booking = selectors.booking_get_for_user(user=request.user, pk=pk)
        return Response(s.BookingOutput(type(self).service(by=request.user, booking=booking)).data)


class BookingCancelApi(_BookingActionApi):
    """The guest, or the village's coordinator, cancels; the places come back."""

    service = staticmethod(services.booking_cancel)


class BookingConfirmApi(_BookingActionApi):
    """The village's coordinator confirms a requested booking."""

    service = staticmethod(services.booking_confirm)
