"""Every read of the village node that a page, the API or another app uses, by subdomain.

Permission-aware fetches raise `NotAllowed` themselves (a refusal: 403 in the API) or Http404
(a record the caller may not know about); lists take `filters` (a dict or the query parameters)
and apply the FilterSets of `villages.selectors.filters`, raising `InvalidFilter` on a bad value.
"""

from villages.selectors.bookings import (
    booking_get_for_user,
    booking_holds_for_village,
    booking_list_for_guest,
    booking_list_for_village,
)
from villages.selectors.cart import (
    CartGroup,
    CartLine,
    cart_count,
    cart_groups,
    cart_normalise,
    cart_pickup_communities,
    cart_without_ordered,
)
from villages.selectors.channel import (
    FEED_KINDS,
    FeedItem,
    PairingFlow,
    channel_feed,
    feed_scope,
    feed_sort_key,
    flows_city_year,
    pairing_flows,
    stay_list_for_community,
)
from villages.selectors.demand import (
    DemandRound,
    ProductDemand,
    forecast_method_label,
    product_demand_for_coordinator,
)
from villages.selectors.filters import PRODUCT_ORDERINGS
from villages.selectors.listings import (
    CalendarDay,
    moderation_queue,
    offer_calendar,
    offer_get_for_coordinator,
    offer_get_for_viewer,
    offer_list,
    offers_on_date,
    product_get_for_coordinator,
    product_get_for_viewer,
    product_list,
)
from villages.selectors.orders import (
    PickupOption,
    checkout_options,
    order_get_for_user,
    order_list_for_buyer,
    order_list_for_village,
)
from villages.selectors.payments import (
    PaymentEvent,
    claim_get_for_coordinator,
    claim_list_pending_for_coordinator,
    order_payment_instructions,
    order_pending_claim,
    payment_history,
    payment_instructions_get,
    payment_instructions_get_for_coordinator,
)
from villages.selectors.pickup import (
    PickingRow,
    managed_communities,
    order_get_for_pickup,
    order_waiting_by_code,
    picking_list,
    picking_list_access,
    pickup_communities_for_user,
    pickup_staff_list,
    recent_rounds_for_community,
    user_find_by_login,
    user_hands_over_in,
)
from villages.selectors.rounds import (
    RoundDemand,
    open_offers_by_product,
    round_demand,
    round_get_for_coordinator,
    round_get_public,
    round_list,
    round_list_for_resident,
)
from villages.selectors.villages import (
    coordinated_villages_for_back_office,
    village_get,
    village_get_for_coordinator,
    village_list,
    village_regions,
)

__all__ = [
    "CartGroup", "CartLine", "cart_count", "cart_groups", "cart_normalise", "cart_pickup_communities",
    "cart_without_ordered",
    "FEED_KINDS", "PRODUCT_ORDERINGS", "CalendarDay", "FeedItem", "PairingFlow",
    "PickupOption", "RoundDemand", "booking_get_for_user", "booking_holds_for_village",
    "booking_list_for_guest", "booking_list_for_village", "channel_feed",
    "checkout_options", "coordinated_villages_for_back_office",
    "feed_scope", "feed_sort_key", "flows_city_year", "moderation_queue", "offer_calendar",
    "offer_get_for_coordinator", "offer_get_for_viewer", "offer_list", "offers_on_date",
    "open_offers_by_product", "order_get_for_user",
    "order_list_for_buyer", "order_list_for_village", "pairing_flows", "product_get_for_coordinator",
    "product_get_for_viewer", "product_list", "round_demand", "round_get_for_coordinator",
    "round_get_public", "round_list", "round_list_for_resident", "stay_list_for_community", "village_get",
    "DemandRound", "ProductDemand", "forecast_method_label", "product_demand_for_coordinator",
    "village_get_for_coordinator", "village_list", "village_regions",
    # pickup and payments
    "PaymentEvent", "PickingRow", "claim_get_for_coordinator", "claim_list_pending_for_coordinator",
    "managed_communities", "order_get_for_pickup", "order_payment_instructions",
    "order_pending_claim", "order_waiting_by_code", "payment_history", "payment_instructions_get",
    "payment_instructions_get_for_coordinator", "picking_list", "picking_list_access",
    "pickup_communities_for_user", "pickup_staff_list", "recent_rounds_for_community",
    "user_find_by_login", "user_hands_over_in",
]
