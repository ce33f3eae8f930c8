"""Permission selectors: each role answers for its own scope only."""

import pytest
from django.contrib.auth.models import AnonymousUser

from synergy.core import selectors
from synergy.core.models import MembershipStatus, Role
from tests.factories import MembershipFactory, PairingFactory

pytestmark = pytest.mark.django_db


def test_resident_is_resident_of_own_community_only(resident, community, other_community):
    assert selectors.user_is_resident_of(user=resident, community=community)
    assert not selectors.user_is_resident_of(user=resident, community=other_community)
    assert not selectors.user_manages_community(user=resident, community=community)


def test_manager_manages_own_community_only(manager, community, other_community):
    assert selectors.user_manages_community(user=manager, community=community)
    assert not selectors.user_manages_community(user=manager, community=other_community)
    assert not selectors.user_is_resident_of(user=manager, community=community)


def test_merchant_scope(merchant, community, other_community):
    assert selectors.user_has_role(user=merchant, role=Role.MERCHANT, community=community)
    assert not selectors.user_has_role(user=merchant, role=Role.MERCHANT,
                                       community=other_community)


def test_coordinator_coordinates_own_village_only(coordinator, village, other_village):
    assert selectors.user_coordinates_village(user=coordinator, village=village)
    assert not selectors.user_coordinates_village(user=coordinator, village=other_village)


def test_worker_is_not_coordinator(worker, village):
    assert selectors.user_has_role(user=worker, role=Role.RURAL_WORKER, village=village)
    assert not selectors.user_coordinates_village(user=worker, village=village)


def test_admin_may_do_everything(admin_user, community, village):
    assert selectors.user_is_platform_admin(user=admin_user)
    assert selectors.user_manages_community(user=admin_user, community=community)
    assert selectors.user_coordinates_village(user=admin_user, village=village)
    assert selectors.user_can_view_analytics(user=admin_user)


def test_analyst_sees_analytics_but_manages_nothing(analyst, community, village):
    assert selectors.user_can_view_analytics(user=analyst)
    assert not selectors.user_is_platform_admin(user=analyst)
    assert not selectors.user_manages_community(user=analyst, community=community)
    assert not selectors.user_coordinates_village(user=analyst, village=village)


def test_outsider_and_anonymous_have_no_roles(outsider, community):
    for user in (outsider, AnonymousUser()):
        assert not selectors.user_is_resident_of(user=user, community=community)
        assert not selectors.user_can_view_analytics(user=user)
        assert selectors.user_roles(user=user) == set()


def test_pending_membership_grants_nothing(community):
    pending = MembershipFactory(role=Role.RESIDENT, community=community,
                                status=MembershipStatus.PENDING)
    assert not selectors.user_is_resident_of(user=pending.user, community=community)


def test_one_person_many_roles(community, village):
    person = MembershipFactory(role=Role.RESIDENT, community=community).user
    MembershipFactory(user=person, role=Role.COORDINATOR, village=village, unit="")
    assert selectors.user_roles(user=person) == {Role.RESIDENT, Role.COORDINATOR}


def test_permission_check_is_one_query(resident, community, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.user_is_resident_of(user=resident, community=community)


def test_paired_villages_nearest_first(community, village, other_village):
    PairingFactory(community=community, village=village, distance_km=50)
    PairingFactory(community=community, village=other_village, distance_km=10)
    assert list(selectors.paired_villages(community=community)) == [other_village, village]
