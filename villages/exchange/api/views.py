"""Thin API views: parse, call one service or selector, serialise. Services decide permissions."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from synergy.core.api.files import PrivateFileApi, file_schema
from synergy.core.errors import NotAllowed
from synergy.core.private_files import download_name, private_file_response
from villages.exchange import selectors, services
from villages.exchange.api import serializers as s
from villages.exchange.models import (
    Campaign,
    InvestmentInterest,
    InvestmentNeed,
    Job,
    JobApplication,
    Registration,
    Signup,
    VolunteerNeed,
    VolunteerSlot,
)


def _get(qs, pk):
    return generics.get_object_or_404(qs, pk=pk)


def _ranked(recommendations, output):
    return [{**output(r.item).data, "match": r.match.as_dict()} for r in recommendations]


# ---------------------------------------------------------------------------------- giving

class CampaignListCreateApi(generics.ListAPIView):
    serializer_class = s.CampaignOutput

    def get_queryset(self):
        return selectors.campaign_list()

    @extend_schema(request=s.CampaignInput, responses={201: s.CampaignOutput})
    def post(self, request):
        data = s.CampaignInput(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.campaign_create(created_by=request.user, **data.validated_data)
        return Response(s.CampaignOutput(selectors.campaign_get(pk=campaign.pk)).data, status=201)


class CampaignDetailApi(APIView):
    @extend_schema(responses=s.CampaignOutput)
    def get(self, request, pk: int):
        try:
            campaign = selectors.campaign_get(pk=pk)
        except Campaign.DoesNotExist:
            raise Http404 from None
        lines = selectors.budget_lines_with_spending(campaign=campaign)
        data = s.CampaignOutput(campaign).data
        data["budget_lines"] = s.BudgetLineSerializer(lines, many=True).data
        data["spent"] = str(campaign.spent or "0.00")
        return Response(data)


class DonationCreateApi(APIView):
    """Record a donation. Send an `Idempotency-Key` header: a repeat returns the first donation."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.DonationInput, responses={201: s.DonationOutput, 200: s.DonationOutput},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=True)],
    )
    def post(self, request, pk: int):
        campaign = _get(Campaign.objects.all(), pk)
        data = s.DonationInput(data=request.data)
        data.is_valid(raise_exception=True)
        donation, created = services.donation_give(
            donor=request.user, campaign=campaign.pk,
            idempotency_key=request.headers.get("Idempotency-Key", ""), **data.validated_data)
        return Response(s.DonationOutput(donation).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class DonationDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.DonationOutput)
    def get(self, request, pk: int):
        donation = selectors.donation_get_for_user(user=request.user, pk=pk)
        if donation is None:
            raise Http404
        return Response(s.DonationOutput(donation).data)


class SpendingCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.SpendingInput, responses={201: s.SpendingOutput})
    def post(self, request, pk: int):
        campaign = _get(Campaign.objects.all(), pk)
        data = s.SpendingInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.spending_record(recorded_by=request.user, campaign=campaign,
                                         **data.validated_data)
        return Response(s.SpendingOutput(entry).data, status=201)


# ---------------------------------------------------------------------------- volunteering

class NeedListCreateApi(generics.ListAPIView):
    serializer_class = s.NeedOutput

    def get_queryset(self):
        return selectors.volunteer_need_list()

    @extend_schema(request=s.NeedInput, responses={201: s.NeedOutput})
    def post(self, request):
        data = s.NeedInput(data=request.data)
        data.is_valid(raise_exception=True)
        need = services.volunteer_need_create(created_by=request.user, **data.validated_data)
        return Response(s.NeedOutput(need).data, status=201)


class NeedDetailApi(APIView):
    @extend_schema(responses=s.NeedDetailOutput)
    def get(self, request, pk: int):
        try:
            need = selectors.volunteer_need_get(pk=pk)
        except VolunteerNeed.DoesNotExist:
            raise Http404 from None
        return Response(s.NeedDetailOutput(need).data)


class NeedRecommendedApi(APIView):
    """Open needs ranked for the caller; each result carries `match` with its score breakdown."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.NeedRecommendedOutput(many=True))
    def get(self, request):
        return Response(_ranked(selectors.volunteer_need_recommended(user=request.user),
                                s.NeedOutput))


class SlotCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.SlotInput, responses={201: s.SlotOutput})
    def post(self, request, pk: int):
        need = _get(VolunteerNeed.objects.all(), pk)
        data = s.SlotInput(data=request.data)
        data.is_valid(raise_exception=True)
        slot = services.volunteer_slot_create(created_by=request.user, need=need,
                                              **data.validated_data)
        return Response(s.SlotOutput(slot).data, status=201)


class SignupCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: s.SignupOutput})
    def post(self, request, pk: int):
        slot = _get(VolunteerSlot.objects.all(), pk)
        signup = services.signup_create(volunteer=request.user, slot=slot.pk)
        signup = selectors.signup_list_for_volunteer(user=request.user).get(pk=signup.pk)
        return Response(s.SignupOutput(signup).data, status=201)


class SignupListApi(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = s.SignupOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Signup.objects.none()
        return selectors.signup_list_for_volunteer(user=self.request.user, active_only=False)


class SignupCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=s.SignupOutput)
    def post(self, request, pk: int):
        signup = _get(Signup.objects.all(), pk)
        services.signup_cancel(volunteer=request.user, signup=signup.pk)
        return Response(s.SignupOutput(Signup.objects.select_related("slot__need").get(
            pk=pk)).data)


class SignupHoursApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.HoursInput, responses=s.SignupOutput)
    def post(self, request, pk: int):
        signup = _get(Signup.objects.select_related("slot__need", "volunteer"), pk)
        data = s.HoursInput(data=request.data)
        data.is_valid(raise_exception=True)
        signup = services.signup_confirm_hours(confirmed_by=request.user, signup=signup,
                                               **data.validated_data)
        return Response(s.SignupOutput(signup).data)


class ProfileApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.ProfileSerializer)
    def get(self, request):
        profile = selectors.volunteer_profile_of(user=request.user)
        return Response(s.ProfileSerializer(profile).data if profile else
                        {"skills": [], "weekdays": [], "bio": ""})

    @extend_schema(request=s.ProfileSerializer, responses=s.ProfileSerializer)
    def put(self, request):
        data = s.ProfileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = services.volunteer_profile_save(user=request.user, **data.validated_data)
        return Response(s.ProfileSerializer(profile).data)


# ------------------------------------------------------------------------------ investment

class InvestmentNeedListCreateApi(generics.ListAPIView):
    serializer_class = s.InvestmentNeedOutput

    def get_queryset(self):
        return selectors.investment_need_list()

    @extend_schema(request=s.InvestmentNeedInput, responses={201: s.InvestmentNeedOutput})
    def post(self, request):
        data = s.InvestmentNeedInput(data=request.data)
        data.is_valid(raise_exception=True)
        need = services.investment_need_create(created_by=request.user, **data.validated_data)
        return Response(s.InvestmentNeedOutput(need).data, status=201)


class InvestmentAttachmentApi(PrivateFileApi):
    """The attachment of an investment need: the village's coordinators, administrators and
    people who expressed interest in the need; 403 for anyone else."""

    @file_schema
    def get(self, request, pk: int):
        need = _get(InvestmentNeed.objects.select_related("village"), pk)
        if not need.attachment:
            raise Http404
        if not selectors.investment_attachment_visible(user=request.user, need=need):
            raise NotAllowed(_("Express interest in this need to receive its attachment."))
        return private_file_response(request, need.attachment,
                                     download_name=download_name(need.title, need.attachment))


class InterestCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.InterestInput, responses={201: s.InterestOutput})
    def post(self, request, pk: int):
        need = _get(InvestmentNeed.objects.all(), pk)
        data = s.InterestInput(data=request.data)
        data.is_valid(raise_exception=True)
        interest = services.interest_express(investor=request.user, need=need,
                                             **data.validated_data)
        return Response(s.InterestOutput(interest).data, status=201)


class InterestReplyApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.InterestReplyInput, responses=s.InterestOutput)
    def post(self, request, pk: int):
        interest = _get(InvestmentInterest.objects.select_related("need", "investor"), pk)
        data = s.InterestReplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        interest = services.interest_reply(replied_by=request.user, interest=interest,
                                           **data.validated_data)
        return Response(s.InterestOutput(interest).data)


# ---------------------------------------------------------------------------- labour, jobs

class LabourOfferListCreateApi(generics.ListAPIView):
    serializer_class = s.LabourOfferOutput

    def get_queryset(self):
        return selectors.labour_offer_list()

    @extend_schema(request=s.LabourOfferInput, responses={201: s.LabourOfferOutput})
    def post(self, request):
        data = s.LabourOfferInput(data=request.data)
        data.is_valid(raise_exception=True)
        offer = services.labour_offer_create(worker=request.user, **data.validated_data)
        return Response(s.LabourOfferOutput(offer).data, status=201)


class JobListCreateApi(generics.ListAPIView):
    serializer_class = s.JobOutput

    def get_queryset(self):
        return selectors.job_list()

    @extend_schema(request=s.JobInput, responses={201: s.JobOutput})
    def post(self, request):
        data = s.JobInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.job_create(posted_by=request.user, **data.validated_data)
        return Response(s.JobOutput(job).data, status=201)


class JobRecommendedApi(APIView):
    """For a rural worker: open jobs ranked against their latest labour offer."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.JobRecommendedOutput(many=True))
    def get(self, request):
        return Response(_ranked(selectors.job_recommended_for_worker(user=request.user),
                                s.JobOutput))


class JobWorkersRecommendedApi(APIView):
    """For the job's poster: open labour offers ranked for this job."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.LabourRecommendedOutput(many=True))
    def get(self, request, pk: int):
        job = _get(Job.objects.select_related("community"), pk)
        return Response(_ranked(selectors.labour_recommended_for_job(job=job),
                                s.LabourOfferOutput))


class ApplicationCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.ApplicationInput, responses={201: s.ApplicationOutput})
    def post(self, request, pk: int):
        job = _get(Job.objects.all(), pk)
        data = s.ApplicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.job_apply(applicant=request.user, job=job, **data.validated_data)
        return Response(s.ApplicationOutput(application).data, status=201)


class ApplicationDecideApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.DecideInput, responses=s.ApplicationOutput)
    def post(self, request, pk: int):
        application = _get(JobApplication.objects.select_related("applicant"), pk)
        data = s.DecideInput(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_decide(decided_by=request.user,
                                                   application=application, **data.validated_data)
        return Response(s.ApplicationOutput(application).data)


# ---------------------------------------------------------------------------------- events

class EventListCreateApi(generics.ListAPIView):
    serializer_class = s.EventOutput

    def get_queryset(self):
        return selectors.event_list()

    @extend_schema(request=s.EventInput, responses={201: s.EventOutput})
    def post(self, request):
        data = s.EventInput(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.event_create(created_by=request.user, **data.validated_data)
        return Response(s.EventOutput(selectors.event_get(pk=event.pk)).data, status=201)


class RegistrationCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: None})
    def post(self, request, pk: int):
        from villages.exchange.models import Event

        event = _get(Event.objects.all(), pk)
        registration = services.registration_create(person=request.user, event=event.pk)
        return Response({"id": registration.pk, "event": event.pk, "status": registration.status},
                        status=201)


class RegistrationCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: None})
    def post(self, request, pk: int):
        registration = _get(Registration.objects.all(), pk)
        registration = services.registration_cancel(person=request.user, registration=registration)
        return Response({"id": registration.pk, "status": registration.status})


# ---------------------------------------------------------------------------------- ledger

class LedgerApi(APIView):
    """Public: what flowed each way through one community–village pairing."""

    permission_classes = []

    @extend_schema(responses=s.LedgerOutput)
    def get(self, request, pk: int):
        from synergy.core.models import Pairing

        try:
            pairing = selectors.pairing_get(pk=pk)
        except Pairing.DoesNotExist:
            raise Http404 from None
        ledger = selectors.pairing_ledger(pairing=pairing)
        return Response({
            "pairing": {"id": pairing.pk, "community": pairing.community.name,
                        "village": pairing.village.name, "distance_km": str(pairing.distance_km)},
            "to_village": s.LedgerRowOutput(ledger.to_village, many=True).data,
            "to_city": s.LedgerRowOutput(ledger.to_city, many=True).data,
        })
