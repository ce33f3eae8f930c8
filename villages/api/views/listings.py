"""Products and tourism offers: lists (filtered by the selectors), create, edit, and one view per
moderation step (submit, approve, reject, archive); an offer's calendar and capacity."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from synergy.core.api.base import Api, ListApi, get_or_404
from synergy.core.api.cached import SharedListMixin
from synergy.core.api.parsers import JSONParser
from villages import selectors, services
from villages.api import serializers as s
from villages.models import ListingStatus, Product, TourismOffer

# --- Products --------------------------------------------------------------------------------


class ProductListCreateApi(SharedListMixin, ListApi):
    """Published products. Filters (see villages.selectors.filters.ProductFilter): village,
    category, search, min_price, max_price, in_stock, ordering. The same for every caller:
    served from the page cache, fresh (villages.cache)."""

    cache_kind, cache_names = "products", ("catalogue", "villages")

    queryset = Product.objects.none()  # for the schema; rows come from the selector
    serializer_class = s.ProductOutput
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.product_list(viewer=self.request.user, filters=self.request.query_params)

    @extend_schema(request=s.ProductCreateInput, responses={201: s.ProductOutput})
    def post(self, request):
        data = s.ProductCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_create(by=request.user, **data.validated_data)
        return Response(s.ProductOutput(product, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class ProductDetailApi(Api):
    @extend_schema(responses=s.ProductOutput)
    def get(self, request, pk: int):
        product = selectors.product_get_for_viewer(viewer=request.user, pk=pk)
        return Response(s.ProductOutput(product, context={"request": request}).data)

    @extend_schema(request=s.ProductUpdateInput, responses=s.ProductOutput)
    def patch(self, request, pk: int):
        product = get_or_404(Product, pk=pk)
        data = s.ProductUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        product = services.product_update(by=request.user, product=product, **data.validated_data)
        product = get_or_404(selectors.product_list(statuses=ListingStatus.values), pk=product.pk)
        return Response(s.ProductOutput(product, context={"request": request}).data)


# --- Moderation: one view per step -----------------------------------------------------------


class _NoInput(serializers.Serializer):
    pass


class _ListingActionApi(Api):
    """POST /<listing>/<id>/<step>/: `model` and `output` are given by the route (products or
    tourism offers); each subclass calls its one service."""

    model = None
    output = None
    input_class: type[serializers.Serializer] = _NoInput
    service = None

    def post(self, request, pk: int):
        listing = get_or_404(self.model, pk=pk)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        type(self).service(by=request.user, listing=listing, **data.validated_data)
        return Response(self.output(listing, context={"request": request}).data)


class ListingSubmitApi(_ListingActionApi):
    """A coordinator sends a draft (or an archived listing) for review."""

    service = staticmethod(services.listing_submit)

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        return super().post(request, pk)


class ListingApproveApi(_ListingActionApi):
    """An administrator publishes a listing waiting for review."""

    service = staticmethod(services.listing_approve)

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        return super().post(request, pk)


class ListingRejectApi(_ListingActionApi):
    """An administrator sends a listing back to draft, saying what should change."""

    input_class = s.RejectInput
    service = staticmethod(services.listing_reject)

    @extend_schema(request=s.RejectInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        return super().post(request, pk)


class ListingArchiveApi(_ListingActionApi):
    """A coordinator takes a listing off the catalogue."""

    service = staticmethod(services.listing_archive)

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        return super().post(request, pk)


# --- Tourism offers --------------------------------------------------------------------------


class OfferListCreateApi(ListApi):
    """Published offers. Filters: village, kind."""

    queryset = TourismOffer.objects.none()  # for the schema; rows come from the selector
    serializer_class = s.TourismOfferOutput

    def get_queryset(self):
        return selectors.offer_list(filters=self.request.query_params)

    @extend_schema(request=s.TourismOfferCreateInput, responses={201: s.TourismOfferOutput})
    def post(self, request):
        data = s.TourismOfferCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        offer = services.offer_create(by=request.user, **data.validated_data)
        return Response(s.TourismOfferOutput(offer, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class OfferDetailApi(Api):
    @extend_schema(responses=s.TourismOfferOutput)
    def get(self, request, pk: int):
        offer = selectors.offer_get_for_viewer(viewer=request.user, pk=pk)
        return Response(s.TourismOfferOutput(offer, context={"request": request}).data)

    @extend_schema(request=s.TourismOfferUpdateInput, responses=s.TourismOfferOutput)
    def patch(self, request, pk: int):
        offer = get_or_404(TourismOffer, pk=pk)
        data = s.TourismOfferUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        offer = services.offer_update(by=request.user, offer=offer, **data.validated_data)
        return Response(s.TourismOfferOutput(offer, context={"request": request}).data)


class OfferCalendarApi(Api):
    @extend_schema(parameters=[s.CalendarQueryInput], responses=s.CalendarDayOutput(many=True))
    def get(self, request, pk: int):
        offer = selectors.offer_get_for_viewer(viewer=request.user, pk=pk)
        query = s.CalendarQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        days = selectors.offer_calendar(offer=offer, start=query.validated_data.get("start"),
                                        days=query.validated_data["days"])
        return Response(s.CalendarDayOutput(days, many=True).data)


class OfferCapacityApi(Api):
    @extend_schema(request=s.CapacityInput, responses=s.CalendarDayOutput)
    def post(self, request, pk: int):
        offer = get_or_404(TourismOffer, pk=pk)
        data = s.CapacityInput(data=request.data)
        data.is_valid(raise_exception=True)
        day = services.offer_day_set_capacity(by=request.user, offer=offer, **data.validated_data)
        return Response(s.CalendarDayOutput(day).data)
