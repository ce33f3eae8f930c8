"""`standing_in`: the one query a community page asks its visitor answers as the three
selectors it replaces would, for every kind of visitor and both communities."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community import selectors
from synergy.core import selectors as core
from synergy.core.models import MembershipStatus, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitors(resident, manager, merchant, coordinator, admin_user, analyst, outsider, community):
    superuser = UserFactory(is_superuser=True)
    inactive = MembershipFactory(role=Role.RESIDENT, community=community).user
    inactive.is_active = False
    inactive.save()
    pending = MembershipFactory(role=Role.PROPERTY_MANAGER, community=community,
                                status=MembershipStatus.PENDING).user
    both = MembershipFactory(role=Role.MERCHANT, community=community).user
    MembershipFactory(user=both, role=Role.RESIDENT, community=community)
    return {"resident": resident, "manager": manager, "merchant": merchant,
            "coordinator": coordinator, "admin": admin_user, "analyst": analyst,
            "outsider": outsider, "anonymous": AnonymousUser(), "superuser": superuser,
            "inactive": inactive, "pending manager": pending, "merchant and resident": both}


def test_standing_answers_as_the_three_selectors(visitors, community, other_community):
    for name, user in visitors.items():
        for place in (community, other_community):
            standing = selectors.standing_in(user=user, community=place)
            assert standing == selectors.Standing(
                member=selectors.user_is_member_of(user=user, community=place),
                manages=core.user_manages_community(user=user, community=place),
                resident=core.user_is_resident_of(user=user, community=place)), (name, place)


def test_standing_is_one_query_and_says_what_each_role_is(visitors, community, other_community):
    with CaptureQueriesContext(connection) as queries:
        standing = selectors.standing_in(user=visitors["resident"], community=community)
    assert len(queries) == 1
    assert standing == selectors.Standing(member=True, manages=False, resident=True)
    assert selectors.standing_in(user=visitors["manager"], community=community) == \
        selectors.Standing(member=True, manages=True, resident=False)
    assert selectors.standing_in(user=visitors["admin"], community=other_community) == \
        selectors.Standing(member=True, manages=True, resident=False)
    assert selectors.standing_in(user=visitors["resident"], community=other_community) == \
        selectors.Standing(member=False, manages=False, resident=False)
