from django.urls import path

from synergy.core.api import views

urlpatterns = [
    path("auth/token/", views.TokenCreateApi.as_view(), name="api-token"),
    path("auth/logout/", views.LogoutApi.as_view(), name="api-logout"),
    path("auth/logout-all/", views.LogoutAllApi.as_view(), name="api-logout-all"),
    path("me/", views.MeApi.as_view(), name="api-me"),
    path("memberships/", views.MembershipListCreateApi.as_view(), name="api-membership-list"),
    path("memberships/<int:pk>/approve/", views.MembershipApproveApi.as_view(),
         name="api-membership-approve"),
    path("memberships/<int:pk>/reject/", views.MembershipRejectApi.as_view(),
         name="api-membership-reject"),
    path("memberships/<int:pk>/withdraw/", views.MembershipWithdrawApi.as_view(),
         name="api-membership-withdraw"),
    path("invitations/", views.InvitationCreateApi.as_view(), name="api-invitation-create"),
    path("invitations/accept/", views.InvitationAcceptApi.as_view(), name="api-invitation-accept"),
    path("communities/", views.CommunityListApi.as_view(), name="api-community-list"),
    path("communities/<int:pk>/", views.CommunityDetailApi.as_view(), name="api-community-detail"),
    path("villages/", views.VillageListApi.as_view(), name="api-village-list"),
    path("villages/<int:pk>/", views.VillageDetailApi.as_view(), name="api-village-detail"),
    path("pairings/", views.PairingListCreateApi.as_view(), name="api-pairing-list"),
    path("pairings/<int:pk>/", views.PairingDetailApi.as_view(), name="api-pairing-detail"),
    path("notifications/", views.NotificationListApi.as_view(), name="api-notification-list"),
    path("notifications/read/", views.NotificationReadAllApi.as_view(), name="api-notification-read-all"),
    path("notifications/<int:pk>/read/", views.NotificationReadApi.as_view(),
         name="api-notification-read"),
]
