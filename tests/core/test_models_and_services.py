"""Database constraints and services for memberships and pairings."""

import pytest
from django.db import IntegrityError, transaction

from synergy.core import services
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import Membership, MembershipStatus, Pairing, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_community_role_without_community_is_refused_by_the_database():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.RESIDENT, unit="1-1")


def test_resident_without_unit_is_refused_by_the_database(community):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.RESIDENT, community=community, unit="")


def test_duplicate_platform_role_is_refused_by_the_database():
    membership = MembershipFactory(role=Role.ANALYST, unit="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=membership.user, role=Role.ANALYST)


def test_pairing_is_unique_and_computes_distance(community, village, admin_user):
    pairing = services.pairing_create(created_by=admin_user, community=community, village=village)
    assert 30 < pairing.distance_km < 60  # Kunming centre to Jinning, roughly 40 km
    with pytest.raises(Conflict):
        services.pairing_create(created_by=admin_user, community=community, village=village)
    assert Pairing.objects.count() == 1


def test_only_admins_pair(community, village, manager):
    with pytest.raises(NotAllowed):
        services.pairing_create(created_by=manager, community=community, village=village)


def test_grant_checks_scope(admin_user, village):
    with pytest.raises(Invalid) as err:
        services.membership_grant(granted_by=admin_user, user=UserFactory(), role=Role.RESIDENT,
                                  village=village)
    assert err.value.field == "community"


def test_resident_application_needs_manager_approval(community, manager, outsider):
    application = services.membership_apply(user=outsider, role=Role.RESIDENT, community=community,
                                                         unit="5-502")
    assert application.status == MembershipStatus.PENDING
    with pytest.raises(NotAllowed):
        services.membership_approve(decided_by=outsider, membership=application)
    services.membership_approve(decided_by=manager, membership=application)
    application.refresh_from_db()
    assert application.status == MembershipStatus.ACTIVE
    with pytest.raises(Conflict):
        services.membership_approve(decided_by=manager, membership=application)
