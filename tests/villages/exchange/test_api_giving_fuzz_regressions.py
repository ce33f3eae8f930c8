"""Examples the schema fuzzer found, kept as regular tests."""

from tests.villages.exchange.factories import BudgetLineFactory


def test_budget_lines_without_spending_report_zero_not_null(api_as, campaign):
    BudgetLineFactory(campaign=campaign)
    rows = api_as(None).get("/api/v1/campaigns/").json()["results"]
    lines = next(r for r in rows if r["id"] == campaign.pk)["budget_lines"]
    assert lines and all(line["spent"] == "0.00" for line in lines)
    detail = api_as(None).get(f"/api/v1/campaigns/{campaign.pk}/").json()
    assert detail["budget_lines"] and all(line["spent"] == "0.00" for line in detail["budget_lines"])
