"""HTML pages of the community node, split by subdomain and re-exported for the urls.

Permission-aware selectors refuse (403 through Django's PermissionDenied); create pages go through
core `form_page`; pages with several forms have one `PageAction` class per operation."""

from community.views.directory import (  # noqa: F401
    bills,
    bills_export,
    businesses,
    housing,
    services_page,
)
from community.views.pages import (  # noqa: F401
    follow_toggle,
    home,
    index,
    notice_attachment,
    notice_detail,
    notices,
)
from community.views.shops import (  # noqa: F401
    coupon_claim,
    coupon_edit,
    coupon_remove,
    my_coupons,
    offer_edit,
    offer_remove,
    shop_edit,
    shop_redeem,
    shop_remove,
)
from community.views.tickets import ticket_detail, ticket_new, ticket_photo, tickets  # noqa: F401
