"""Every write of the community node, split by subdomain and re-exported here."""

from community.services.directory import (  # noqa: F401
    business_create,
    coupon_create,
    housing_create,
    housing_deactivate,
    offer_create,
    service_create,
    village_follow,
    village_unfollow,
)
from community.services.fees import bill_create, payment_record  # noqa: F401
from community.services.notices import notice_mark_read, notice_publish  # noqa: F401
from community.services.shops import (  # noqa: F401
    business_remove,
    business_update,
    coupon_claim,
    coupon_redeem,
    coupon_remove,
    coupon_update,
    offer_remove,
    offer_update,
)
from community.services.tickets import (  # noqa: F401
    TICKET_MAX_PHOTOS,
    repair_ticket_assign,
    repair_ticket_close,
    repair_ticket_create,
    repair_ticket_rate,
    repair_ticket_reassign,
    repair_ticket_reopen,
    repair_ticket_resolve,
    repair_ticket_start,
)
