"""Every write of the village node (split by subdomain; import from here)."""

from villages.services.checkout import checkout_place
from villages.services.listings import (
    listing_approve,
    listing_archive,
    listing_reject,
    listing_submit,
    offer_create,
    offer_update,
    photo_add,
    photo_caption_set,
    photo_delete,
    photo_move,
    product_create,
    product_update,
    profile_update,
)
from villages.services.orders import (
    order_cancel,
    order_mark_delivered,
    order_mark_paid,
    order_place,
)
from villages.services.payments import (
    payment_claim_confirm,
    payment_claim_create,
    payment_claim_decline,
    payment_instructions_set,
    payment_record,
)
from villages.services.pickup import (
    order_collect,
    order_find_by_code,
    pickup_staff_add,
    pickup_staff_remove,
)
from villages.services.rounds import (
    round_cancel,
    round_close,
    round_deliver,
    round_open,
    round_update,
    rounds_close_due,
)
from villages.services.tourism import (
    booking_cancel,
    booking_confirm,
    booking_create,
    booking_release_expired,
    offer_day_set_capacity,
)

__all__ = [
    "booking_cancel", "booking_confirm", "checkout_place", "booking_create", "booking_release_expired",
    "listing_approve", "listing_archive", "listing_reject", "listing_submit", "offer_create",
    "offer_day_set_capacity", "offer_update", "order_cancel", "order_collect",
    "order_mark_delivered", "order_mark_paid", "order_place", "photo_add", "photo_caption_set",
    "photo_delete", "photo_move", "product_create", "product_update", "profile_update",
    "round_cancel", "round_close", "round_deliver", "round_open", "round_update",
    "rounds_close_due",
    # pickup and payments
    "order_find_by_code", "payment_claim_confirm", "payment_claim_create", "payment_claim_decline",
    "payment_instructions_set", "payment_record", "pickup_staff_add", "pickup_staff_remove",
]
