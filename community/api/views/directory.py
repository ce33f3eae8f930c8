"""The public directory of a community: its business circle, peripheral services and housing."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from community import filters, selectors, services
from community.api.serializers import (
    BusinessInput,
    BusinessOutput,
    CouponClaimOutput,
    CouponInput,
    CouponOutput,
    CouponUpdateInput,
    HousingInput,
    HousingOutput,
    OfferInput,
    OfferOutput,
    RedeemInput,
    ServiceInput,
    ServiceOutput,
)
from community.api.views.common import UPLOAD_PARSERS, PublicListApi
from community.models import Business, HousingListing, PeripheralService
from synergy.core.api.base import Api, get_or_404


class BusinessListCreateApi(PublicListApi):
    """The business circle is public; merchants of the community list their shop."""

    queryset = Business.objects.none()  # for the schema; get_queryset scopes the real one
    serializer_class = BusinessOutput
    filterset_class = filters.BusinessFilter

    def get_queryset(self):
        return selectors.business_list(community=selectors.community_get(pk=self.kwargs["community_id"]),
                                       filters=self.request.query_params)

    @extend_schema(request=BusinessInput, responses={201: BusinessOutput})
    def post(self, request, community_id: int):
        community = selectors.community_get(pk=community_id)
        data = BusinessInput(data=request.data)
        data.is_valid(raise_exception=True)
        business = services.business_create(owner=request.user, community=community,
                                            **data.validated_data)
        business = selectors.business_list(community=community).get(pk=business.pk)
        return Response(BusinessOutput(business).data, status=status.HTTP_201_CREATED)


class BusinessDetailApi(Api):
    @extend_schema(responses=BusinessOutput)
    def get(self, request, pk: int):
        business = selectors.business_get(pk=pk)
        business = get_or_404(selectors.business_list(community=business.community_id), pk=pk)
        return Response(BusinessOutput(business).data)

    @extend_schema(request=BusinessInput(partial=True), responses=BusinessOutput)
    def patch(self, request, pk: int):
        business = selectors.business_get(pk=pk)
        data = BusinessInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.business_update(actor=request.user, business=business, **data.validated_data)
        business = selectors.business_list(community=business.community_id).get(pk=pk)
        return Response(BusinessOutput(business).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        services.business_remove(actor=request.user, business=selectors.business_get(pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class OfferDetailApi(Api):
    @extend_schema(request=OfferInput(partial=True), responses=OfferOutput)
    def patch(self, request, pk: int):
        offer = selectors.offer_get(pk=pk)
        data = OfferInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        offer = services.offer_update(actor=request.user, offer=offer, **data.validated_data)
        return Response(OfferOutput(offer).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        services.offer_remove(actor=request.user, offer=selectors.offer_get(pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CouponDetailApi(Api):
    @extend_schema(request=CouponUpdateInput, responses=CouponOutput)
    def patch(self, request, pk: int):
        coupon = selectors.coupon_get(pk=pk)
        data = CouponUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        coupon = services.coupon_update(actor=request.user, coupon=coupon, **data.validated_data)
        return Response(CouponOutput(coupon).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        """Withdraw: nobody can claim it any more; claimed codes stay redeemable."""
        services.coupon_remove(actor=request.user, coupon=selectors.coupon_get(pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CouponClaimApi(Api):
    """A resident claims a coupon: 201 with their code; 409 when claimed already or none left."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: CouponClaimOutput})
    def post(self, request, pk: int):
        claim = services.coupon_claim(user=request.user, coupon=selectors.coupon_get(pk=pk))
        return Response(CouponClaimOutput(claim).data, status=status.HTTP_201_CREATED)


class MyCouponListApi(Api):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CouponClaimOutput(many=True))
    def get(self, request):
        claims = selectors.coupon_claims_for_user(user=request.user)[:200]
        return Response(CouponClaimOutput(claims, many=True).data)


class CouponRedeemApi(Api):
    """The merchant redeems a resident's code: once (409 on the second)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=RedeemInput, responses=CouponClaimOutput)
    def post(self, request, pk: int):
        business = selectors.business_get(pk=pk)
        data = RedeemInput(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.coupon_redeem(actor=request.user, business=business, **data.validated_data)
        return Response(CouponClaimOutput(claim).data)


class OfferCreateApi(Api):
    @extend_schema(request=OfferInput, responses={201: OfferOutput})
    def post(self, request, pk: int):
        business = selectors.business_get(pk=pk)
        data = OfferInput(data=request.data)
        data.is_valid(raise_exception=True)
        offer = services.offer_create(actor=request.user, business=business, **data.validated_data)
        return Response(OfferOutput(offer).data, status=status.HTTP_201_CREATED)


class CouponCreateApi(Api):
    @extend_schema(request=CouponInput, responses={201: CouponOutput})
    def post(self, request, pk: int):
        business = selectors.business_get(pk=pk)
        data = CouponInput(data=request.data)
        data.is_valid(raise_exception=True)
        coupon = services.coupon_create(actor=request.user, business=business, **data.validated_data)
        return Response(CouponOutput(coupon).data, status=status.HTTP_201_CREATED)


class ServiceListCreateApi(PublicListApi):
    """The peripheral services directory (public); the property manager keeps it."""

    queryset = PeripheralService.objects.none()  # for the schema; get_queryset scopes the real one
    serializer_class = ServiceOutput
    filterset_class = filters.ServiceFilter

    def get_queryset(self):
        return selectors.service_list(community=selectors.community_get(pk=self.kwargs["community_id"]),
                                      filters=self.request.query_params)

    @extend_schema(request=ServiceInput, responses={201: ServiceOutput})
    def post(self, request, community_id: int):
        community = selectors.community_get(pk=community_id)
        data = ServiceInput(data=request.data)
        data.is_valid(raise_exception=True)
        service = services.service_create(actor=request.user, community=community,
                                          **data.validated_data)
        return Response(ServiceOutput(service).data, status=status.HTTP_201_CREATED)


class HousingListCreateApi(PublicListApi):
    """Rent and sale listings (public), filtered by kind, price, rooms and area."""

    queryset = HousingListing.objects.none()  # for the schema; get_queryset scopes the real one
    serializer_class = HousingOutput
    filterset_class = filters.HousingFilter
    parser_classes = UPLOAD_PARSERS

    def get_queryset(self):
        return selectors.housing_list(community=selectors.community_get(pk=self.kwargs["community_id"]),
                                      filters=self.request.query_params)

    @extend_schema(request={"multipart/form-data": HousingInput, "application/json": HousingInput},
                   responses={201: HousingOutput})
    def post(self, request, community_id: int):
        community = selectors.community_get(pk=community_id)
        data = HousingInput(data=request.data)
        data.is_valid(raise_exception=True)
        listing = services.housing_create(posted_by=request.user, community=community,
                                          **data.validated_data)
        listing = selectors.housing_get(pk=listing.pk)
        return Response(HousingOutput(listing, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class HousingDetailApi(Api):
    @extend_schema(responses=HousingOutput)
    def get(self, request, pk: int):
        listing = selectors.housing_get(pk=pk)
        return Response(HousingOutput(listing, context={"request": request}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        listing = selectors.housing_get(pk=pk)
        services.housing_deactivate(actor=request.user, listing=listing)
        return Response(status=status.HTTP_204_NO_CONTENT)
