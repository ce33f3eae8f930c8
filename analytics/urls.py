from django.urls import path

from analytics import views, views_datasets, views_labels, views_map

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("map/", views_map.city_map, name="map"),
    path("runs/", views.run_start, name="run_start"),
    path("new/<slug:kind>/", views.analysis_new, name="analysis_new"),
    path("datasets/<int:pk>/labels/", views_labels.dataset_labels, name="dataset_labels"),
    path("datasets/upload/", views.dataset_upload, name="dataset_upload"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/again/", views.run_again, name="run_again"),
    path("runs/<int:pk>/files/<str:name>", views.run_file, name="run_file"),
    path("datasets/", views_datasets.dataset_list_page, name="dataset_list"),
    path("datasets/template.csv", views_datasets.dataset_template_csv,
         name="dataset_template_csv"),
    path("datasets/template.xlsx", views_datasets.dataset_template_xlsx,
         name="dataset_template_xlsx"),
    path("datasets/import/", views_datasets.dataset_import_page, name="dataset_import"),
    path("datasets/<int:pk>/", views_datasets.dataset_detail, name="dataset_detail"),
    path("datasets/<int:pk>/delete/", views_datasets.dataset_delete_page,
         name="dataset_delete"),
    path("datasets/<path:name>/compare/", views_datasets.dataset_compare,
         name="dataset_compare"),
]
