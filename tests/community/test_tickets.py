"""Repair tickets: the whole workflow, illegal transitions, history, photos, the assignment race."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from community import services
from community.models import RepairTicket, TicketEvent, TicketStatus
from synergy.core.errors import Conflict, Invalid, NotAllowed
from tests.community.factories import TicketFactory
from tests.factories import VillageFactory
from tests.races import run_together

pytestmark = pytest.mark.django_db
S = TicketStatus


def _assign(api_as, manager, ticket, **body):
    return api_as(manager).post(f"/api/v1/tickets/{ticket.pk}/assign/", body, format="json")


def test_full_workflow_records_every_transition(api_as, resident, manager, community, jpeg):
    # Given a resident reporting a leak with a photo
    created = api_as(resident).post(
        f"/api/v1/communities/{community.pk}/tickets/",
        {"category": "plumbing", "unit": "2-301", "description": "Ceiling leak", "photos": [jpeg()]},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "open" and len(body["photos"]) == 1
    pk = body["id"]

    # When the manager assigns to themselves (staff), starts and resolves; the resident rates
    client = api_as(manager)
    assert client.post(f"/api/v1/tickets/{pk}/assign/", {"assignee_user": manager.pk},
                       format="json").json()["status"] == "assigned"
    assert client.post(f"/api/v1/tickets/{pk}/start/").json()["status"] == "in_progress"
    assert client.post(f"/api/v1/tickets/{pk}/resolve/", {"note": "Pipe replaced"},
                       format="json").json()["status"] == "resolved"
    rated = api_as(resident).post(f"/api/v1/tickets/{pk}/rate/",
                                  {"rating": 5, "comment": "Quick and tidy"}, format="json")

    # Then it is closed with the rating, and the history names who did what, in order
    assert rated.status_code == 200
    assert rated.json()["status"] == "closed"
    assert rated.json()["rating"] == 5
    history = [(h["from_status"], h["to_status"], h["actor"]) for h in rated.json()["history"]]
    assert history == [
        ("", "open", resident.pk),
        ("open", "assigned", manager.pk),
        ("assigned", "in_progress", manager.pk),
        ("in_progress", "resolved", manager.pk),
        ("resolved", "closed", resident.pk),
    ]
    ticket = RepairTicket.objects.get(pk=pk)
    assert ticket.assignee_user == manager and ticket.closed_at and ticket.resolved_at


def test_assign_to_paired_village_labour_team(api_as, manager, ticket, pairing, village):
    response = _assign(api_as, manager, ticket, assignee_village=village.pk)
    assert response.status_code == 200
    assert response.json()["assignee_village"] == village.pk
    assert response.json()["assignee_label"] == village.name


def test_assign_to_unpaired_village_is_refused(api_as, manager, ticket):
    stranger = VillageFactory()
    response = _assign(api_as, manager, ticket, assignee_village=stranger.pk)
    assert response.status_code == 400
    assert "assignee_village" in response.json()
    ticket.refresh_from_db()
    assert ticket.status == S.OPEN and not TicketEvent.objects.filter(to_status=S.ASSIGNED).exists()


def test_assign_to_non_staff_is_refused(api_as, manager, ticket, neighbour):
    response = _assign(api_as, manager, ticket, assignee_user=neighbour.pk)
    assert response.status_code == 400
    assert "assignee_user" in response.json()


def test_assign_needs_exactly_one_assignee(api_as, manager, ticket, pairing, village):
    assert _assign(api_as, manager, ticket).status_code == 400
    both = _assign(api_as, manager, ticket, assignee_user=manager.pk, assignee_village=village.pk)
    assert both.status_code == 400


@pytest.mark.parametrize(
    ("status", "action", "fragment"),
    [
        (S.OPEN, "start", "work can only start on an assigned ticket"),
        (S.OPEN, "resolve", "only a ticket in progress can be marked resolved"),
        (S.OPEN, "close", "only a resolved ticket can be closed"),
        (S.OPEN, "reopen", "only a resolved or closed ticket can be reopened"),
        (S.ASSIGNED, "assign", "only an open ticket can be assigned"),
        (S.ASSIGNED, "close", "only a resolved ticket can be closed"),
        (S.IN_PROGRESS, "start", "work can only start on an assigned ticket"),
        (S.CLOSED, "resolve", "only a ticket in progress can be marked resolved"),
    ],
)
def test_illegal_transitions_are_refused_with_a_sentence(api_as, manager, community, resident,
                                                         status, action, fragment):
    ticket = TicketFactory(community=community, reporter=resident, status=status,
                           assignee_user=None if status == S.OPEN else manager)
    body = {"assignee_user": manager.pk} if action == "assign" else {}
    response = api_as(manager).post(f"/api/v1/tickets/{ticket.pk}/{action}/", body, format="json")
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert fragment in detail
    assert detail.startswith("This ticket is now “") and detail.endswith(".")
    ticket.refresh_from_db()
    assert ticket.status == status  # nothing changed
    assert not TicketEvent.objects.filter(ticket=ticket).exists()


def test_rating_requires_resolved_and_only_once(api_as, resident, manager, ticket):
    early = api_as(resident).post(f"/api/v1/tickets/{ticket.pk}/rate/", {"rating": 4}, format="json")
    assert early.status_code == 409
    RepairTicket.objects.filter(pk=ticket.pk).update(status=S.RESOLVED, assignee_user=manager)
    assert api_as(resident).post(f"/api/v1/tickets/{ticket.pk}/rate/", {"rating": 4},
                                 format="json").status_code == 200
    again = api_as(resident).post(f"/api/v1/tickets/{ticket.pk}/rate/", {"rating": 1}, format="json")
    assert again.status_code == 409
    ticket.refresh_from_db()
    assert ticket.rating == 4


def test_rating_out_of_range_is_a_400(api_as, resident, manager, ticket):
    RepairTicket.objects.filter(pk=ticket.pk).update(status=S.RESOLVED, assignee_user=manager)
    response = api_as(resident).post(f"/api/v1/tickets/{ticket.pk}/rate/", {"rating": 6}, format="json")
    assert response.status_code == 400 and "rating" in response.json()


def test_only_the_reporter_rates(api_as, manager, ticket):
    RepairTicket.objects.filter(pk=ticket.pk).update(status=S.RESOLVED, assignee_user=manager)
    assert api_as(manager).post(f"/api/v1/tickets/{ticket.pk}/rate/", {"rating": 5},
                                format="json").status_code == 403


def test_reopen_returns_to_the_same_assignee_and_clears_rating(resident, manager, ticket):
    ticket = services.repair_ticket_assign(actor=manager, ticket=ticket, assignee_user=manager)
    services.repair_ticket_start(actor=manager, ticket=ticket)
    services.repair_ticket_resolve(actor=manager, ticket=ticket)
    services.repair_ticket_rate(actor=resident, ticket=ticket, rating=2, comment="Still drips")
    ticket = services.repair_ticket_reopen(actor=resident, ticket=ticket, note="Still drips")
    assert ticket.status == S.ASSIGNED
    assert ticket.assignee_user == manager
    assert ticket.rating is None and ticket.closed_at is None
    assert list(ticket.events.values_list("to_status", flat=True)) == [
        S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED, S.ASSIGNED]


def test_village_coordinator_works_on_a_ticket_assigned_to_their_village(
        manager, ticket, pairing, village, coordinator, api_as):
    services.repair_ticket_assign(actor=manager, ticket=ticket, assignee_village=village)
    assert api_as(coordinator).get(f"/api/v1/tickets/{ticket.pk}/").status_code == 200
    assert api_as(coordinator).post(f"/api/v1/tickets/{ticket.pk}/start/").status_code == 200


def test_my_tickets_lists_what_each_person_may_see(api_as, manager, resident, ticket, pairing,
                                                   village, coordinator, other_manager):
    services.repair_ticket_assign(actor=manager, ticket=ticket, assignee_village=village)
    TicketFactory(community=ticket.community, reporter=resident, unit="2-301")  # open, unassigned
    ids = {u: [r["id"] for r in api_as(u).get("/api/v1/tickets/").json()["results"]]
           for u in (manager, resident, coordinator, other_manager)}
    assert len(ids[manager]) == 2 and len(ids[resident]) == 2
    assert ids[coordinator] == [ticket.pk]  # only the work assigned to their village
    assert ids[other_manager] == []


def test_resident_cannot_assign(resident, ticket, manager):
    with pytest.raises(NotAllowed):
        services.repair_ticket_assign(actor=resident, ticket=ticket, assignee_user=manager)


def test_only_residents_report(api_as, manager, merchant, community):
    for user in (manager, merchant):
        response = api_as(user).post(f"/api/v1/communities/{community.pk}/tickets/",
                                     {"category": "lift", "location": "Lift B", "description": "Stuck"},
                                     format="json")
        assert response.status_code == 403


def test_report_needs_a_place(api_as, resident, community):
    response = api_as(resident).post(f"/api/v1/communities/{community.pk}/tickets/",
                                     {"category": "lift", "description": "Stuck"}, format="json")
    assert response.status_code == 400 and "location" in response.json()
    assert not RepairTicket.objects.exists()


def test_photo_is_reencoded_without_exif(resident, community, jpeg):
    ticket = services.repair_ticket_create(reporter=resident, community=community,
                                           category="plumbing", unit="2-301",
                                           description="Leak", photos=[jpeg()])
    photo = ticket.photos.get()
    with photo.image.open("rb") as fh:
        data = fh.read()
    assert b"SpyPhone" not in data
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG"
        assert not img.getexif()


def test_a_non_image_is_refused_and_nothing_is_written(api_as, resident, community):
    fake = SimpleUploadedFile("leak.jpg", b"<?php echo 'hi'; ?>", content_type="image/jpeg")
    response = api_as(resident).post(
        f"/api/v1/communities/{community.pk}/tickets/",
        {"category": "plumbing", "unit": "2-301", "description": "Leak", "photos": [fake]},
        format="multipart",
    )
    assert response.status_code == 400
    assert "photos" in response.json()
    assert not RepairTicket.objects.exists()


def test_too_many_photos_are_refused(resident, community, jpeg):
    with pytest.raises(Invalid):
        services.repair_ticket_create(reporter=resident, community=community, category="plumbing",
                                      unit="2-301", description="Leak",
                                      photos=[jpeg() for _ in range(services.TICKET_MAX_PHOTOS + 1)])


def test_manager_list_shows_age_oldest_first_resident_sees_own(
        api_as, manager, resident, neighbour, community):
    old = TicketFactory(community=community, reporter=resident,
                        created_at=timezone.now() - timedelta(hours=50))
    TicketFactory(community=community, reporter=neighbour, unit="5-502")
    rows = api_as(manager).get(f"/api/v1/communities/{community.pk}/tickets/").json()["results"]
    assert [r["id"] for r in rows][0] == old.pk and len(rows) == 2
    assert float(rows[0]["age_hours"]) >= 50
    own = api_as(resident).get(f"/api/v1/communities/{community.pk}/tickets/").json()["results"]
    assert [r["id"] for r in own] == [old.pk]


def test_ticket_list_query_count(api_as, manager, community, resident, django_assert_num_queries):
    TicketFactory.create_batch(5, community=community, reporter=resident)
    client = api_as(manager)
    # 1 the community, 2 is the caller a member, 3 is the caller an administrator (ticket scope;
    # the managed / coordinated sets are subqueries), 4 the page count, 5 the page of tickets
    # with reporter, assignee and community joined. Constant in the number of tickets.
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/communities/{community.pk}/tickets/")
    assert response.json()["count"] == 5


# --------------------------------------------------------------------------- the race


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_assignments_exactly_one_wins(requires_postgres, community, resident,
                                                     manager, second_manager):
    """Two managers press "assign" at the same instant on PostgreSQL: one wins, one gets 409."""
    rounds = 10
    outcomes = []
    for _ in range(rounds):
        ticket = TicketFactory(community=community, reporter=resident)
        managers = (manager, second_manager)
        # Each manager holds the ticket as loaded while it was still open, as two open pages do.
        copies = [RepairTicket.objects.get(pk=ticket.pk) for _ in managers]

        def attempt(i, managers=managers, copies=copies):
            translation.activate("en")  # threads start in the site default (zh-hans)
            try:
                services.repair_ticket_assign(actor=managers[i], ticket=copies[i],
                                              assignee_user=managers[i])
            except Conflict as exc:
                return f"409: {exc.message}"
            return "won"

        results = {m.username: r for m, r in zip(managers, run_together(2, attempt), strict=True)}
        outcomes.append(results)
        won = [u for u, r in results.items() if r == "won"]
        lost = [r for r in results.values() if isinstance(r, str) and r.startswith("409")]
        assert len(won) == 1 and len(lost) == 1, results
        assert "only an open ticket can be assigned" in lost[0]
        ticket.refresh_from_db()
        assert ticket.status == S.ASSIGNED
        assert ticket.assignee_user.username == won[0]
        assert ticket.events.filter(to_status=S.ASSIGNED).count() == 1
    assert len(outcomes) == rounds
