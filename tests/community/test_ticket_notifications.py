"""The reporter is told at each step of their repair: assigned (and reassigned), started,
resolved with the note. Nobody else is, and nobody is told about their own doing."""

from __future__ import annotations

import pytest
from django.test import Client

from community import services
from community.models import TicketStatus
from synergy.core.errors import Conflict, Invalid
from synergy.core.models import Notification
from tests.community.factories import TicketFactory

pytestmark = pytest.mark.django_db


def _kinds(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk")
                .values_list("kind", flat=True))


def test_notifies_community_ticket_assigned_the_reporter_only(
    ticket, resident, manager, neighbour, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.repair_ticket_assign(actor=manager, ticket=ticket, assignee_user=manager)
    notes = Notification.objects.filter(kind="community.ticket_assigned")
    assert [n.recipient_id for n in notes] == [resident.pk]
    assert f"#{ticket.pk}" in notes[0].message and str(manager) in notes[0].message
    assert notes[0].url == f"/community/tickets/{ticket.pk}/"
    assert [m.to for m in mailoutbox] == [[resident.email]]


def test_notifies_community_ticket_started_the_reporter_only(ticket, resident, manager):
    services.repair_ticket_assign(actor=manager, ticket=ticket, assignee_user=manager)
    services.repair_ticket_start(actor=manager, ticket=ticket)
    notes = Notification.objects.filter(kind="community.ticket_started")
    assert [n.recipient_id for n in notes] == [resident.pk]
    assert not Notification.objects.exclude(recipient=resident).exists()


def test_notifies_community_ticket_resolved_with_the_note(ticket, resident, manager):
    services.repair_ticket_assign(actor=manager, ticket=ticket, assignee_user=manager)
    services.repair_ticket_start(actor=manager, ticket=ticket)
    services.repair_ticket_resolve(actor=manager, ticket=ticket, note="Pipe under the sink replaced")
    notes = Notification.objects.filter(kind="community.ticket_resolved")
    assert [n.recipient_id for n in notes] == [resident.pk]
    assert "Pipe under the sink replaced" in notes[0].message
    assert _kinds(resident) == ["community.ticket_assigned", "community.ticket_started",
                                "community.ticket_resolved"]


def test_reassign_gives_the_ticket_to_another_team_and_tells_the_reporter(
    ticket, resident, manager, village, pairing
):
    services.repair_ticket_assign(actor=manager, ticket=ticket, assignee_user=manager)
    services.repair_ticket_start(actor=manager, ticket=ticket)
    ticket = services.repair_ticket_reassign(actor=manager, ticket=ticket, assignee_village=village,
                                             note="Needs a welder")
    assert ticket.status == TicketStatus.ASSIGNED
    assert ticket.assignee_village_id == village.pk and ticket.assignee_user_id is None
    assert ticket.events.last().note == "Needs a welder"
    assert _kinds(resident).count("community.ticket_assigned") == 2
    with pytest.raises(Invalid):
        services.repair_ticket_reassign(actor=manager, ticket=ticket, assignee_village=village)


def test_reassign_refuses_an_open_or_resolved_ticket(ticket, manager):
    with pytest.raises(Conflict, match="can be reassigned"):
        services.repair_ticket_reassign(actor=manager, ticket=ticket, assignee_user=manager)


def test_nobody_is_told_about_their_own_doing(community, manager):
    own = TicketFactory(community=community, reporter=manager)
    services.repair_ticket_assign(actor=manager, ticket=own, assignee_user=manager)
    assert not Notification.objects.exists()


def test_pages_reassign_and_resolve_with_a_note(ticket, resident, manager, village, pairing):
    c = Client()
    c.force_login(manager)
    c.cookies["django_language"] = "en"
    url = f"/community/tickets/{ticket.pk}/"
    c.post(url, {"action": "assign", "assignee": f"u:{manager.pk}"})
    page = c.get(url).content.decode()
    assert "Reassign" in page
    c.post(url, {"action": "reassign", "assignee": f"v:{village.pk}", "note": "Village team"})
    ticket.refresh_from_db()
    assert ticket.assignee_village_id == village.pk
    c.post(url, {"action": "start"})
    c.post(url, {"action": "resolve", "note": "Lamp replaced"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED
    assert "Lamp replaced" in Notification.objects.get(kind="community.ticket_resolved").message
