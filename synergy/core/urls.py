from django.urls import path

from synergy.core import views

app_name = "core"

urlpatterns = [
    path("accounts/register/", views.register, name="register"),
    path("accounts/profile/", views.profile, name="profile"),
    path("notifications/", views.notifications, name="notifications"),
]
