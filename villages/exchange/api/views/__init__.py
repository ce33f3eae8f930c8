"""Thin API views of the exchange, by subdomain: parse input, call one service or selector,
serialise. They stand on the core base (`synergy.core.api.base`): token then session
authentication, anonymous callers read only (an anonymous write is 401, as in every app);
services and permission-aware selectors refuse the rest (403 with {"detail": ...}). Lists
name their `filterset_class` (for the schema); the selector applies it."""

from villages.exchange.api.views.events import (
    EventListCreateApi,
    RegistrationCancelApi,
    RegistrationCreateApi,
)
from villages.exchange.api.views.giving import (
    CampaignDetailApi,
    CampaignListCreateApi,
    CampaignReviewApi,
    DonationCreateApi,
    DonationDetailApi,
    SpendingCreateApi,
)
from villages.exchange.api.views.investment import (
    InterestCreateApi,
    InterestMessagesApi,
    InterestReplyApi,
    InvestmentAttachmentApi,
    InvestmentNeedListCreateApi,
    InvestmentNeedReviewApi,
)
from villages.exchange.api.views.labour import (
    ApplicationCreateApi,
    ApplicationDecideApi,
    ApplicationWithdrawApi,
    JobListCreateApi,
    JobRecommendedApi,
    JobWorkersRecommendedApi,
    LabourOfferListCreateApi,
)
from villages.exchange.api.views.ledger import (
    LedgerApi,
)
from villages.exchange.api.views.volunteering import (
    NeedDetailApi,
    NeedListCreateApi,
    NeedRecommendedApi,
    ProfileApi,
    SignupCancelApi,
    SignupCreateApi,
    SignupHoursApi,
    SignupListApi,
    SlotCreateApi,
)

__all__ = [
    "ApplicationCreateApi",
    "ApplicationDecideApi",
    "ApplicationWithdrawApi",
    "CampaignDetailApi",
    "CampaignReviewApi",
    "CampaignListCreateApi",
    "DonationCreateApi",
    "DonationDetailApi",
    "EventListCreateApi",
    "InterestCreateApi",
    "InterestMessagesApi",
    "InterestReplyApi",
    "InvestmentAttachmentApi",
    "InvestmentNeedListCreateApi",
    "InvestmentNeedReviewApi",
    "JobListCreateApi",
    "JobRecommendedApi",
    "JobWorkersRecommendedApi",
    "LabourOfferListCreateApi",
    "LedgerApi",
    "NeedDetailApi",
    "NeedListCreateApi",
    "NeedRecommendedApi",
    "ProfileApi",
    "RegistrationCancelApi",
    "RegistrationCreateApi",
    "SignupCancelApi",
    "SignupCreateApi",
    "SignupHoursApi",
    "SignupListApi",
    "SlotCreateApi",
    "SpendingCreateApi",
]
