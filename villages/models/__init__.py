"""Village node: profiles, products, group-buy rounds, orders, tourism offers and bookings.

Rules live in services; every rule also has a database constraint here (stock >= 0,
booked <= capacity per offer and date, one payment per order, one open pickup code per
community, ...). One module per subject; every model is importable from `villages.models`.
"""

from villages.models.listings import (  # noqa: F401
    MONEY,
    Industry,
    ListingStatus,
    PendingProduct,
    Photo,
    Product,
    ProductCategory,
    ProductPhoto,
    VillageIndustry,
    VillagePhoto,
    VillageProfile,
)
from villages.models.orders import (  # noqa: F401
    PICKUP_CODE_LENGTH,
    Checkout,
    ClaimStatus,
    Order,
    OrderItem,
    OrderStatus,
    OrderStatusChange,
    Payment,
    PaymentClaim,
    PaymentInstructions,
    PaymentMethod,
    PickupStaff,
)
from villages.models.rounds import (  # noqa: F401
    GroupBuyRound,
    RoundPickup,
    RoundProduct,
    RoundStatus,
)
from villages.models.tourism import (  # noqa: F401
    OVERNIGHT_KINDS,
    RELEASED_BOOKING_STATUSES,
    Booking,
    BookingStatus,
    OfferDay,
    OfferKind,
    TourismOffer,
    TourismOfferPhoto,
)
