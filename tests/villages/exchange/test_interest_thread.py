"""Investment replies are a conversation (InterestMessage), not one overwritten reply; both
sides are told of each new message."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from synergy.core.errors import Conflict, NotAllowed
from synergy.core.models import Notification
from tests.villages.exchange.factories import InvestmentNeedFactory
from villages.exchange import services
from villages.exchange.models import InterestMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def interest(village, pairing, merchant, coordinator):
    need = InvestmentNeedFactory(village=village, created_by=coordinator)
    return services.interest_express(investor=merchant, need=need,
                                     amount_indicative=Decimal("5000"), message="Interested")


def test_notifies_exchange_investment_reply_on_both_sides(interest, merchant, coordinator):
    services.interest_reply(replied_by=coordinator, interest=interest, reply="Come and visit",
                            status="in_talks")
    assert [n.recipient for n in Notification.objects.filter(kind="exchange.investment_reply")] == [
        merchant]
    services.interest_message_post(by=merchant, interest=interest, text="Next Wednesday?")
    to_village = Notification.objects.filter(kind="exchange.investment_reply", recipient=coordinator)
    assert to_village.count() == 1 and "Next Wednesday?" in to_village[0].message
    services.interest_reply(replied_by=coordinator, interest=interest, reply="Yes, 10 o'clock",
                            status="in_talks")
    thread = list(InterestMessage.objects.filter(interest=interest).values_list("author", "text"))
    assert thread == [(coordinator.pk, "Come and visit"), (merchant.pk, "Next Wednesday?"),
                      (coordinator.pk, "Yes, 10 o'clock")]  # nothing overwritten
    assert Notification.objects.filter(kind="exchange.investment_reply",
                                       recipient=merchant).count() == 2


def test_only_the_two_sides_write_and_a_settled_interest_takes_no_more(interest, merchant,
                                                                       coordinator, resident,
                                                                       api_as):
    with pytest.raises(NotAllowed):
        services.interest_message_post(by=resident, interest=interest, text="me too")
    url = f"/api/v1/investment-interests/{interest.pk}/messages/"
    assert api_as(resident).get(url).status_code == 403
    assert api_as(resident).post(url, {"text": "x"}).status_code == 403
    assert api_as(merchant).post(url, {"text": ""}).status_code == 400
    assert api_as(merchant).post(url, {"text": "Any news?"}).status_code == 201
    listed = api_as(coordinator).get(url).json()
    assert [m["text"] for m in listed] == ["Any news?"]
    services.interest_reply(replied_by=coordinator, interest=interest, reply="Agreed", status="agreed")
    with pytest.raises(Conflict):
        services.interest_message_post(by=merchant, interest=interest, text="Thanks")


def test_the_thread_shows_on_the_need_page(interest, merchant, coordinator):
    services.interest_reply(replied_by=coordinator, interest=interest, reply="First answer",
                            status="answered")
    c = Client()
    c.force_login(merchant)
    r = c.post(f"/exchange/investment/interests/{interest.pk}/messages/", {"text": "Follow-up"})
    assert r.status_code == 302
    html = c.get(f"/exchange/investment/{interest.need_id}/").content.decode()
    assert html.index("First answer") < html.index("Follow-up")


def test_migration_keeps_the_old_reply_as_the_first_message(transactional_db, village, pairing,
                                                            merchant, coordinator):
    executor = MigrationExecutor(connection)
    executor.migrate([("exchange", "0004_review_status")])
    old = executor.loader.project_state([("exchange", "0004_review_status")]).apps
    need = old.get_model("exchange", "InvestmentNeed").objects.create(
        village_id=village.pk, title="Cold store", sector="s", amount_sought=Decimal("10"),
        use_of_funds="u", model="loan", created_by_id=coordinator.pk, review_status="approved")
    interest = old.get_model("exchange", "InvestmentInterest").objects.create(
        need=need, investor_id=merchant.pk, amount_indicative=Decimal("5"), message="m",
        reply="Welcome, visit us")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    message = InterestMessage.objects.get(interest_id=interest.pk)
    assert message.text == "Welcome, visit us" and message.author_id == coordinator.pk
