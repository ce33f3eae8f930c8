"""Thin API views of the community node: parse, authorise (one selector), call a service or selector.

Visibility: lists scoped to a community answer 403 to people outside it (the community itself
is public); single records a person may not see answer 404; anonymous callers get 401.
"""

from __future__ import annotations

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from community import selectors, services
from community.api import filters
from community.api.serializers import (
    ArrearsOutput,
    BillInput,
    BillOutput,
    BillPaymentInput,
    BusinessInput,
    BusinessOutput,
    ChannelItemOutput,
    ChannelQueryInput,
    CouponInput,
    CouponOutput,
    FollowOutput,
    HousingInput,
    HousingOutput,
    NoticeInput,
    NoticeOutput,
    OfferInput,
    OfferOutput,
    PaymentOutput,
    ServiceInput,
    ServiceOutput,
    TicketAssignInput,
    TicketCreateInput,
    TicketDetailOutput,
    TicketNoteInput,
    TicketOutput,
    TicketRateInput,
)
from community.models import Bill, Business, HousingListing, Notice, PeripheralService, RepairTicket
from synergy.core import selectors as core
from synergy.core.api.files import PrivateFileApi, file_schema
from synergy.core.api.parsers import JSONParser
from synergy.core.errors import NotAllowed
from synergy.core.exports import safe_row
from synergy.core.models import Role, Village
from synergy.core.private_files import download_name, private_file_response

UPLOAD_PARSERS = [MultiPartParser, FormParser, JSONParser]


def _member_community(request, community_id: int):
    """The community, if the caller belongs to it (resident, manager, merchant, admin); else 403."""
    community = selectors.community_get(pk=community_id)
    if not selectors.user_is_member_of(user=request.user, community=community):
        raise NotAllowed(_("You are not a member of this community."))
    return community


# --------------------------------------------------------------------------- notices


class NoticeListCreateApi(generics.ListAPIView):
    """Members read current notices (pinned first); managers also see expired ones and publish."""

    queryset = Notice.objects.none()  # for the schema; get_queryset scopes the real one
    serializer_class = NoticeOutput
    permission_classes = [IsAuthenticated]
    filterset_class = filters.NoticeFilter
    parser_classes = UPLOAD_PARSERS

    def get_queryset(self):
        community = _member_community(self.request, self.kwargs["community_id"])
        manages = core.user_manages_community(user=self.request.user, community=community)
        return selectors.notice_list(community=community, viewer=self.request.user,
                                     include_expired=manages)

    @extend_schema(request=NoticeInput, responses={201: NoticeOutput})
    def post(self, request, community_id: int):
        community = selectors.community_get(pk=community_id)
        data = NoticeInput(data=request.data)
        data.is_valid(raise_exception=True)
        notice = services.notice_publish(author=request.user, community=community,
                                         **data.validated_data)
        notice = selectors.notice_get(community=community, viewer=request.user, pk=notice.pk,
                                      include_expired=True)
        return Response(NoticeOutput(notice, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class NoticeDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=NoticeOutput)
    def get(self, request, community_id: int, pk: int):
        community = _member_community(request, community_id)
        notice = selectors.notice_get(community=community, viewer=request.user, pk=pk)
        return Response(NoticeOutput(notice, context={"request": request}).data)


class NoticeReadApi(APIView):
    """Record that the caller has read the notice (idempotent)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=NoticeOutput)
    def post(self, request, community_id: int, pk: int):
        community = _member_community(request, community_id)
        notice = selectors.notice_get(community=community, viewer=request.user, pk=pk)
        services.notice_mark_read(user=request.user, notice=notice)
        notice = selectors.notice_get(community=community, viewer=request.user, pk=pk)
        return Response(NoticeOutput(notice, context={"request": request}).data)


class NoticeAttachmentApi(PrivateFileApi):
    """The notice's attachment, to those who may read the notice (members of its community)."""

    @file_schema
    def get(self, request, community_id: int, pk: int):
        community = _member_community(request, community_id)
        notice = selectors.notice_get(community=community, viewer=request.user, pk=pk)
        if not notice.attachment:
            raise Http404
        return private_file_response(request, notice.attachment,
                                     download_name=download_name(notice.title, notice.attachment))


# --------------------------------------------------------------------------- tickets


class TicketListCreateApi(generics.ListAPIView):
    """A manager sees every ticket of their community (oldest first, with its age); a resident
    sees their own. Residents report with multipart (`photos` may repeat)."""

    queryset = RepairTicket.objects.none()  # for the schema; get_queryset scopes the real one
    serializer_class = TicketOutput
    permission_classes = [IsAuthenticated]
    filterset_class = filters.TicketFilter
    parser_classes = UPLOAD_PARSERS

    def get_queryset(self):
        community = _member_community(self.request, self.kwargs["community_id"])
        return selectors.ticket_list(community=community, viewer=self.request.user)

    @extend_schema(request={"multipart/form-data": TicketCreateInput,
                            "application/json": TicketCreateInput},
                   responses={201: TicketDetailOutput})
    def post(self, request, community_id: int):
        community = selectors.community_get(pk=community_id)
        data = TicketCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = services.repair_ticket_create(reporter=request.user, community=community,
                                               **data.validated_data)
        ticket = selectors.ticket_get_for_user(user=request.user, pk=ticket.pk)
        return Response(TicketDetailOutput(ticket, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class MyTicketListApi(generics.ListAPIView):
    """Tickets I may see anywhere: my reports, my community's (managers), my assignments, and my
    village's labour-team work (coordinators). Filter with `status`, `category`, `community`."""

    queryset = RepairTicket.objects.none()  # for the schema
    serializer_class = TicketOutput
    permission_classes = [IsAuthenticated]
    filterset_class = filters.MyTicketFilter

    def get_queryset(self):
        return selectors.ticket_list_for_user(user=self.request.user)


class TicketDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TicketDetailOutput)
    def get(self, request, pk: int):
        ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
        return Response(TicketDetailOutput(ticket, context={"request": request}).data)


class TicketPhotoApi(PrivateFileApi):
    """A ticket's photo, to those who may see the ticket."""

    @file_schema
    def get(self, request, pk: int, photo_pk: int):
        ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
        photo = next((p for p in ticket.photos.all() if p.pk == photo_pk), None)
        if photo is None:
            raise Http404
        return private_file_response(request, photo.image)


class _TicketActionApi(APIView):
    """POST to move a ticket along; 409 with a sentence when its status does not allow it."""

    permission_classes = [IsAuthenticated]
    input_class = TicketNoteInput
    service = None

    def post(self, request, pk: int):
        ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        self.act(request, ticket, data.validated_data)
        ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
        return Response(TicketDetailOutput(ticket, context={"request": request}).data)

    def act(self, request, ticket, data):
        type(self).service(actor=request.user, ticket=ticket, **data)


class TicketAssignApi(_TicketActionApi):
    """Assign an open ticket to a staff member (`assignee_user`) or a paired village's labour
    team (`assignee_village`). Two managers at once: exactly one wins, the other gets 409."""

    input_class = TicketAssignInput
    service = services.repair_ticket_assign

    @extend_schema(request=TicketAssignInput, responses={
        200: TicketDetailOutput, 409: OpenApiResponse(description="Already assigned")})
    def post(self, request, pk: int):
        return super().post(request, pk)


class TicketStartApi(_TicketActionApi):
    service = services.repair_ticket_start

    @extend_schema(request=TicketNoteInput, responses=TicketDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class TicketResolveApi(_TicketActionApi):
    service = services.repair_ticket_resolve

    @extend_schema(request=TicketNoteInput, responses=TicketDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class TicketCloseApi(_TicketActionApi):
    service = services.repair_ticket_close

    @extend_schema(request=TicketNoteInput, responses=TicketDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class TicketReopenApi(_TicketActionApi):
    service = services.repair_ticket_reopen

    @extend_schema(request=TicketNoteInput, responses=TicketDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


class TicketRateApi(_TicketActionApi):
    input_class = TicketRateInput
    service = services.repair_ticket_rate

    @extend_schema(request=TicketRateInput, responses=TicketDetailOutput)
    def post(self, request, pk: int):
        return super().post(request, pk)


# --------------------------------------------------------------------------- bills


def _fees_community(request, community_id: int):
    """Residents (their own flat) and managers; merchants and outsiders get 403."""
    community = selectors.community_get(pk=community_id)
    if not (core.user_has_role(user=request.user, role=[Role.RESIDENT, Role.PROPERTY_MANAGER],
                               community=community)
            or core.user_is_platform_admin(user=request.user)):
        raise NotAllowed(_("Only residents and the property manager of this community see its bills."))
    return community


def _managed_community(request, community_id: int):
    community = selectors.community_get(pk=community_id)
    if not core.user_manages_community(user=request.user, community=community):
        raise NotAllowed(_("Only this community's property manager can see this."))
    return community


class BillListCreateApi(generics.ListAPIView):
    """Managers see every flat's bills and issue new ones; a resident sees their flat's only."""

    queryset = Bill.objects.none()  # for the schema; get_queryset scopes the real one
    serializer_class = BillOutput
    permission_classes = [IsAuthenticated]
    filterset_class = filters.BillFilter

    def get_queryset(self):
        community = _fees_community(self.request, self.kwargs["community_id"])
        return selectors.bill_list(community=community, viewer=self.request.user)

    @extend_schema(request=BillInput, responses={201: BillOutput})
    def post(self, request, community_id: int):
        community = selectors.community_get(pk=community_id)
        data = BillInput(data=request.data)
        data.is_valid(raise_exception=True)
        bill = services.bill_create(created_by=request.user, community=community,
                                    **data.validated_data)
        return Response(BillOutput(bill).data, status=status.HTTP_201_CREATED)


class PaymentCreateApi(APIView):
    """The manager records a payment received (cash, bank, mobile); never more than is owed."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=BillPaymentInput, responses={201: PaymentOutput})
    def post(self, request, pk: int):
        bill = selectors.bill_get_for_manager(user=request.user, pk=pk)
        data = BillPaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        payment = services.payment_record(recorded_by=request.user, bill=bill, **data.validated_data)
        return Response(PaymentOutput(payment).data, status=status.HTTP_201_CREATED)


class ArrearsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ArrearsOutput)
    def get(self, request, community_id: int):
        community = _managed_community(request, community_id)
        return Response(ArrearsOutput(selectors.arrears_report(community=community)).data)


BILL_CSV_HEADER = ["unit", "period", "amount", "paid", "outstanding", "due_date", "status"]


def bills_csv(bills) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bills.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8 flat names correctly
    writer = csv.writer(response)
    writer.writerow(BILL_CSV_HEADER)
    for b in bills:
        writer.writerow(safe_row([b.unit, b.period, b.amount, b.paid_amount, b.outstanding,
                                  b.due_date, b.status]))
    return response


class BillExportApi(APIView):
    """CSV of the community's bills (optionally `?period=YYYY-MM`), for the manager."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request, community_id: int):
        community = _managed_community(request, community_id)
        bills = selectors.bill_list(community=community, viewer=request.user)
        if request.query_params.get("period"):
            bills = bills.filter(period=request.query_params["period"])
        return bills_csv(bills)


# --------------------------------------------------------------------------- business circle


class BusinessListCreateApi(generics.ListAPIView):
    """The business circle is public; merchants of the community list their shop."""

    queryset = Business.objects.none()  # for the schema; get_queryset scopes the real one
    serializer_class = BusinessOutput
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_class = filters.BusinessFilter
    search_fields = ["name", "description", "category"]

    def get_queryset(self):
        return selectors.business_list(community=selectors.community_get(pk=self.kwargs["community_id"]))

    @extend_schema(request=BusinessInput, responses={201: BusinessOutput})
    def post(self, request, community_id: int):
        community = selectors.community_get(pk=community_id)
        data = BusinessInput(data=request.data)
        data.is_valid(raise_exception=True)
        business = services.business_create(owner=request.user, community=community,
                                            **data.validated_data)
        business = selectors.business_list(community=community).get(pk=business.pk)
        return Response(BusinessOutput(business).data, status=status.HTTP_201_CREATED)


class BusinessDetailApi(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(responses=BusinessOutput)
    def get(self, request, pk: int):
        business = selectors.business_get(pk=pk)
        business = get_object_or_404(selectors.business_list(community=business.community_id), pk=pk)
        return Response(BusinessOutput(business).data)


class OfferCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=OfferInput, responses={201: OfferOutput})
    def post(self, request, pk: int):
        business = selectors.business_get(pk=pk)
        data = OfferInput(data=request.data)
        data.is_valid(raise_exception=True)
        offer = services.offer_create(actor=request.user, business=business, **data.validated_data)
        return Response(OfferOutput(offer).data, status=status.HTTP_201_CREATED)


class CouponCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CouponInput, responses={201: CouponOutput})
    def post(self, request, pk: int):
        business = selectors.business_get(pk=pk)
        data = CouponInput(data=request.data)
        data.is_valid(raise_exception=True)
        coupon = services.coupon_create(actor=request.user, business=business, **data.validated_data)
        return Response(CouponOutput(coupon).data, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------- services, housing


class ServiceListCreateApi(generics.ListAPIView):
    """The peripheral services directory (public); the property manager keeps it."""

    queryset = PeripheralService.objects.none()  # for the schema; get_queryset scopes the real one
    serializer_class = ServiceOutput
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_class = filters.ServiceFilter
    search_fields = ["name", "description"]

    def get_queryset(self):
        return selectors.service_list(community=selectors.community_get(pk=self.kwargs["community_id"]))

    @extend_schema(request=ServiceInput, responses={201: ServiceOutput})
    def post(self, request, community_id: int):
        community = selectors.community_get(pk=community_id)
        data = ServiceInput(data=request.data)
        data.is_valid(raise_exception=True)
        service = services.service_create(actor=request.user, community=community,
                                          **data.validated_data)
        return Response(ServiceOutput(service).data, status=status.HTTP_201_CREATED)


class HousingListCreateApi(generics.ListAPIView):
    """Rent and sale listings (public), filtered by kind, price, rooms and area."""

    queryset = HousingListing.objects.none()  # for the schema; get_queryset scopes the real one
    serializer_class = HousingOutput
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_class = filters.HousingFilter
    parser_classes = UPLOAD_PARSERS
    ordering_fields = ["price", "area_m2", "created_at"]

    def get_queryset(self):
        return selectors.housing_list(community=selectors.community_get(pk=self.kwargs["community_id"]))

    @extend_schema(request={"multipart/form-data": HousingInput, "application/json": HousingInput},
                   responses={201: HousingOutput})
    def post(self, request, community_id: int):
        community = selectors.community_get(pk=community_id)
        data = HousingInput(data=request.data)
        data.is_valid(raise_exception=True)
        listing = services.housing_create(posted_by=request.user, community=community,
                                          **data.validated_data)
        listing = selectors.housing_get(pk=listing.pk)
        return Response(HousingOutput(listing, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class HousingDetailApi(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(responses=HousingOutput)
    def get(self, request, pk: int):
        listing = selectors.housing_get(pk=pk)
        return Response(HousingOutput(listing, context={"request": request}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        listing = selectors.housing_get(pk=pk)
        services.housing_deactivate(actor=request.user, listing=listing)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --------------------------------------------------------------------------- rural channel


class ChannelApi(APIView):
    """The community's rural channel (public, like its page): open group-buy rounds, produce,
    stays, campaigns, volunteer needs and events of its actively paired villages, closing-soonest
    first, then newest first. At most `limit` items (default 20, at most 100); six queries at
    most, however many villages."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, many=True, explode=True, enum=list(selectors.CHANNEL_KINDS),
                             description="Keep only these kinds (repeat the parameter)."),
            OpenApiParameter("village", int, description="Only this paired village (its id)."),
            OpenApiParameter("followed", bool, description="Only the villages the caller follows "
                             "(nothing for an anonymous caller)."),
            OpenApiParameter("limit", int, description="At most this many items (1-100, default 20)."),
        ],
        responses={200: ChannelItemOutput(many=True),
                   400: OpenApiResponse(description="A filter is not valid (the field is named)."),
                   404: OpenApiResponse(description="No such community.")},
    )
    def get(self, request, community_id: int):
        community = selectors.community_get(pk=community_id)
        query = ChannelQueryInput(data=request.query_params, kinds=selectors.CHANNEL_KINDS)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        items = selectors.rural_channel(
            community=community, kinds=sorted(q.get("kind") or ()), village=q.get("village"),
            followed_by=request.user if q["followed"] else None, limit=q["limit"])
        return Response(ChannelItemOutput(items, many=True).data)


class VillageFollowApi(APIView):
    """Follow (POST) or unfollow (DELETE) a village on the rural channel; both idempotent."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: FollowOutput, 200: FollowOutput})
    def post(self, request, village_id: int):
        village = get_object_or_404(Village, pk=village_id)
        _follow, created = services.village_follow(user=request.user, village=village)
        return Response({"village": village.pk, "following": True},
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, village_id: int):
        village = get_object_or_404(Village, pk=village_id)
        services.village_unfollow(user=request.user, village=village)
        return Response(status=status.HTTP_204_NO_CONTENT)
