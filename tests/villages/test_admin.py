"""The admin's moderation actions go through the services."""

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.villages.factories import ProductFactory
from villages.models import ListingStatus, Product

pytestmark = pytest.mark.django_db


def test_admin_approves_from_the_moderation_queue(village):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    pending = ProductFactory(village=village, status=ListingStatus.PENDING)
    draft = ProductFactory(village=village, status=ListingStatus.DRAFT)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(superuser)
    queue = client.get("/admin/villages/pendingproduct/")
    assert queue.status_code == 200 and pending.name in queue.content.decode()
    assert draft.name not in queue.content.decode()
    client.post("/admin/villages/product/", {"action": "approve", "_selected_action": [pending.pk,
                                                                                    draft.pk]})
    assert Product.objects.get(pk=pending.pk).status == ListingStatus.PUBLISHED
    assert Product.objects.get(pk=draft.pk).status == ListingStatus.DRAFT  # not pending: refused
    assert client.get("/admin/villages/order/").status_code == 200
    assert client.get("/admin/villages/booking/").status_code == 200
