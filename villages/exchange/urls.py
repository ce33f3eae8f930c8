from django.urls import path

from villages.exchange import views as v

app_name = "exchange"

urlpatterns = [
    path("", v.index, name="index"),
    path("campaigns/", v.campaign_list, name="campaign-list"),
    path("campaigns/<int:pk>/", v.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/spending/", v.SpendingCreateView.as_view(), name="spending-create"),
    path("receipts/<int:pk>/", v.donation_receipt, name="donation-receipt"),
    path("ledger/<int:pk>/", v.ledger, name="ledger"),
    path("volunteer/", v.need_list, name="need-list"),
    path("volunteer/<int:pk>/", v.need_detail, name="need-detail"),
    path("volunteer/slots/<int:pk>/signup/", v.SignupCreateView.as_view(), name="signup-create"),
    path("volunteer/signups/<int:pk>/cancel/", v.SignupCancelView.as_view(), name="signup-cancel"),
    path("volunteer/signups/<int:pk>/hours/", v.SignupHoursView.as_view(), name="signup-hours"),
    path("volunteer/mine/", v.my_volunteering, name="my-volunteering"),
    path("volunteer/mine.ics", v.my_slots_ics, name="my-slots-ics"),
    path("investment/", v.investment_list, name="investment-list"),
    path("investment/<int:pk>/", v.investment_detail, name="investment-detail"),
    path("investment/<int:pk>/attachment", v.investment_attachment, name="investment-attachment"),
    path("investment/interests/<int:pk>/reply/", v.InterestReplyView.as_view(),
         name="interest-reply"),
    path("jobs/", v.job_list, name="job-list"),
    path("jobs/<int:pk>/", v.job_detail, name="job-detail"),
    path("jobs/<int:pk>/apply/", v.JobApplyView.as_view(), name="job-apply"),
    path("jobs/applications/<int:pk>/decide/", v.ApplicationDecideView.as_view(),
         name="application-decide"),
    path("labour/new/", v.labour_offer_create, name="labour-create"),
    path("events/", v.event_list, name="event-list"),
    path("events/<int:pk>/", v.event_detail, name="event-detail"),
    path("events/<int:pk>/register/", v.EventRegisterView.as_view(), name="event-register"),
    path("events/registrations/<int:pk>/cancel/", v.EventUnregisterView.as_view(),
         name="event-unregister"),
    path("dashboard/", v.dashboard, name="dashboard"),
    path("campaigns/new/", v.campaign_create, name="campaign-create"),
    path("volunteer/new/", v.need_create, name="need-create"),
    path("volunteer/<int:pk>/slots/", v.SlotCreateView.as_view(), name="slot-create"),
    path("investment/new/", v.investment_create, name="investment-create"),
    path("jobs/new/", v.job_create, name="job-create"),
    path("events/new/", v.event_create, name="event-create"),
]
