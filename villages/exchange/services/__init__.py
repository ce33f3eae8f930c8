"""Every write of the exchange, split by subdomain and re-exported here."""

from villages.exchange.errors import RepeatDonation, SlotFull
from villages.exchange.services.events import event_create, registration_cancel, registration_create
from villages.exchange.services.giving import (
    campaign_create,
    campaign_update,
    donation_give,
    spending_record,
)
from villages.exchange.services.investment import (
    interest_express,
    interest_message_post,
    interest_reply,
    investment_need_create,
    investment_need_update,
)
from villages.exchange.services.labour import (
    application_decide,
    application_withdraw,
    job_apply,
    job_create,
    labour_offer_create,
)
from villages.exchange.services.review import campaign_review, investment_need_review
from villages.exchange.services.volunteering import (
    signup_cancel,
    signup_confirm_hours,
    signup_create,
    volunteer_need_create,
    volunteer_profile_save,
    volunteer_slot_create,
)

__all__ = [
    "RepeatDonation", "SlotFull", "application_decide", "application_withdraw", "campaign_create",
    "campaign_review", "campaign_update", "donation_give", "event_create", "interest_express",
    "interest_message_post", "interest_reply", "investment_need_create", "investment_need_review",
    "investment_need_update", "job_apply", "job_create", "labour_offer_create",
    "registration_cancel", "registration_create", "signup_cancel", "signup_confirm_hours",
    "signup_create", "spending_record", "volunteer_need_create", "volunteer_profile_save",
    "volunteer_slot_create",
]
