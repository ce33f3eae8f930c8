"""Village node API, mounted under /api/v1/ (GET /api/v1/villages/ itself lives in the core)."""

from django.urls import path

from villages.api import serializers as s
from villages.api import views as v
from villages.models import Product, TourismOffer

LISTING_STEPS = {"submit": v.ListingSubmitApi, "approve": v.ListingApproveApi,
                 "reject": v.ListingRejectApi, "archive": v.ListingArchiveApi}


def _listing_actions(prefix: str, model, output, name: str):
    """One route per moderation step of a kind of listing, each to its own view class."""
    return [
        path(f"{prefix}/<int:pk>/{step}/", view.as_view(model=model, output=output),
             name=f"api-{name}-{step}")
        for step, view in LISTING_STEPS.items()
    ]


urlpatterns = [
    path("villages/<int:pk>/profile/", v.VillageProfileApi.as_view(), name="api-village-profile"),
    path("villages/<int:pk>/photos/", v.VillagePhotoApi.as_view(), name="api-village-photos"),
    path("villages/<int:pk>/orders/", v.VillageOrdersApi.as_view(), name="api-village-orders"),
    path("villages/<int:pk>/bookings/", v.VillageBookingsApi.as_view(), name="api-village-bookings"),
    path("products/", v.ProductListCreateApi.as_view(), name="api-product-list"),
    path("products/<int:pk>/", v.ProductDetailApi.as_view(), name="api-product-detail"),
    path("products/<int:pk>/photos/", v.ProductPhotoApi.as_view(), name="api-product-photos"),
    path("products/<int:pk>/demand/", v.ProductDemandApi.as_view(), name="api-product-demand"),
    *_listing_actions("products", Product, s.ProductOutput, "product"),
    path("rounds/", v.RoundListCreateApi.as_view(), name="api-round-list"),
    path("rounds/<int:pk>/", v.RoundDetailApi.as_view(), name="api-round-detail"),
    path("rounds/<int:pk>/demand/", v.RoundDemandApi.as_view(), name="api-round-demand"),
    path("rounds/<int:pk>/deliver/", v.RoundDeliverApi.as_view(), name="api-round-deliver"),
    path("checkouts/", v.CheckoutCreateApi.as_view(), name="api-checkout-create"),
    path("orders/", v.OrderListCreateApi.as_view(), name="api-order-list"),
    path("orders/<int:pk>/", v.OrderDetailApi.as_view(), name="api-order-detail"),
    path("orders/<int:pk>/cancel/", v.OrderCancelApi.as_view(), name="api-order-cancel"),
    path("orders/<int:pk>/collect/", v.OrderCollectApi.as_view(),
         name="api-order-collect"),
    path("orders/<int:pk>/deliver/", v.OrderDeliverApi.as_view(),
         name="api-order-deliver"),
    path("orders/<int:pk>/pay/", v.OrderPayApi.as_view(), name="api-order-pay"),
    path("orders/<int:pk>/payment-claims/", v.OrderPaymentClaimApi.as_view(),
         name="api-order-payment-claims"),
    path("payment-claims/<int:pk>/confirm/", v.ClaimConfirmApi.as_view(), name="api-claim-confirm"),
    path("payment-claims/<int:pk>/decline/", v.ClaimDeclineApi.as_view(), name="api-claim-decline"),
    path("villages/<int:pk>/payment-instructions/", v.VillagePaymentInstructionsApi.as_view(),
         name="api-village-payment-instructions"),
    path("tourism-offers/", v.OfferListCreateApi.as_view(), name="api-offer-list"),
    path("tourism-offers/<int:pk>/", v.OfferDetailApi.as_view(), name="api-offer-detail"),
    path("tourism-offers/<int:pk>/photos/", v.OfferPhotoApi.as_view(), name="api-offer-photos"),
    path("tourism-offers/<int:pk>/calendar/", v.OfferCalendarApi.as_view(), name="api-offer-calendar"),
    path("tourism-offers/<int:pk>/capacity/", v.OfferCapacityApi.as_view(), name="api-offer-capacity"),
    path("tourism-offers/<int:pk>/bookings/", v.OfferBookingCreateApi.as_view(),
         name="api-offer-bookings"),
    *_listing_actions("tourism-offers", TourismOffer, s.TourismOfferOutput, "offer"),
    path("bookings/", v.BookingListApi.as_view(), name="api-booking-list"),
    path("bookings/<int:pk>/", v.BookingDetailApi.as_view(), name="api-booking-detail"),
    path("bookings/<int:pk>/cancel/", v.BookingCancelApi.as_view(),
         name="api-booking-cancel"),
    path("bookings/<int:pk>/confirm/", v.BookingConfirmApi.as_view(),
         name="api-booking-confirm"),
]
