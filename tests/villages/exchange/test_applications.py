"""Job applications: the applicant withdraws a pending one (the poster is told); the decision
reaches the applicant."""

import pytest
from django.test import Client

from synergy.core.errors import Conflict, NotAllowed
from synergy.core.models import Notification
from tests.villages.exchange.factories import JobFactory
from villages.exchange import services
from villages.exchange.models import ApplicationStatus

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_notifies_exchange_application_withdrawn_to_the_poster(community, pairing, merchant,
                                                               worker, resident):
    job = JobFactory(community=community, posted_by=merchant)
    application = services.job_apply(applicant=worker, job=job)
    with pytest.raises(NotAllowed):
        services.application_withdraw(by=merchant, application=application)
    services.application_withdraw(by=worker, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    notes = Notification.objects.filter(kind="exchange.application_withdrawn")
    assert [n.recipient for n in notes] == [merchant]
    with pytest.raises(Conflict):
        services.application_withdraw(by=worker, application=application)
    with pytest.raises(Conflict):  # nothing left to decide
        services.application_decide(decided_by=merchant, application=application, accept=True)


def test_a_decided_application_cannot_be_withdrawn(community, pairing, merchant, worker):
    job = JobFactory(community=community, posted_by=merchant)
    application = services.job_apply(applicant=worker, job=job)
    services.application_decide(decided_by=merchant, application=application, accept=False)
    with pytest.raises(Conflict):
        services.application_withdraw(by=worker, application=application)


def test_notifies_exchange_application_decided_to_the_applicant(community, pairing, merchant,
                                                                worker):
    job = JobFactory(community=community, posted_by=merchant)
    application = services.job_apply(applicant=worker, job=job)
    services.application_decide(decided_by=merchant, application=application, accept=True)
    notes = Notification.objects.filter(kind="exchange.application_decided")
    assert [n.recipient for n in notes] == [worker]


def test_the_applicant_withdraws_on_the_job_page_after_confirming(community, pairing, merchant,
                                                                  worker, api_as):
    job = JobFactory(community=community, posted_by=merchant)
    application = services.job_apply(applicant=worker, job=job, message="I can start Monday")
    page = _client(worker).get(f"/exchange/jobs/{job.pk}/").content.decode()
    assert 'id="my-application"' in page and "Withdraw my application" in page
    url = f"/exchange/jobs/applications/{application.pk}/withdraw/"
    _client(worker).post(url, {})  # no confirmation ticked: nothing happens
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED
    assert _client(worker).post(url, {"confirm": "on"}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    r = api_as(worker).post(f"/api/v1/job-applications/{application.pk}/withdraw/")
    assert r.status_code == 409
