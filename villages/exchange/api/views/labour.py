"""Labour offers and jobs (lists filtered by the selectors, create), recommendations, and job
applications."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from synergy.core.api.base import Api, ListApi
from villages.exchange import selectors, services
from villages.exchange.api import serializers as s
from villages.exchange.api.views._common import ranked
from villages.exchange.models import Job, LabourOffer
from villages.exchange.selectors.filters import JobFilter, LabourOfferFilter


class LabourOfferListCreateApi(ListApi):
    """Open labour offers. Filters (LabourOfferFilter): village, skill."""

    queryset = LabourOffer.objects.none()  # for the schema; rows come from the selector
    serializer_class = s.LabourOfferOutput
    filterset_class = LabourOfferFilter

    def get_queryset(self):
        return selectors.labour_offer_list(filters=self.request.query_params)

    @extend_schema(request=s.LabourOfferInput, responses={201: s.LabourOfferOutput})
    def post(self, request):
        data = s.LabourOfferInput(data=request.data)
        data.is_valid(raise_exception=True)
        offer = services.labour_offer_create(worker=request.user, **data.validated_data)
        return Response(s.LabourOfferOutput(offer).data, status=status.HTTP_201_CREATED)


class JobListCreateApi(ListApi):
    """Open jobs. Filters (JobFilter): community, kind."""

    queryset = Job.objects.none()  # for the schema; rows come from the selector
    serializer_class = s.JobOutput
    filterset_class = JobFilter

    def get_queryset(self):
        return selectors.job_list(filters=self.request.query_params)

    @extend_schema(request=s.JobInput, responses={201: s.JobOutput})
    def post(self, request):
        data = s.JobInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.job_create(posted_by=request.user, **data.validated_data)
        return Response(s.JobOutput(job).data, status=status.HTTP_201_CREATED)


class JobRecommendedApi(Api):
    """For a rural worker: open jobs ranked against their latest labour offer."""

    permission_classes = [IsAuthenticated]  # a login-only read: 401 for anonymous callers

    @extend_schema(responses=s.JobRecommendedOutput(many=True))
    def get(self, request):
        return Response(ranked(selectors.job_recommended_for_worker(user=request.user),
                               s.JobOutput))


class JobWorkersRecommendedApi(Api):
    """For the job's poster, the community's property managers and administrators: open labour
    offers ranked for this job (403 for anyone else)."""

    permission_classes = [IsAuthenticated]  # a login-only read: 401 for anonymous callers

    @extend_schema(responses=s.LabourRecommendedOutput(many=True))
    def get(self, request, pk: int):
        job = selectors.job_get(pk=pk)
        return Response(ranked(selectors.labour_recommended_for_job(viewer=request.user, job=job),
                               s.LabourOfferOutput))


class ApplicationCreateApi(Api):
    @extend_schema(request=s.ApplicationInput, responses={201: s.ApplicationOutput})
    def post(self, request, pk: int):
        job = selectors.job_get(pk=pk)
        data = s.ApplicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.job_apply(applicant=request.user, job=job, **data.validated_data)
        return Response(s.ApplicationOutput(application).data, status=status.HTTP_201_CREATED)


class ApplicationWithdrawApi(Api):
    """The applicant withdraws a pending application (409 once decided or withdrawn)."""

    @extend_schema(request=None, responses=s.ApplicationOutput)
    def post(self, request, pk: int):
        application = selectors.application_get(pk=pk)
        application = services.application_withdraw(by=request.user, application=application)
        return Response(s.ApplicationOutput(application).data)


class ApplicationDecideApi(Api):
    @extend_schema(request=s.DecideInput, responses=s.ApplicationOutput)
    def post(self, request, pk: int):
        application = selectors.application_get(pk=pk)
        data = s.DecideInput(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_decide(decided_by=request.user,
                                                   application=application, **data.validated_data)
        return Response(s.ApplicationOutput(application).data)
