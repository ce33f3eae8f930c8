"""The pickup point: the people a community's manager names to hand orders over, and the
handover itself (the buyer's pickup code, typed or scanned at the counter).

Who may hand over an order: the pickup staff of the order's pickup community and that
community's managers (`villages.selectors.user_hands_over_in`). A wrong code is refused on the
field `code`; after `MAX_WRONG_CODES` wrong codes in `WRONG_CODE_WINDOW` seconds a person is
refused for a while (a cache counter per person, so six digits cannot be tried one by one).
"""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import Community, User
from villages import cache as page_cache
from villages import selectors
from villages.models import (
    PICKUP_CODE_LENGTH,
    Order,
    OrderStatus,
    OrderStatusChange,
    PickupStaff,
    RoundStatus,
)
from villages.notifications import tell

MAX_WRONG_CODES = 10
WRONG_CODE_WINDOW = 15 * 60
# Placed orders of these rounds may be handed over (the round formed, or was delivered as a whole).
ROUND_FORMED = {RoundStatus.FORMED, RoundStatus.DELIVERED}


def _require_manager(by: User, community: Community | int) -> None:
    if not core_selectors.user_manages_community(user=by, community=community):
        raise NotAllowed(_("Only the community's manager can name the pickup staff."))


@transaction.atomic
def pickup_staff_add(*, by: User, community: Community, user: User) -> PickupStaff:
    """The community's manager names someone who hands orders over at its pickup point."""
    _require_manager(by, community)
    if not user.is_active:
        raise Invalid(_("This account is not active."), field="user")
    try:
        with transaction.atomic():
            return PickupStaff.objects.create(community=community, user=user, added_by=by)
    except IntegrityError:
        raise Conflict(_("%(who)s already hands orders over here.")
                       % {"who": str(user)}) from None


@transaction.atomic
def pickup_staff_remove(*, by: User, staff: PickupStaff) -> None:
    _require_manager(by, staff.community_id)
    PickupStaff.objects.filter(pk=staff.pk).delete()


# --- Codes ------------------------------------------------------------------------------------


def _tries_key(user: User) -> str:
    return f"villages:pickup-wrong-codes:{user.pk}"


def _check_tries(user: User) -> None:
    if (cache.get(_tries_key(user)) or 0) >= MAX_WRONG_CODES:
        raise Invalid(_("Too many wrong codes: wait %(min)s minutes, then try again.")
                      % {"min": WRONG_CODE_WINDOW // 60}, field="code")


def _wrong_code(user: User) -> Invalid:
    key = _tries_key(user)
    if cache.add(key, 1, WRONG_CODE_WINDOW) is False:
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WRONG_CODE_WINDOW)
    return Invalid(_("This pickup code does not match an order waiting here. Check the six "
                     "digits with the buyer."), field="code")


def _clean_code(code: str) -> str:
    code = (code or "").strip().replace(" ", "")
    if len(code) != PICKUP_CODE_LENGTH or not code.isascii() or not code.isdigit():
        raise Invalid(_("Enter the buyer's six-digit pickup code."), field="code")
    return code


def order_find_by_code(*, by: User, community: Community, code: str) -> Order:
    """The order waiting in `community` with this pickup code (for the counter page); wrong
    codes count towards the limit."""
    if not selectors.user_hands_over_in(user=by, community=community):
        raise NotAllowed(_("Only the pickup staff of this community can look up pickup codes."))
    _check_tries(by)
    code = _clean_code(code)
    order = selectors.order_waiting_by_code(community=community, code=code)
    if order is None:
        raise _wrong_code(by)
    return order


@transaction.atomic
def order_collect(*, by: User, order: Order, code: str) -> Order:
    """Pickup staff hand the order over to the buyer, who shows its code.

    Collectable: delivered, confirmed, or placed outside a round (the handover proves it
    arrived); a placed order of a round that has not formed is a 409, as is one already
    collected or cancelled. The order row is locked, so two counters never hand it over twice.
    """
    if not selectors.user_hands_over_in(user=by, community=order.pickup_community_id):
        raise NotAllowed(_("Only the pickup staff of the order's community can hand it over."))
    _check_tries(by)
    code = _clean_code(code)
    locked = Order.objects.select_for_update(of=("self",)).select_related("round").get(pk=order.pk)
    if locked.status == OrderStatus.COLLECTED:
        raise Conflict(_("This order was already handed over."))
    if locked.status == OrderStatus.CANCELLED:
        raise Conflict(_("This order was cancelled: do not hand it over."))
    if (locked.status == OrderStatus.PLACED and locked.round is not None
            and locked.round.status not in ROUND_FORMED):
        raise Conflict(_("This order's group-buy round has not formed yet: nothing to hand over."))
    if not secrets.compare_digest(locked.pickup_code, code):
        raise _wrong_code(by)
    now = timezone.now()
    frm = locked.status
    if Order.objects.filter(pk=locked.pk, status=frm).update(
            status=OrderStatus.COLLECTED, collected_by=by, collected_at=now) != 1:
        raise Conflict(_("This order was already handed over."))  # pragma: no cover - row lock
    page_cache.order_status_changed(locked)
    OrderStatusChange.objects.create(order=locked, from_status=frm, to_status=OrderStatus.COLLECTED,
                                     changed_by=by, changed_at=now)
    locked.status, locked.collected_by, locked.collected_at = OrderStatus.COLLECTED, by, now
    point = locked.pickup_point
    tell([locked.buyer], kind="villages.order_collected",
         message=lambda: _("Order %(id)s was handed over to you at %(point)s. Enjoy!")
         % {"id": locked.pk, "point": point},
         url=reverse("villages:order_detail", args=[locked.pk]))
    return locked
