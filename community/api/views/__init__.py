"""Thin API views of the community node, split by subdomain and re-exported for the urls.

Every view stands on the core API base (token first, so an anonymous write is 401); permission-
aware selectors refuse (403 for lists of a community the caller is outside, 404 for single records
they may not see); filters are applied by the selectors.
"""

from community.api.views.channel import ChannelApi, VillageFollowApi  # noqa: F401
from community.api.views.directory import (  # noqa: F401
    BusinessDetailApi,
    BusinessListCreateApi,
    CouponClaimApi,
    CouponCreateApi,
    CouponDetailApi,
    CouponRedeemApi,
    HousingDetailApi,
    HousingListCreateApi,
    MyCouponListApi,
    OfferCreateApi,
    OfferDetailApi,
    ServiceListCreateApi,
)
from community.api.views.fees import (  # noqa: F401
    ArrearsApi,
    BillExportApi,
    BillListCreateApi,
    PaymentCreateApi,
    bills_csv,
)
from community.api.views.notices import (  # noqa: F401
    NoticeAttachmentApi,
    NoticeDetailApi,
    NoticeListCreateApi,
    NoticeReadApi,
)
from community.api.views.tickets import (  # noqa: F401
    MyTicketListApi,
    TicketAssignApi,
    TicketCloseApi,
    TicketDetailApi,
    TicketListCreateApi,
    TicketPhotoApi,
    TicketRateApi,
    TicketReassignApi,
    TicketReopenApi,
    TicketResolveApi,
    TicketStartApi,
)
