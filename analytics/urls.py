from django.urls import path

from analytics import views, views_labels

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("runs/", views.run_start, name="run_start"),
    path("new/<slug:kind>/", views.analysis_new, name="analysis_new"),
    path("datasets/<int:pk>/labels/", views_labels.dataset_labels, name="dataset_labels"),
    path("datasets/upload/", views.dataset_upload, name="dataset_upload"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/again/", views.run_again, name="run_again"),
    path("runs/<int:pk>/files/<str:name>", views.run_file, name="run_file"),
]
