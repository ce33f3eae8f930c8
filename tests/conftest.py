"""Shared fixtures: personas (a resident, a property manager, a coordinator, an outsider, ...)."""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from synergy.celery import app
from synergy.core.models import Role
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    PairingFactory,
    UserFactory,
    VillageFactory,
)

# Tests only: a password hash costs microseconds instead of PBKDF2's million rounds. Set once for
# the whole session (pytest_configure, before any fixture), so factories (UserFactory's
# set_password), the demo seed, fixtures of any scope (module-scoped seeds) and the 40-user race
# tests all hash fast. A test may still override PASSWORD_HASHERS with the `settings` fixture.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _redis_db_for_xdist_worker(url: str, worker: str) -> str:
    """pytest-xdist worker gwN uses Redis db (base + N) % 16, so brokers never share a queue."""
    parsed = urlparse(url)
    base = int(parsed.path.lstrip("/") or 0)
    return parsed._replace(path=f"/{(base + int(worker.removeprefix('gw'))) % 16}").geturl()


def pytest_configure(config):
    django_settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
    worker, broker = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("CELERY_BROKER_URL")
    if worker and broker:
        # Settings already read the variable; the worker tests pass os.environ on to the real
        # Celery worker they start, so all three are moved together.
        broker = _redis_db_for_xdist_worker(broker, worker)
        os.environ["CELERY_BROKER_URL"] = django_settings.CELERY_BROKER_URL = broker
        app.conf.broker_url = broker


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks run in-process in tests, whatever the broker; worker tests opt out explicitly."""
    app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.SENDFILE_ROOT = str(tmp_path / "private-media")


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site default (zh-hans): a request or a test that activated
    English must not carry over to the next test on the same worker."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def page_cache_on(settings):
    """The page cache on (as with CACHE_URL set), emptied before and after the test."""
    settings.PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def requires_postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL or run `make test` with it running")


@pytest.fixture
def community(db):
    return CommunityFactory()


@pytest.fixture
def village(db):
    return VillageFactory()


@pytest.fixture
def pairing(community, village):
    return PairingFactory(community=community, village=village)


@pytest.fixture
def other_community(db):
    return CommunityFactory()


@pytest.fixture
def other_village(db):
    return VillageFactory()


@pytest.fixture
def resident(community):
    return MembershipFactory(role=Role.RESIDENT, community=community, unit="2-301").user


@pytest.fixture
def manager(community):
    return MembershipFactory(role=Role.PROPERTY_MANAGER, community=community, unit="").user


@pytest.fixture
def merchant(community):
    return MembershipFactory(role=Role.MERCHANT, community=community, unit="").user


@pytest.fixture
def coordinator(village):
    return MembershipFactory(role=Role.COORDINATOR, village=village, unit="").user


@pytest.fixture
def other_coordinator(other_village):
    return MembershipFactory(role=Role.COORDINATOR, village=other_village, unit="").user


@pytest.fixture
def worker(village):
    return MembershipFactory(role=Role.RURAL_WORKER, village=village, unit="").user


@pytest.fixture
def admin_user(db):
    return MembershipFactory(role=Role.ADMIN, unit="").user


@pytest.fixture
def analyst(db):
    return MembershipFactory(role=Role.ANALYST, unit="").user


@pytest.fixture
def outsider(db):
    return UserFactory()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as():
    """api_as(user) -> an APIClient authenticated as that user (None: anonymous)."""

    def make(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
