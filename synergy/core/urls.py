from django.urls import path

from synergy.core import desk_views, views

app_name = "core"

urlpatterns = [
    path("accounts/register/", views.register, name="register"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/join/", views.join, name="join"),
    path("accounts/applications/", views.applications, name="applications"),
    path("accounts/applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("accounts/applications/invite/", views.invite_create, name="invite_create"),
    path("accounts/invite/", views.invite_code, name="invite_code"),
    path("accounts/invite/<str:code>/", views.invite, name="invite"),
    path("desk/", desk_views.desk_page, name="desk"),
    path("pairings/", desk_views.pairings, name="pairings"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
]
