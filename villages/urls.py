from django.urls import path

from villages import views

app_name = "villages"

urlpatterns = [
    path("", views.village_list, name="village_list"),
    path("v/<slug:slug>/", views.village_detail, name="village_detail"),
    path("products/", views.product_list, name="product_list"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("cart/", views.cart, name="cart"),
    path("cart/add/<int:pk>/", views.cart_add, name="cart_add"),
    path("cart/remove/<int:pk>/", views.cart_remove, name="cart_remove"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/", views.my_orders, name="my_orders"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/<str:action>/", views.order_action, name="order_action"),
    path("stays/", views.stay_list, name="stay_list"),
    path("stays/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/<str:action>/", views.booking_action, name="booking_action"),
    path("manage/", views.manage_home, name="manage_home"),
    path("manage/<int:village_id>/", views.manage, name="manage"),
    path("manage/<int:village_id>/profile/", views.profile_edit, name="profile_edit"),
    path("manage/<int:village_id>/products/new/", views.product_new, name="product_new"),
    path("manage/<int:village_id>/rounds/new/", views.round_new, name="round_new"),
    path("manage/<int:village_id>/offers/new/", views.offer_new, name="offer_new"),
    path("manage/products/<int:pk>/", views.product_edit, name="product_edit"),
    path("manage/products/<int:pk>/stock/", views.product_stock, name="product_stock"),
    path("manage/rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("manage/rounds/<int:pk>/deliver/", views.round_deliver, name="round_deliver"),
    path("manage/<str:kind>/<int:pk>/<str:action>/", views.listing_action, name="listing_action"),
    path("moderation/", views.moderation, name="moderation"),
]
