"""Thin API views of the village node, by subdomain: parse input, call one service or selector,
serialise. They stand on the core base (`synergy.core.api.base`): token then session
authentication, anonymous callers read only (an anonymous write is 401, as in every app);
services and permission-aware selectors refuse the rest (403 with {"detail": ...})."""

from villages.api.views.bookings import (
    BookingCancelApi,
    BookingConfirmApi,
    BookingDetailApi,
    BookingListApi,
    OfferBookingCreateApi,
)
from villages.api.views.checkouts import CheckoutCreateApi
from villages.api.views.demand import ProductDemandApi
from villages.api.views.listings import (
    ListingApproveApi,
    ListingArchiveApi,
    ListingRejectApi,
    ListingSubmitApi,
    OfferCalendarApi,
    OfferCapacityApi,
    OfferDetailApi,
    OfferListCreateApi,
    ProductDetailApi,
    ProductListCreateApi,
)
from villages.api.views.orders import (
    OrderCancelApi,
    OrderCollectApi,
    OrderDeliverApi,
    OrderDetailApi,
    OrderListCreateApi,
    OrderPayApi,
)
from villages.api.views.payments import (
    ClaimConfirmApi,
    ClaimDeclineApi,
    OrderPaymentClaimApi,
    VillagePaymentInstructionsApi,
)
from villages.api.views.rounds import RoundDeliverApi, RoundDemandApi, RoundDetailApi, RoundListCreateApi
from villages.api.views.villages import (
    OfferPhotoApi,
    PhotoUploadApi,
    ProductPhotoApi,
    VillageBookingsApi,
    VillageOrdersApi,
    VillagePhotoApi,
    VillageProfileApi,
)

__all__ = [
    "BookingCancelApi", "BookingConfirmApi", "BookingDetailApi", "BookingListApi", "CheckoutCreateApi",
    "ListingApproveApi", "ListingArchiveApi", "ListingRejectApi", "ListingSubmitApi",
    "OfferBookingCreateApi", "OfferCalendarApi", "OfferCapacityApi", "OfferDetailApi",
    "OfferListCreateApi", "OfferPhotoApi", "OrderCancelApi", "OrderCollectApi", "OrderDeliverApi",
    "OrderDetailApi", "OrderListCreateApi", "OrderPayApi", "PhotoUploadApi", "ProductDetailApi",
    "ProductListCreateApi", "ProductPhotoApi", "RoundDeliverApi", "RoundDemandApi",
    "RoundDetailApi", "RoundListCreateApi", "VillageBookingsApi", "VillageOrdersApi",
    "VillagePhotoApi", "VillageProfileApi",
    # payments
    "ClaimConfirmApi", "ClaimDeclineApi", "OrderPaymentClaimApi", "VillagePaymentInstructionsApi",
    "ProductDemandApi",
]
