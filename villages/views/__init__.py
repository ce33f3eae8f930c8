"""HTML pages of the village node, by subdomain: parse, fetch through a (permission-aware)
selector, call one service. Operations on an order, a booking or a listing are one view class
each (`villages.views._common.ActionView`)."""

from villages.views.cart import CART, cart, cart_add, cart_remove, cart_set, checkout, checkout_done
from villages.views.catalogue import product_detail, product_list, village_detail, village_list
from villages.views.manage import (
    ListingApproveView,
    ListingArchiveView,
    ListingRejectView,
    ListingSubmitView,
    PhotoCaptionView,
    PhotoDeleteView,
    PhotoDownView,
    PhotoUpView,
    manage,
    manage_home,
    moderation,
    offer_edit,
    offer_new,
    product_edit,
    product_new,
    product_stock,
    profile_edit,
    round_deliver,
    round_detail,
    round_new,
)
from villages.views.orders import (
    OrderCancelView,
    OrderCollectView,
    OrderDeliverView,
    OrderPayView,
    OrderRefundView,
    my_orders,
    order_detail,
)
from villages.views.stays import (
    BookingCancelView,
    BookingConfirmView,
    my_bookings,
    offer_detail,
    stay_list,
)

__all__ = [
    "BookingCancelView", "BookingConfirmView", "CART", "ListingApproveView", "ListingArchiveView",
    "ListingRejectView", "ListingSubmitView", "OrderCancelView", "OrderCollectView",
    "OrderDeliverView", "OrderPayView", "OrderRefundView", "PhotoCaptionView", "PhotoDeleteView",
    "PhotoDownView", "PhotoUpView", "cart", "cart_add", "cart_remove", "cart_set", "checkout",
    "checkout_done", "manage",
    "manage_home", "moderation", "my_bookings", "my_orders", "offer_detail", "offer_edit",
    "offer_new", "order_detail", "product_detail", "product_edit", "product_list", "product_new",
    "product_stock", "profile_edit", "round_deliver", "round_detail", "round_new", "stay_list",
    "village_detail", "village_list",
]
