from django.urls import path

from hrportal.jobs import views

urlpatterns = [
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job_download"),
    path("settings/export/", views.company_export, name="company_export"),
    path("deletion/<str:token>/", views.deletion_status, name="deletion_status"),
]
