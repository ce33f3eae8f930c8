from django.urls import path, re_path

from villages import views
from villages.models import Product, ProductPhoto, TourismOffer, TourismOfferPhoto, VillagePhoto

app_name = "villages"

# One route per operation, each to its own view. The operation stays a part of the URL's name
# (`order_action` with the pk and "cancel", ...) so links and reverse() are unchanged; a route
# only matches its own literal step, and an unknown step matches none (404).
ORDER_ACTIONS = {"cancel": views.OrderCancelView, "refund": views.OrderRefundView,
                 "deliver": views.OrderDeliverView, "pay": views.OrderPayView,
                 "claim": views.OrderPaymentClaimView}
CLAIM_ACTIONS = {"confirm": views.ClaimConfirmView, "decline": views.ClaimDeclineView}
BOOKING_ACTIONS = {"cancel": views.BookingCancelView, "confirm": views.BookingConfirmView}
LISTING_ACTIONS = {"submit": views.ListingSubmitView, "archive": views.ListingArchiveView,
                   "approve": views.ListingApproveView, "reject": views.ListingRejectView}
LISTING_KINDS = {"product": Product, "offer": TourismOffer}
PHOTO_ACTIONS = {"delete": views.PhotoDeleteView, "up": views.PhotoUpView,
                 "down": views.PhotoDownView, "caption": views.PhotoCaptionView}
PHOTO_KINDS = {"village": VillagePhoto, "product": ProductPhoto, "offer": TourismOfferPhoto}

urlpatterns = [
    path("", views.village_list, name="village_list"),
    path("v/<slug:slug>/", views.village_detail, name="village_detail"),
    path("products/", views.product_list, name="product_list"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("cart/", views.cart, name="cart"),
    path("cart/add/<int:pk>/", views.cart_add, name="cart_add"),
    path("cart/remove/<int:pk>/", views.cart_remove, name="cart_remove"),
    path("cart/set/<int:pk>/", views.cart_set, name="cart_set"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/<int:pk>/", views.checkout_done, name="checkout_done"),
    path("orders/", views.my_orders, name="my_orders"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    *[re_path(rf"^orders/(?P<pk>[0-9]+)/(?P<action>{action})/$", view.as_view(),
              name="order_action") for action, view in ORDER_ACTIONS.items()],
    path("rounds/<int:pk>/", views.round_page, name="round_page"),
    path("stays/", views.stay_list, name="stay_list"),
    path("stays/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    *[re_path(rf"^bookings/(?P<pk>[0-9]+)/(?P<action>{action})/$", view.as_view(),
              name="booking_action") for action, view in BOOKING_ACTIONS.items()],
    path("manage/", views.manage_home, name="manage_home"),
    path("manage/<int:village_id>/", views.manage, name="manage"),
    path("manage/<int:village_id>/profile/", views.profile_edit, name="profile_edit"),
    path("manage/<int:village_id>/products/new/", views.product_new, name="product_new"),
    path("manage/<int:village_id>/rounds/new/", views.round_new, name="round_new"),
    path("manage/<int:village_id>/offers/new/", views.offer_new, name="offer_new"),
    path("manage/products/<int:pk>/", views.product_edit, name="product_edit"),
    path("manage/offers/<int:pk>/", views.offer_edit, name="offer_edit"),
    *[re_path(rf"^manage/photos/(?P<kind>{kind})/(?P<pk>[0-9]+)/(?P<action>{action})/$",
              view.as_view(model=model), name="photo_action")
      for kind, model in PHOTO_KINDS.items() for action, view in PHOTO_ACTIONS.items()],
    path("manage/products/<int:pk>/stock/", views.product_stock, name="product_stock"),
    path("manage/products/<int:pk>/demand/", views.product_demand, name="product_demand"),
    path("manage/products/<int:pk>/demand.csv", views.product_demand_csv,
         name="product_demand_csv"),
    path("manage/rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("manage/rounds/<int:pk>/deliver/", views.round_deliver, name="round_deliver"),
    path("manage/rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("manage/rounds/<int:pk>/cancel/", views.RoundCancelView.as_view(), name="round_cancel"),
    *[re_path(rf"^manage/(?P<kind>{kind})/(?P<pk>[0-9]+)/(?P<action>{action})/$",
              view.as_view(model=model), name="listing_action")
      for kind, model in LISTING_KINDS.items() for action, view in LISTING_ACTIONS.items()],
    path("moderation/", views.moderation, name="moderation"),
    # pickup point and payments
    path("pickup/", views.pickup_counter, name="pickup_counter"),
    path("pickup/orders/<int:pk>/hand-over/", views.PickupHandOverView.as_view(),
         name="pickup_hand_over"),
    path("pickup/staff/<int:community_id>/", views.pickup_staff, name="pickup_staff"),
    path("pickup/staff/remove/<int:pk>/", views.PickupStaffRemoveView.as_view(),
         name="pickup_staff_remove"),
    path("manage/rounds/<int:pk>/picking/<int:community_id>/", views.picking_list,
         name="picking_list"),
    path("manage/<int:village_id>/payment/", views.payment_instructions_edit,
         name="payment_instructions"),
    *[re_path(rf"^payment-claims/(?P<pk>[0-9]+)/(?P<action>{action})/$", view.as_view(),
              name="claim_action") for action, view in CLAIM_ACTIONS.items()],
]
