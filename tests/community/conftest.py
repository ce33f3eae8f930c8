"""Fixtures of the community tests: photos, a second manager, tickets in every state."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from rest_framework.test import APIClient

from synergy.core.models import Role
from tests.community.factories import TicketFactory
from tests.factories import MembershipFactory


def make_jpeg(name: str = "leak.jpg", size=(64, 48), exif: bool = True) -> SimpleUploadedFile:
    """A small JPEG carrying EXIF (a camera model and a GPS block), as phones send them."""
    img = Image.new("RGB", size, (40, 120, 200))
    buf = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x0110] = "SpyPhone 9"  # Model
        data[0x0112] = 1  # Orientation
        gps = {1: "N", 2: (25.0, 2.0, 0.0), 3: "E", 4: (102.0, 42.0, 0.0)}
        data[0x8825] = gps
        img.save(buf, format="JPEG", exif=data.tobytes())
    else:
        img.save(buf, format="JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def jpeg():
    return make_jpeg


@pytest.fixture
def other_resident(other_community):
    return MembershipFactory(role=Role.RESIDENT, community=other_community, unit="9-909").user


@pytest.fixture
def other_manager(other_community):
    return MembershipFactory(role=Role.PROPERTY_MANAGER, community=other_community, unit="").user


@pytest.fixture
def second_manager(community):
    return MembershipFactory(role=Role.PROPERTY_MANAGER, community=community, unit="").user


@pytest.fixture
def neighbour(community):
    """Another resident of the same community (a different flat)."""
    return MembershipFactory(role=Role.RESIDENT, community=community, unit="5-502").user


@pytest.fixture
def ticket(community, resident):
    return TicketFactory(community=community, reporter=resident, unit="2-301")


@pytest.fixture(autouse=True)
def _english():
    """Zh-hans is the site default; these tests read the English sentences (pages set their own
    language cookie, test_pages checks Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def api_as():
    """api_as(user) -> an APIClient speaking English, authenticated as that user (None: anonymous)."""
    def make(user):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
