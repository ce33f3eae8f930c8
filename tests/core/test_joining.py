"""Joining (issue 13, point 1): a newcomer applies, the place's decider approves or rejects with
a reason, both sides are told; the API, the pages, and a race between two deciders."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connections
from django.urls import reverse
from django.utils import timezone

from synergy.core import selectors, services
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import Invitation, Membership, MembershipStatus, Notification, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def newcomer(db):
    return UserFactory(preferred_language="en")


@pytest.fixture
def application(newcomer, community):
    return services.membership_apply(user=newcomer, role=Role.RESIDENT, community=community,
                                     unit="5-502")


# --- Services ---------------------------------------------------------------------------------


def test_apply_as_resident_is_pending_and_tells_the_manager_on_commit(
        newcomer, community, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        m = services.membership_apply(user=newcomer, role=Role.RESIDENT, community=community,
                                      unit=" 5-502 ")
        assert not Notification.objects.filter(recipient=manager).exists()  # not before commit
    assert m.status == MembershipStatus.PENDING and m.unit == "5-502"
    for callback in callbacks:
        callback()
    note = Notification.objects.get(recipient=manager)
    assert note.kind == "membership_application"
    assert community.name in note.message and note.url == reverse("core:applications")


def test_apply_as_worker_of_a_village_goes_to_its_coordinator(newcomer, village, coordinator,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        m = services.membership_apply(user=newcomer, role=Role.RURAL_WORKER, village=village)
    assert m.village == village and m.community is None and m.status == MembershipStatus.PENDING
    assert Notification.objects.filter(recipient=coordinator).count() == 1


def test_apply_where_no_one_decides_goes_to_administrators(newcomer, community, admin_user,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_apply(user=newcomer, role=Role.RESIDENT, community=community,
                                  unit="1-1")
    assert Notification.objects.filter(recipient=admin_user).count() == 1


@pytest.mark.parametrize(("role", "place", "field"), [
    (Role.RESIDENT, "village", "community"),
    (Role.RURAL_WORKER, "community", "village"),
    (Role.PROPERTY_MANAGER, "community", "role"),
    (Role.ADMIN, None, "role"),
])
def test_apply_checks_role_and_scope(newcomer, community, village, role, place, field):
    scope = {"community": community, "village": village}.get(place)
    kwargs = {place: scope} if place else {}
    with pytest.raises(Invalid) as err:
        services.membership_apply(user=newcomer, role=role, unit="1-1", **kwargs)
    assert err.value.field == field


def test_resident_needs_a_flat(newcomer, community):
    with pytest.raises(Invalid) as err:
        services.membership_apply(user=newcomer, role=Role.RESIDENT, community=community, unit=" ")
    assert err.value.field == "unit"


def test_applying_twice_is_a_409_sentence(application, newcomer, community):
    with pytest.raises(Conflict, match="already applied"):
        services.membership_apply(user=newcomer, role=Role.RESIDENT, community=community,
                                  unit="5-502")


def test_applying_when_already_a_member_is_a_409(resident, community):
    with pytest.raises(Conflict, match="already hold"):
        services.membership_apply(user=resident, role=Role.RESIDENT, community=community,
                                  unit="2-301")


def test_only_the_manager_or_an_admin_decides(application, other_community, outsider,
                                              resident, coordinator, admin_user):
    other_manager = MembershipFactory(role=Role.PROPERTY_MANAGER, community=other_community,
                                      unit="").user
    for person in (outsider, resident, coordinator, other_manager, application.user):
        with pytest.raises(NotAllowed):
            services.membership_approve(decided_by=person, membership=application)
        with pytest.raises(NotAllowed):
            services.membership_reject(decided_by=person, membership=application, reason="no")
    services.membership_approve(decided_by=admin_user, membership=application)
    application.refresh_from_db()
    assert application.status == MembershipStatus.ACTIVE and application.decided_by == admin_user


def test_approve_records_the_decision_and_tells_the_applicant(
        application, manager, newcomer, community, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(decided_by=manager, membership=application)
    application.refresh_from_db()
    assert application.status == MembershipStatus.ACTIVE
    assert application.decided_by == manager and application.decided_at is not None
    assert selectors.user_is_resident_of(user=newcomer, community=community)
    note = Notification.objects.get(recipient=newcomer)
    assert note.kind == "membership_decision" and community.name in note.message
    assert note.url.startswith(reverse("core:profile"))


def test_the_applicant_is_told_in_their_language(community, manager,
                                                 django_capture_on_commit_callbacks):
    person = UserFactory(preferred_language="zh-hans")
    m = services.membership_apply(user=person, role=Role.RESIDENT, community=community, unit="1")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(decided_by=manager, membership=m)
    note = Notification.objects.get(recipient=person)
    assert "居民" in note.message and "Resident" not in note.message  # the role, in Chinese


def test_deciding_twice_is_a_409(application, manager):
    services.membership_approve(decided_by=manager, membership=application)
    with pytest.raises(Conflict, match="already been decided"):
        services.membership_approve(decided_by=manager, membership=application)
    with pytest.raises(Conflict, match="already been decided"):
        services.membership_reject(decided_by=manager, membership=application, reason="late")


def test_reject_needs_a_reason(application, manager):
    with pytest.raises(Invalid) as err:
        services.membership_reject(decided_by=manager, membership=application, reason="  ")
    assert err.value.field == "reason"
    application.refresh_from_db()
    assert application.status == MembershipStatus.PENDING


def test_rejected_applicant_is_told_why_and_may_apply_again(
        application, manager, newcomer, community, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_reject(decided_by=manager, membership=application,
                                   reason="No flat 5-502 here")
    application.refresh_from_db()
    assert application.status == MembershipStatus.REJECTED
    assert application.reason == "No flat 5-502 here"
    assert "No flat 5-502 here" in Notification.objects.get(recipient=newcomer).message
    again = services.membership_apply(user=newcomer, role=Role.RESIDENT, community=community,
                                      unit="5-503")
    assert again.pk != application.pk and again.status == MembershipStatus.PENDING
    services.membership_approve(decided_by=manager, membership=again)
    assert Membership.objects.filter(user=newcomer).count() == 2  # the rejection stays as history


def test_withdraw_by_the_applicant_while_pending(application, newcomer, manager, outsider):
    with pytest.raises(NotAllowed):
        services.membership_withdraw(user=outsider, membership=application)
    services.membership_withdraw(user=newcomer, membership=application)
    assert not Membership.objects.filter(pk=application.pk).exists()
    with pytest.raises(Conflict):
        services.membership_withdraw(user=newcomer, membership=application)


def test_withdraw_after_decision_is_a_409(application, newcomer, manager):
    services.membership_approve(decided_by=manager, membership=application)
    with pytest.raises(Conflict):
        services.membership_withdraw(user=newcomer, membership=application)


def test_grant_after_a_rejection_still_works(application, manager, admin_user, newcomer,
                                             community):
    services.membership_reject(decided_by=manager, membership=application, reason="no")
    m = services.membership_grant(granted_by=admin_user, user=newcomer, role=Role.RESIDENT,
                                  community=community, unit="5-502")
    assert m.pk != application.pk and m.status == MembershipStatus.ACTIVE


# --- Selector ---------------------------------------------------------------------------------


def test_applications_for_shows_only_what_the_viewer_decides(
        application, manager, coordinator, admin_user, village, other_community, resident):
    worker_app = services.membership_apply(user=UserFactory(), role=Role.RURAL_WORKER,
                                           village=village)
    elsewhere = services.membership_apply(user=UserFactory(), role=Role.RESIDENT,
                                          community=other_community, unit="9")
    assert list(selectors.membership_applications_for(viewer=manager)) == [application]
    assert list(selectors.membership_applications_for(viewer=coordinator)) == [worker_app]
    assert set(selectors.membership_applications_for(viewer=admin_user)) == {
        application, worker_app, elsewhere}
    with pytest.raises(NotAllowed):
        selectors.membership_applications_for(viewer=resident)


def test_applications_for_filters_by_status(application, manager):
    services.membership_reject(decided_by=manager, membership=application, reason="no")
    assert list(selectors.membership_applications_for(viewer=manager)) == []
    assert list(selectors.membership_applications_for(
        viewer=manager, filters={"status": "rejected"})) == [application]


def test_applications_for_is_two_queries_whatever_the_count(community, manager,
                                                            django_assert_num_queries):
    for i in range(5):
        services.membership_apply(user=UserFactory(), role=Role.RESIDENT, community=community,
                                  unit=f"{i}-1")
    # 1: the viewer's decider scope; 2: the applications, applicant, place and decider joined.
    with django_assert_num_queries(2):
        rows = list(selectors.membership_applications_for(viewer=manager))
        assert [str(r.user) for r in rows] and all(r.community.name for r in rows)


# --- API --------------------------------------------------------------------------------------


def test_api_apply_is_201_pending(api_as, newcomer, community):
    r = api_as(newcomer).post("/api/v1/memberships/", {
        "role": "resident", "community": community.pk, "unit": "5-502"}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["status"] == "pending" and r.json()["community"] == community.pk


def test_api_apply_bad_input_names_the_field(api_as, newcomer, community, village):
    client = api_as(newcomer)
    r = client.post("/api/v1/memberships/", {"role": "resident", "community": community.pk},
                    format="json")
    assert r.status_code == 400 and "unit" in r.json()
    r = client.post("/api/v1/memberships/", {"role": "rural_worker"}, format="json")
    assert r.status_code == 400 and "village" in r.json()
    r = client.post("/api/v1/memberships/", {"role": "wizard"}, format="json")
    assert r.status_code == 400 and "role" in r.json()
    r = client.post("/api/v1/memberships/", {"role": "admin"}, format="json")
    assert r.status_code == 400 and "role" in r.json()
    r = client.post("/api/v1/memberships/", {"role": "resident", "community": 999999,
                                             "unit": "1"}, format="json")
    assert r.status_code == 400 and "community" in r.json()


def test_api_apply_twice_is_409(api_as, application, community):
    r = api_as(application.user).post("/api/v1/memberships/", {
        "role": "resident", "community": community.pk, "unit": "5-502"}, format="json")
    assert r.status_code == 409 and "already applied" in r.json()["detail"]


def test_api_list_for_deciders(api_as, application, manager, resident):
    r = api_as(manager).get("/api/v1/memberships/?status=pending")
    assert r.status_code == 200
    assert [a["id"] for a in r.json()["results"]] == [application.pk]
    assert r.json()["results"][0]["applicant_name"] == str(application.user)
    assert api_as(resident).get("/api/v1/memberships/").status_code == 403
    assert api_as(None).get("/api/v1/memberships/").status_code == 401
    assert api_as(manager).get("/api/v1/memberships/?status=maybe").status_code == 400


def test_api_approve_then_second_decision_is_409(api_as, application, manager):
    client = api_as(manager)
    r = client.post(f"/api/v1/memberships/{application.pk}/approve/")
    assert r.status_code == 200 and r.json()["status"] == "active"
    r = client.post(f"/api/v1/memberships/{application.pk}/reject/", {"reason": "x"},
                    format="json")
    assert r.status_code == 409 and r.json()["detail"]


def test_api_reject_needs_reason(api_as, application, manager):
    client = api_as(manager)
    r = client.post(f"/api/v1/memberships/{application.pk}/reject/", {}, format="json")
    assert r.status_code == 400 and "reason" in r.json()
    r = client.post(f"/api/v1/memberships/{application.pk}/reject/", {"reason": "Unknown flat"},
                    format="json")
    assert r.status_code == 200
    assert r.json()["status"] == "rejected" and r.json()["reason"] == "Unknown flat"


def test_api_deciding_refused_to_others(api_as, application, resident, outsider, coordinator):
    for person in (resident, outsider, coordinator, application.user):
        client = api_as(person)
        assert client.post(f"/api/v1/memberships/{application.pk}/approve/").status_code == 403
        assert client.post(f"/api/v1/memberships/{application.pk}/reject/", {"reason": "x"},
                           format="json").status_code == 403
    anonymous = api_as(None)
    assert anonymous.post(f"/api/v1/memberships/{application.pk}/approve/").status_code == 401
    assert api_as(resident).post("/api/v1/memberships/999999/approve/").status_code == 404


def test_api_withdraw(api_as, application, outsider):
    assert api_as(outsider).post(
        f"/api/v1/memberships/{application.pk}/withdraw/").status_code == 403
    assert api_as(application.user).post(
        f"/api/v1/memberships/{application.pk}/withdraw/").status_code == 204


# --- Pages ------------------------------------------------------------------------------------


def test_join_page_is_linked_from_profile_and_home(client, newcomer):
    client.force_login(newcomer)
    join = reverse("core:join")
    assert join in client.get(reverse("core:profile")).content.decode()
    assert join in client.get("/").content.decode()


def test_home_has_no_join_invitation_for_members(client, resident):
    client.force_login(resident)
    assert 'id="join-invite"' not in client.get("/").content.decode()


def test_join_page_in_chinese(client, newcomer):
    client.force_login(newcomer)
    r = client.get(reverse("core:join"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 200 and '<html lang="zh-hans">' in r.content.decode()


def test_join_page_shows_refusals_on_the_field(client, newcomer, community):
    client.force_login(newcomer)
    r = client.post(reverse("core:join"), {"role": "resident", "community": community.pk})
    assert r.status_code == 200
    assert "A resident needs a flat or unit." in r.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_join_page_worker_of_a_village(client, newcomer, village, community):
    client.force_login(newcomer)
    r = client.post(reverse("core:join"), {"role": "rural_worker", "village": village.pk,
                                           "community": community.pk, "unit": "ignored"})
    assert r.status_code == 302
    m = Membership.objects.get(user=newcomer)
    assert m.role == Role.RURAL_WORKER and m.village == village and m.community is None


def test_profile_lists_applications_with_reason_and_withdraw(client, newcomer, community,
                                                             manager):
    first = services.membership_apply(user=newcomer, role=Role.RESIDENT, community=community,
                                      unit="5-502")
    services.membership_reject(decided_by=manager, membership=first, reason="No such flat")
    second = services.membership_apply(user=newcomer, role=Role.RESIDENT, community=community,
                                       unit="5-503")
    client.force_login(newcomer)
    page = client.get(reverse("core:profile")).content.decode()
    assert "No such flat" in page and "Rejected" in page
    assert reverse("core:withdraw", args=[second.pk]) in page
    r = client.post(reverse("core:withdraw", args=[second.pk]))
    assert r.status_code == 302
    assert not Membership.objects.filter(pk=second.pk).exists()


def test_applications_page_nav_badge_and_decisions(client, application, manager):
    other = services.membership_apply(user=UserFactory(), role=Role.RESIDENT,
                                      community=application.community, unit="7")
    client.force_login(manager)
    home = client.get("/").content.decode()
    assert reverse("core:applications") in home and 'id="nav-applications"' in home
    page = client.get(reverse("core:applications"))
    assert page.status_code == 200 and str(application.user) in page.content.decode()
    r = client.post(reverse("core:applications"), {"id": application.pk, "decision": "approve"})
    assert r.status_code == 302
    r = client.post(reverse("core:applications"), {"id": other.pk, "decision": "reject",
                                                   "reason": "Wrong community"})
    assert r.status_code == 302
    application.refresh_from_db()
    other.refresh_from_db()
    assert application.status == MembershipStatus.ACTIVE
    assert other.status == MembershipStatus.REJECTED and other.reason == "Wrong community"
    # A reject without a reason is refused with a sentence, and nothing changes.
    third = services.membership_apply(user=UserFactory(), role=Role.RESIDENT,
                                      community=application.community, unit="8")
    r = client.post(reverse("core:applications"), {"id": third.pk, "decision": "reject"},
                    follow=True)
    assert "Say why the application is rejected." in r.content.decode()
    third.refresh_from_db()
    assert third.status == MembershipStatus.PENDING


def test_applications_page_refused_to_others(client, application, resident, outsider):
    for person in (resident, outsider):
        client.force_login(person)
        assert client.get(reverse("core:applications")).status_code == 403
        assert 'id="nav-applications"' not in client.get("/").content.decode()
        r = client.post(reverse("core:applications"), {"id": application.pk,
                                                       "decision": "approve"})
        assert r.status_code == 403
    client.logout()
    assert client.get(reverse("core:applications")).status_code == 302  # to the login page
    application.refresh_from_db()
    assert application.status == MembershipStatus.PENDING


def test_applications_page_bad_id_is_400(client, manager):
    client.force_login(manager)
    assert client.post(reverse("core:applications"), {"id": "abc"}).status_code == 400
    assert client.post(reverse("core:applications"), {"id": "999999",
                                                      "decision": "approve"}).status_code == 404


# --- Race -------------------------------------------------------------------------------------


def _run_at_once(jobs):
    """Start every job behind a barrier, each thread on its own connection; results or errors."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        close_old_connections()
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # collected and asserted on by the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_managers_deciding_at_once_end_with_one_decision(requires_postgres, community):
    managers = [MembershipFactory(role=Role.PROPERTY_MANAGER, community=community, unit="").user
                for _ in range(2)]
    for round_ in range(5):
        m = services.membership_apply(user=UserFactory(), role=Role.RESIDENT,
                                      community=community, unit=f"{round_}-1")
        results = _run_at_once([
            lambda m=m: services.membership_approve(decided_by=managers[0],
                                                    membership=Membership.objects.get(pk=m.pk)),
            lambda m=m: services.membership_reject(decided_by=managers[1],
                                                   membership=Membership.objects.get(pk=m.pk),
                                                   reason="duplicate"),
        ])
        won = [r for r in results if isinstance(r, Membership)]
        lost = [r for r in results if isinstance(r, Conflict)]
        assert len(won) == 1 and len(lost) == 1, results
        m.refresh_from_db()
        assert m.status == won[0].status and m.decided_by == won[0].decided_by
        # The applicant is told once, of the decision that stood.
        assert Notification.objects.filter(recipient=m.user, kind="membership_decision").count() == 1


# --- Invitations ------------------------------------------------------------------------------


@pytest.fixture
def invitation(manager, community):
    return services.invitation_create(created_by=manager, community=community, unit="9-901")


def test_only_the_manager_or_an_admin_invites(community, resident, coordinator, outsider,
                                              admin_user, other_community):
    other_manager = MembershipFactory(role=Role.PROPERTY_MANAGER, community=other_community,
                                      unit="").user
    for person in (resident, coordinator, outsider, other_manager):
        with pytest.raises(NotAllowed):
            services.invitation_create(created_by=person, community=community, unit="1")
    inv = services.invitation_create(created_by=admin_user, community=community, unit=" 1 ")
    assert inv.unit == "1" and len(inv.code) == 8 and inv.expires_at > timezone.now()


def test_invitation_needs_a_flat(manager, community):
    with pytest.raises(Invalid) as err:
        services.invitation_create(created_by=manager, community=community, unit=" ")
    assert err.value.field == "unit"


def test_invitation_makes_an_active_resident_once(invitation, newcomer, community, manager,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        m = services.invitation_accept(user=newcomer, code=invitation.code.lower())
    assert m.status == MembershipStatus.ACTIVE and m.unit == "9-901"
    assert m.decided_by == manager
    assert selectors.user_is_resident_of(user=newcomer, community=community)
    assert Notification.objects.filter(recipient=manager, kind="invitation_used").count() == 1
    with pytest.raises(Conflict, match="already been used"):
        services.invitation_accept(user=UserFactory(), code=invitation.code)


def test_expired_invitation_is_a_409(invitation, newcomer):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(Conflict, match="expired"):
        services.invitation_accept(user=newcomer, code=invitation.code)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_unknown_code_names_the_field(newcomer):
    with pytest.raises(Invalid) as err:
        services.invitation_accept(user=newcomer, code="NOPE1234")
    assert err.value.field == "code"


def test_invitation_approves_a_pending_application(invitation, application):
    m = services.invitation_accept(user=application.user, code=invitation.code)
    assert m.pk == application.pk and m.status == MembershipStatus.ACTIVE and m.unit == "9-901"


def test_invitation_refused_to_a_resident_already_there(invitation, resident):
    with pytest.raises(Conflict, match="already a resident"):
        services.invitation_accept(user=resident, code=invitation.code)
    invitation.refresh_from_db()
    assert invitation.used_at is None  # still usable by the person it was meant for


def test_api_invitation_create_and_accept(api_as, manager, community, newcomer, resident):
    r = api_as(resident).post("/api/v1/invitations/", {"community": community.pk, "unit": "1"},
                              format="json")
    assert r.status_code == 403
    assert api_as(None).post("/api/v1/invitations/", {}, format="json").status_code == 401
    r = api_as(manager).post("/api/v1/invitations/", {"community": community.pk}, format="json")
    assert r.status_code == 400 and "unit" in r.json()
    r = api_as(manager).post("/api/v1/invitations/", {"community": community.pk, "unit": "3-1"},
                             format="json")
    assert r.status_code == 201
    code = r.json()["code"]
    assert r.json()["url"].endswith(reverse("core:invite", args=[code]))
    client = api_as(newcomer)
    r = client.post("/api/v1/invitations/accept/", {"code": code}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "active"
    r = api_as(UserFactory()).post("/api/v1/invitations/accept/", {"code": code}, format="json")
    assert r.status_code == 409 and r.json()["detail"]
    r = client.post("/api/v1/invitations/accept/", {}, format="json")
    assert r.status_code == 400 and "code" in r.json()


def test_invitation_pages(client, manager, community, newcomer):
    client.force_login(manager)
    r = client.post(reverse("core:invite_create"), {"community": community.pk, "unit": "4-402"})
    assert r.status_code == 302
    invitation = Invitation.objects.get(community=community)
    page = client.get(reverse("core:applications")).content.decode()
    assert invitation.code in page and reverse("core:invite", args=[invitation.code]) in page

    client.force_login(newcomer)
    r = client.get(reverse("core:invite_code"), {"code": invitation.code.lower()})
    assert r.status_code == 302 and r["Location"] == reverse("core:invite",
                                                             args=[invitation.code])
    page = client.get(r["Location"]).content.decode()
    assert community.name in page and "4-402" in page
    r = client.post(reverse("core:invite", args=[invitation.code]))
    assert r.status_code == 302
    assert selectors.user_is_resident_of(user=newcomer, community=community)
    r = client.post(reverse("core:invite", args=[invitation.code]), follow=True)
    assert "already" in r.content.decode()


def test_invite_page_refused_to_non_managers(client, resident, community):
    client.force_login(resident)
    r = client.post(reverse("core:invite_create"), {"community": community.pk, "unit": "1"})
    assert r.status_code in (302, 403)
    assert not Invitation.objects.exists()
    assert client.get(reverse("core:invite_create")).status_code == 403
