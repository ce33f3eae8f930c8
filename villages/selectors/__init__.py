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
from villages.selectors.rounds import RoundDemand, round_demand, round_get_for_coordinator, round_list
from villages.selectors.villages import (
    coordinated_villages_for_back_office,
    village_get,
    village_get_for_coordinator,
    village_list,
    village_regions,
)

__all__ = [
    "CartGroup", "CartLine", "cart_count", "cart_groups", "cart_normalise", "cart_pickup_communities",
    "FEED_KINDS", "PRODUCT_ORDERINGS", "CalendarDay", "FeedItem", "PairingFlow",
    "PickupOption", "RoundDemand", "booking_get_for_user", "booking_holds_for_village",
    "booking_list_for_guest", "booking_list_for_village", "channel_feed",
    "checkout_options", "coordinated_villages_for_back_office",
    "feed_scope", "feed_sort_key", "flows_city_year", "moderation_queue", "offer_calendar",
    "offer_get_for_coordinator", "offer_get_for_viewer", "offer_list", "offers_on_date", "order_get_for_user",
    "order_list_for_buyer", "order_list_for_village", "pairing_flows", "product_get_for_coordinator",
    "product_get_for_viewer", "product_list", "round_demand", "round_get_for_coordinator",
    "round_list", "stay_list_for_community", "village_get",
    "village_get_for_coordinator", "village_list", "village_regions",
]
