"""seed_demo builds the demo world once; a second run changes nothing."""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

from synergy.core import selectors
from synergy.core.demo import ACCOUNTS, DEMO_PASSWORD
from synergy.core.models import Community, Pairing, Role, User, Village
from tests.seeding import demo_seeded_once
from villages.exchange.models import Campaign, VolunteerNeed

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _demo_seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The first run of seed_demo, once for the module (committed, flushed after the module);
    each test reads it inside its own rolled-back transaction. The analysis run it queues stays
    queued, as it did when each test seeded inside its own transaction."""
    with django_db_blocker.unblock(), demo_seeded_once(tmp_path_factory, run_queued_work=False):
        yield


def _project_labels() -> set[str]:
    """The core and every app that seeds the demo (the exchange included: its label is
    `exchange`, which a hand-written list once left out)."""
    return {"core"} | {c.label for c in apps.get_app_configs() if getattr(c, "demo_seeder", None)}


def _snapshot() -> dict:
    """Every row of every project model, as values, keyed by model."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in _project_labels():
            state[model._meta.label] = sorted(
                (tuple(sorted((k, str(v)) for k, v in row.items()))
                 for row in model.objects.values()),
            )
    return state


def test_seed_is_idempotent():
    first = _snapshot()  # after the module's first run
    call_command("seed_demo", verbosity=0)
    assert _snapshot() == first


def test_every_app_with_a_demo_registers_its_seeder():
    """seed_demo knows the apps only through their AppConfig (`demo_seeder`); an app with a
    demo module that does not register it would silently seed nothing."""
    for config in apps.get_app_configs():
        if (Path(config.path) / "demo.py").exists() and config.label != "core":
            assert getattr(config, "demo_seeder", None) == f"{config.name}.demo.seed", config.label
    assert {"villages", "exchange", "community", "analytics"} <= _project_labels()


def test_the_exchange_is_seeded():
    assert Campaign.objects.exists() and VolunteerNeed.objects.exists()


def test_seed_builds_the_world():
    assert Community.objects.count() == 3
    assert Village.objects.count() == 6
    assert Pairing.objects.count() >= 6
    assert Community.objects.values("prefecture_city").distinct().count() == 1


@pytest.mark.parametrize("username", [a[0] for a in ACCOUNTS])
def test_every_demo_account_logs_in(username):
    assert authenticate(username=username, password=DEMO_PASSWORD) is not None


def test_demo_memberships_make_sense():
    resident = User.objects.get(username="resident")
    coordinator = User.objects.get(username="coordinator")
    community = selectors.communities_of_user(user=resident).get()
    first_paired = selectors.paired_villages(community=community).first()
    assert selectors.user_coordinates_village(user=coordinator, village=first_paired)
    assert selectors.user_manages_community(user=User.objects.get(username="manager"),
                                            community=community)
    assert selectors.user_has_role(user=User.objects.get(username="merchant"),
                                   role=Role.MERCHANT, community=community)
    assert selectors.user_can_view_analytics(user=User.objects.get(username="analyst"))
    assert selectors.user_is_platform_admin(user=User.objects.get(username="admin"))
