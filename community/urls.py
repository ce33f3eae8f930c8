from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("", views.index, name="index"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/photos/<int:photo_pk>", views.ticket_photo, name="ticket_photo"),
    path("shops/<int:pk>/edit/", views.shop_edit, name="shop_edit"),
    path("shops/<int:pk>/remove/", views.shop_remove, name="shop_remove"),
    path("shops/<int:pk>/redeem/", views.shop_redeem, name="shop_redeem"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/remove/", views.offer_remove, name="offer_remove"),
    path("coupons/<int:pk>/edit/", views.coupon_edit, name="coupon_edit"),
    path("coupons/<int:pk>/remove/", views.coupon_remove, name="coupon_remove"),
    path("coupons/<int:pk>/claim/", views.coupon_claim, name="coupon_claim"),
    path("my-coupons/", views.my_coupons, name="my_coupons"),
    path("villages/<int:pk>/follow/", views.follow_toggle, name="follow"),
    path("<slug:slug>/", views.home, name="home"),
    path("<slug:slug>/notices/", views.notices, name="notices"),
    path("<slug:slug>/notices/<int:pk>/", views.notice_detail, name="notice"),
    path("<slug:slug>/notices/<int:pk>/attachment", views.notice_attachment,
         name="notice_attachment"),
    path("<slug:slug>/tickets/", views.tickets, name="tickets"),
    path("<slug:slug>/tickets/new/", views.ticket_new, name="ticket_new"),
    path("<slug:slug>/bills/", views.bills, name="bills"),
    path("<slug:slug>/bills/export.csv", views.bills_export, name="bills_export"),
    path("<slug:slug>/businesses/", views.businesses, name="businesses"),
    path("<slug:slug>/services/", views.services_page, name="services"),
    path("<slug:slug>/housing/", views.housing, name="housing"),
]
