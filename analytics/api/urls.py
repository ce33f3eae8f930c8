from django.urls import path

from analytics.api import views

urlpatterns = [
    path("analytics/cities/", views.CityListApi.as_view(), name="api-analytics-city-list"),
    path("analytics/datasets/", views.DatasetListCreateApi.as_view(),
         name="api-analytics-dataset-list"),
    path("analytics/runs/", views.RunListCreateApi.as_view(), name="api-analytics-run-list"),
    path("analytics/runs/<int:pk>/", views.RunDetailApi.as_view(),
         name="api-analytics-run-detail"),
    path("analytics/runs/<int:pk>/again/", views.RunAgainApi.as_view(),
         name="api-analytics-run-again"),
]
