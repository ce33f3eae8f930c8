"""A village's profile, photos, and its back-office lists (orders, bookings)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from synergy.core.api.base import Api, ListApi, get_or_404
from synergy.core.models import Village
from villages import selectors, services
from villages.api import serializers as s
from villages.models import Booking, Order, Product, TourismOffer


class VillageProfileApi(Api):
    @extend_schema(responses=s.VillageProfileOutput)
    def get(self, request, pk: int):
        return Response(s.VillageProfileOutput(get_or_404(selectors.village_list(), pk=pk)).data)

    @extend_schema(request=s.VillageProfileInput, responses=s.VillageProfileOutput)
    def put(self, request, pk: int):
        village = get_or_404(Village, pk=pk)
        data = s.VillageProfileInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.profile_update(by=request.user, village=village, **data.validated_data)
        return Response(s.VillageProfileOutput(get_or_404(selectors.village_list(), pk=pk)).data)


class PhotoUploadApi(Api):
    """POST a photo to a village, a product or an offer (`target_model`)."""

    parser_classes = [MultiPartParser, FormParser]
    target_model = None

    @extend_schema(request=s.PhotoInput, responses={201: s.PhotoOutput})
    def post(self, request, pk: int):
        target = get_or_404(self.target_model, pk=pk)
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


class VillageOrdersApi(ListApi):
    """A village's orders, for its coordinators (filters: status, round)."""

    queryset = Order.objects.none()  # for the schema; rows come from the selector
    serializer_class = s.OrderOutput

    def get_queryset(self):
        return selectors.order_list_for_village(viewer=self.request.user,
                                                village=get_or_404(Village, pk=self.kwargs["pk"]),
                                                filters=self.request.query_params)


class VillageBookingsApi(ListApi):
    """A village's bookings, for its coordinators."""

    queryset = Booking.objects.none()  # for the schema; rows come from the selector
    serializer_class = s.BookingOutput

    def get_queryset(self):
        return selectors.booking_list_for_village(
            viewer=self.request.user, village=get_or_404(Village, pk=self.kwargs["pk"]))
