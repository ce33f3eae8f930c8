from django.urls import path

from synergy.core import desk_views, views

app_name = "core"

urlpatterns = [
    path("accounts/register/", views.register, name="register"),
    path("accounts/profile/", views.profile, name="profile"),
    path("desk/", desk_views.desk_page, name="desk"),
    path("pairings/", desk_views.pairings, name="pairings"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
]
