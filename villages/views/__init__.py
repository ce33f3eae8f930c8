"""HTML pages of the village node, by subdomain: parse, fetch through a (permission-aware)
selector, call one service. Operations on an order, a booking or a listing are one view class
each (`villages.views._common.ActionView`)."""

from villages.views.cart import CART, cart, cart_add, cart_remove, cart_set, checkout, checkout_done
from villages.views.catalogue import product_detail, product_list, village_detail, village_list
from villages.views.demand import product_demand, product_demand_csv
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
)
from villages.views.orders import (
    OrderCancelView,
    OrderDeliverView,
    OrderPayView,
    OrderRefundView,
    my_orders,
    order_detail,
)
from villages.views.payments import (
    ClaimConfirmView,
    ClaimDeclineView,
    OrderPaymentClaimView,
    payment_instructions_edit,
)
from villages.views.pickup import (
    PickupHandOverView,
    PickupStaffRemoveView,
    picking_list,
    pickup_counter,
    pickup_staff,
)
from villages.views.rounds import (
    RoundCancelView,
    round_deliver,
    round_detail,
    round_edit,
    round_new,
    round_page,
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
    "ListingRejectView", "ListingSubmitView", "OrderCancelView",
    "OrderDeliverView", "OrderPayView", "OrderRefundView", "PhotoCaptionView", "PhotoDeleteView",
    "PhotoDownView", "PhotoUpView", "RoundCancelView", "cart", "cart_add", "cart_remove", "cart_set",
    "checkout", "checkout_done", "manage",
    "manage_home", "moderation", "my_bookings", "my_orders", "offer_detail", "offer_edit",
    "offer_new", "order_detail", "product_detail", "product_edit", "product_list", "product_new",
    "product_stock", "profile_edit", "round_deliver", "round_detail", "round_edit", "round_new",
    "round_page", "stay_list",
    "village_detail", "village_list",
    # pickup and payments
    "ClaimConfirmView", "ClaimDeclineView", "OrderPaymentClaimView", "PickupHandOverView",
    "PickupStaffRemoveView", "payment_instructions_edit", "picking_list", "pickup_counter",
    "pickup_staff",
    "product_demand", "product_demand_csv",
]
