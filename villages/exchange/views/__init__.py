"""HTML pages of the exchange, by subdomain: parse a form, fetch through a (permission-aware)
selector, call one service, render. Creation and edit pages stand on
`synergy.core.web.form_page`; each POST operation on a record is one view class
(`synergy.core.web.ActionView`); every redirect goes through `safe_next`."""

from villages.exchange.views.events import (
    EventRegisterView,
    EventUnregisterView,
    event_create,
    event_detail,
    event_list,
)
from villages.exchange.views.giving import (
    SpendingCreateView,
    campaign_create,
    campaign_detail,
    campaign_list,
    donation_receipt,
    ledger,
)
from villages.exchange.views.home import (
    dashboard,
    index,
)
from villages.exchange.views.investment import (
    InterestMessageView,
    InterestReplyView,
    investment_attachment,
    investment_create,
    investment_detail,
    investment_list,
)
from villages.exchange.views.labour import (
    ApplicationDecideView,
    ApplicationWithdrawView,
    JobApplyView,
    job_create,
    job_detail,
    job_list,
    labour_offer_create,
)
from villages.exchange.views.review import (
    ReviewView,
    campaign_edit,
    investment_edit,
    review_queue,
)
from villages.exchange.views.volunteering import (
    SignupCancelView,
    SignupCreateView,
    SignupHoursView,
    SlotCreateView,
    my_slots_ics,
    my_volunteering,
    need_create,
    need_detail,
    need_list,
)

__all__ = [
    "ApplicationDecideView",
    "ApplicationWithdrawView",
    "EventRegisterView",
    "EventUnregisterView",
    "InterestMessageView",
    "InterestReplyView",
    "JobApplyView",
    "SignupCancelView",
    "SignupCreateView",
    "SignupHoursView",
    "SlotCreateView",
    "ReviewView",
    "SpendingCreateView",
    "campaign_create",
    "campaign_detail",
    "campaign_edit",
    "campaign_list",
    "dashboard",
    "donation_receipt",
    "event_create",
    "event_detail",
    "event_list",
    "index",
    "investment_attachment",
    "investment_create",
    "investment_detail",
    "investment_edit",
    "investment_list",
    "job_create",
    "job_detail",
    "job_list",
    "labour_offer_create",
    "ledger",
    "my_slots_ics",
    "my_volunteering",
    "need_create",
    "need_detail",
    "need_list",
    "review_queue",
]
