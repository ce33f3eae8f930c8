"""Community API, mounted under /api/v1/."""

from django.urls import path

from community.api import views

app_name = "community_api"

urlpatterns = [
    path("communities/<int:community_id>/notices/", views.NoticeListCreateApi.as_view(),
         name="notice-list"),
    path("communities/<int:community_id>/notices/<int:pk>/", views.NoticeDetailApi.as_view(),
         name="notice-detail"),
    path("communities/<int:community_id>/notices/<int:pk>/attachment/",
         views.NoticeAttachmentApi.as_view(), name="notice-attachment"),
    path("communities/<int:community_id>/notices/<int:pk>/read/", views.NoticeReadApi.as_view(),
         name="notice-read"),
    path("communities/<int:community_id>/tickets/", views.TicketListCreateApi.as_view(),
         name="ticket-list"),
    path("tickets/", views.MyTicketListApi.as_view(), name="my-tickets"),
    path("tickets/<int:pk>/", views.TicketDetailApi.as_view(), name="ticket-detail"),
    path("tickets/<int:pk>/photos/<int:photo_pk>/", views.TicketPhotoApi.as_view(),
         name="ticket-photo"),
    path("tickets/<int:pk>/assign/", views.TicketAssignApi.as_view(), name="ticket-assign"),
    path("tickets/<int:pk>/start/", views.TicketStartApi.as_view(), name="ticket-start"),
    path("tickets/<int:pk>/resolve/", views.TicketResolveApi.as_view(), name="ticket-resolve"),
    path("tickets/<int:pk>/close/", views.TicketCloseApi.as_view(), name="ticket-close"),
    path("tickets/<int:pk>/reopen/", views.TicketReopenApi.as_view(), name="ticket-reopen"),
    path("tickets/<int:pk>/rate/", views.TicketRateApi.as_view(), name="ticket-rate"),
    path("communities/<int:community_id>/bills/", views.BillListCreateApi.as_view(),
         name="bill-list"),
    path("communities/<int:community_id>/bills/arrears/", views.ArrearsApi.as_view(),
         name="bill-arrears"),
    path("communities/<int:community_id>/bills/export/", views.BillExportApi.as_view(),
         name="bill-export"),
    path("bills/<int:pk>/payments/", views.PaymentCreateApi.as_view(), name="bill-payment"),
    path("communities/<int:community_id>/businesses/", views.BusinessListCreateApi.as_view(),
         name="business-list"),
    path("businesses/<int:pk>/", views.BusinessDetailApi.as_view(), name="business-detail"),
    path("businesses/<int:pk>/offers/", views.OfferCreateApi.as_view(), name="business-offers"),
    path("businesses/<int:pk>/coupons/", views.CouponCreateApi.as_view(), name="business-coupons"),
    path("communities/<int:community_id>/services/", views.ServiceListCreateApi.as_view(),
         name="service-list"),
    path("communities/<int:community_id>/housing/", views.HousingListCreateApi.as_view(),
         name="housing-list"),
    path("housing/<int:pk>/", views.HousingDetailApi.as_view(), name="housing-detail"),
    path("communities/<int:community_id>/channel/", views.ChannelApi.as_view(), name="channel"),
    path("villages/<int:village_id>/follow/", views.VillageFollowApi.as_view(),
         name="village-follow"),
]
