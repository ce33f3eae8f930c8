"""Repair tickets: open → assigned → in progress → resolved → closed, with reopen and a rating.

Every transition is a conditional UPDATE (`filter(pk=…, status=expected).update(…)`) checked by its
row count, and writes a history row with who and when in the same transaction. Two managers
assigning at once: the second UPDATE finds the status already changed, touches nothing, and
gets a 409 with a sentence.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.models import RepairTicket, TicketCategory, TicketEvent, TicketPhoto, TicketStatus
from community.selectors import community_staff, user_can_work_on_ticket
from synergy.core import selectors as core
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.images import image_clean
from synergy.core.models import Community, User, Village
from synergy.core.services import notify

TICKET_MAX_PHOTOS = 4
S = TicketStatus

# Sentences for a refused transition: what the action needs, by action.
_NEEDS = {
    "assign": gettext_lazy("only an open ticket can be assigned"),
    "reassign": gettext_lazy("only an assigned ticket or one in progress can be reassigned"),
    "start": gettext_lazy("work can only start on an assigned ticket"),
    "resolve": gettext_lazy("only a ticket in progress can be marked resolved"),
    "close": gettext_lazy("only a resolved ticket can be closed"),
    "reopen": gettext_lazy("only a resolved or closed ticket can be reopened"),
    "rate": gettext_lazy("only a resolved or closed ticket that has not been rated yet can be rated"),
}


def repair_ticket_create(
    *, reporter: User, community: Community, category: str, description: str,
    unit: str = "", location: str = "", photos: list | None = None,
) -> RepairTicket:
    """A resident reports a problem. Photos are checked and re-encoded before the transaction."""
    if not core.user_is_resident_of(user=reporter, community=community):
        raise NotAllowed(_("Only residents of this community can report repairs here."))
    if category not in TicketCategory.values:
        raise Invalid(_("Choose a category from the list."), field="category")
    if not description.strip():
        raise Invalid(_("Describe the problem."), field="description")
    if not unit.strip() and not location.strip():
        raise Invalid(_("Say which flat or where in the community the problem is."), field="location")
    photos = list(photos or [])
    if len(photos) > TICKET_MAX_PHOTOS:
        raise Invalid(_("Attach at most %(n)d photos.") % {"n": TICKET_MAX_PHOTOS}, field="photos")
    cleaned = [image_clean(p, field="photos") for p in photos]  # slow part: outside the transaction

    now = timezone.now()
    with transaction.atomic():
        ticket = RepairTicket.objects.create(
            community=community, reporter=reporter, category=category, unit=unit.strip(),
            location=location.strip(), description=description.strip(), created_at=now,
            updated_at=now,
        )
        for content in cleaned:
            photo = TicketPhoto(ticket=ticket)
            photo.image.save(content.name, content, save=False)
            photo.save()
        TicketEvent.objects.create(ticket=ticket, from_status="", to_status=S.OPEN, actor=reporter,
                                   at=now)
    return ticket


def _refuse(ticket_id: int, action: str) -> Conflict:
    current = RepairTicket.objects.filter(pk=ticket_id).values_list("status", flat=True).first()
    label = S(current).label if current else _("gone")
    return Conflict(_("This ticket is now “%(status)s”: %(rule)s.")
                    % {"status": label, "rule": _NEEDS[action]})


def _tell_reporter(ticket: RepairTicket, actor: User, kind: str, message) -> None:
    """The reporter hears about each step they wait for (not about their own doing)."""
    if ticket.reporter_id == actor.pk:
        return
    notify(recipient=ticket.reporter, kind=kind, message=message,
           url=reverse("community:ticket", args=[ticket.pk]))


def _transition(
    *, ticket: RepairTicket, actor: User, action: str, allowed_from: list[str], to: str,
    note: str = "", tell=None, **changes,
) -> RepairTicket:
    """The conditional UPDATE, its history row and (`tell(ticket)`) the reporter's notification,
    all in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        for expected in allowed_from:
            updated = RepairTicket.objects.filter(pk=ticket.pk, status=expected).update(
                status=to, updated_at=now, **changes
            )
            if updated == 1:
                TicketEvent.objects.create(ticket_id=ticket.pk, from_status=expected, to_status=to,
                                           actor=actor, note=note[:300], at=now)
                break
        else:
            raise _refuse(ticket.pk, action)
        ticket.refresh_from_db()
        if tell is not None:
            tell(ticket)
    return ticket


def _told_assigned(actor: User):
    def tell(ticket: RepairTicket) -> None:
        n, who = ticket.pk, ticket.assignee_label
        _tell_reporter(ticket, actor, "community.ticket_assigned",
                       lambda: _("Your repair #%(n)d was assigned to %(who)s.") % {"n": n, "who": who})
    return tell


def _check_assignee(ticket: RepairTicket, assignee_user: User | None,
                    assignee_village: Village | None) -> None:
    if (assignee_user is None) == (assignee_village is None):
        raise Invalid(_("Assign the ticket either to a staff member or to a village team."),
                      field="assignee")
    if assignee_user is not None and not community_staff(community=ticket.community_id).filter(
        pk=assignee_user.pk
    ).exists():
        raise Invalid(_("That person is not staff of this community."), field="assignee_user")
    if assignee_village is not None and not core.pairing_exists(
        community=ticket.community_id, village=assignee_village
    ):
        raise Invalid(_("That village is not paired with this community."), field="assignee_village")


def repair_ticket_assign(
    *, actor: User, ticket: RepairTicket, assignee_user: User | None = None,
    assignee_village: Village | None = None, note: str = "",
) -> RepairTicket:
    """Assign an open ticket to a staff member or to a paired village's labour team."""
    if not core.user_manages_community(user=actor, community=ticket.community_id):
        raise NotAllowed(_("Only this community's property manager can assign repairs."))
    _check_assignee(ticket, assignee_user, assignee_village)
    return _transition(
        ticket=ticket, actor=actor, action="assign", allowed_from=[S.OPEN], to=S.ASSIGNED,
        note=note or str(assignee_user or assignee_village), tell=_told_assigned(actor),
        assignee_user=assignee_user, assignee_village=assignee_village, assigned_at=timezone.now(),
    )


def repair_ticket_reassign(
    *, actor: User, ticket: RepairTicket, assignee_user: User | None = None,
    assignee_village: Village | None = None, note: str = "",
) -> RepairTicket:
    """Give an assigned ticket (or one in progress) to someone else: it is assigned again, to the
    new staff member or team, who starts it afresh."""
    if not core.user_manages_community(user=actor, community=ticket.community_id):
        raise NotAllowed(_("Only this community's property manager can assign repairs."))
    _check_assignee(ticket, assignee_user, assignee_village)
    if ((assignee_user is not None and assignee_user.pk == ticket.assignee_user_id)
            or (assignee_village is not None and assignee_village.pk == ticket.assignee_village_id)):
        raise Invalid(_("The ticket is already assigned to them."), field="assignee")
    return _transition(
        ticket=ticket, actor=actor, action="reassign", allowed_from=[S.ASSIGNED, S.IN_PROGRESS],
        to=S.ASSIGNED, note=note or str(assignee_user or assignee_village),
        tell=_told_assigned(actor), assignee_user=assignee_user,
        assignee_village=assignee_village, assigned_at=timezone.now(),
    )


def repair_ticket_start(*, actor: User, ticket: RepairTicket, note: str = "") -> RepairTicket:
    if not user_can_work_on_ticket(user=actor, ticket=ticket):
        raise NotAllowed(_("Only the manager or the assigned team can update this repair."))
    def tell(t: RepairTicket) -> None:
        n, who = t.pk, t.assignee_label
        _tell_reporter(t, actor, "community.ticket_started",
                       lambda: _("Work has started on your repair #%(n)d (%(who)s).")
                       % {"n": n, "who": who})

    return _transition(ticket=ticket, actor=actor, action="start", allowed_from=[S.ASSIGNED],
                       to=S.IN_PROGRESS, note=note, tell=tell)


def repair_ticket_resolve(*, actor: User, ticket: RepairTicket, note: str = "") -> RepairTicket:
    if not user_can_work_on_ticket(user=actor, ticket=ticket):
        raise NotAllowed(_("Only the manager or the assigned team can update this repair."))
    note = note.strip()

    def tell(t: RepairTicket) -> None:
        n = t.pk
        _tell_reporter(t, actor, "community.ticket_resolved",
                       (lambda: _("Your repair #%(n)d was resolved: %(note)s")
                        % {"n": n, "note": note}) if note else
                       (lambda: _("Your repair #%(n)d was resolved.") % {"n": n}))

    return _transition(ticket=ticket, actor=actor, action="resolve", allowed_from=[S.IN_PROGRESS],
                       to=S.RESOLVED, note=note, tell=tell, resolved_at=timezone.now())


def repair_ticket_close(*, actor: User, ticket: RepairTicket, note: str = "") -> RepairTicket:
    if not core.user_manages_community(user=actor, community=ticket.community_id):
        raise NotAllowed(_("Only this community's property manager can close repairs."))
    return _transition(ticket=ticket, actor=actor, action="close", allowed_from=[S.RESOLVED],
                       to=S.CLOSED, note=note, closed_at=timezone.now())


def repair_ticket_reopen(*, actor: User, ticket: RepairTicket, note: str = "") -> RepairTicket:
    """Back to the same assignee: the reporter or the manager says the problem is not fixed."""
    if actor.pk != ticket.reporter_id and not core.user_manages_community(
        user=actor, community=ticket.community_id
    ):
        raise NotAllowed(_("Only the person who reported it or the manager can reopen a repair."))
    return _transition(ticket=ticket, actor=actor, action="reopen",
                       allowed_from=[S.RESOLVED, S.CLOSED], to=S.ASSIGNED, note=note,
                       resolved_at=None, closed_at=None, rating=None, rating_comment="")


def repair_ticket_rate(*, actor: User, ticket: RepairTicket, rating: int, comment: str = ""
                       ) -> RepairTicket:
    """The reporter rates the repair (1–5) with a comment; this closes a resolved ticket."""
    if actor.pk != ticket.reporter_id:
        raise NotAllowed(_("Only the person who reported this repair can rate it."))
    if not 1 <= int(rating) <= 5:
        raise Invalid(_("Give a rating from 1 to 5."), field="rating")
    now = timezone.now()
    with transaction.atomic():
        for expected in (S.RESOLVED, S.CLOSED):
            changes = {"closed_at": now} if expected == S.RESOLVED else {}
            updated = RepairTicket.objects.filter(
                pk=ticket.pk, status=expected, rating__isnull=True
            ).update(status=S.CLOSED, rating=rating, rating_comment=comment.strip(), updated_at=now,
                     **changes)
            if updated == 1:
                TicketEvent.objects.create(ticket_id=ticket.pk, from_status=expected,
                                           to_status=S.CLOSED, actor=actor, at=now,
                                           note=_("Rated %(n)d/5") % {"n": rating})
                break
        else:
            raise _refuse(ticket.pk, "rate")
    ticket.refresh_from_db()
    return ticket
