"""What waits for an administrator's review: campaigns and investment needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import NotAllowed
from synergy.core.models import User
from villages.exchange.models import Campaign, InvestmentNeed, ReviewStatus


@dataclass
class ReviewQueue:
    campaigns: QuerySet[Campaign]
    needs: QuerySet[InvestmentNeed]


def campaigns_to_review() -> QuerySet[Campaign]:
    return (Campaign.objects.filter(review_status=ReviewStatus.PENDING)
            .select_related("village", "created_by").prefetch_related("budget_lines")
            .order_by("created_at", "pk"))


def investment_needs_to_review() -> QuerySet[InvestmentNeed]:
    return (InvestmentNeed.objects.filter(review_status=ReviewStatus.PENDING)
            .select_related("village", "created_by").order_by("created_at", "pk"))


def review_queue(*, viewer: User | None) -> ReviewQueue:
    """The pending campaigns and investment needs, oldest first: for platform administrators
    only (NotAllowed for anyone else)."""
    if not (getattr(viewer, "is_authenticated", False)
            and core_selectors.user_is_platform_admin(user=viewer)):
        raise NotAllowed(_("Only platform administrators review campaigns and investment needs."))
    return ReviewQueue(campaigns_to_review(), investment_needs_to_review())
