"""One rule for document attachments (notices, investment needs): type and size, field named."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from synergy.core.errors import Invalid
from synergy.core.uploads import ATTACHMENT_MAX_BYTES, attachment_check
from villages.exchange.models import InvestmentNeed


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_allowed_document_passes():
    attachment_check(SimpleUploadedFile("plan.pdf", b"%PDF-1.4 ..."))


@pytest.mark.parametrize(("name", "data", "words"), [
    ("run.exe", b"MZ...", "PDF, image, Word"),
    ("big.pdf", b"0" * (ATTACHMENT_MAX_BYTES + 1), "larger than 10 MB"),
    ("empty.pdf", b"", "empty"),
])
def test_bad_attachments_are_refused_naming_the_field(name, data, words):
    with pytest.raises(Invalid, match=words) as info:
        attachment_check(SimpleUploadedFile(name, data), field="attachment")
    assert info.value.field == "attachment"


def test_investment_need_api_refuses_an_executable_and_writes_nothing(api_as, coordinator, village):
    response = api_as(coordinator).post("/api/v1/investment-needs/", {
        "village": village.pk, "title": "Cold store", "sector": "agriculture",
        "amount_sought": "100000.00", "use_of_funds": "build it", "model": "loan",
        "attachment": SimpleUploadedFile("plan.exe", b"MZ binary"),
    }, format="multipart")
    assert response.status_code == 400, response.content
    assert "attachment" in response.json()
    assert not InvestmentNeed.objects.exists()
