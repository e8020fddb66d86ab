from django.urls import path

from hrportal.employees import views

app_name = "employees"

urlpatterns = [
    path("", views.employee_list, name="list"),
    path("add/", views.employee_add, name="add"),
    path("import/", views.employee_import, name="import"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/", views.employee_detail, name="detail"),
    path("<int:pk>/edit/", views.employee_edit, name="edit"),
    path("<int:pk>/end/", views.employee_end, name="end"),
    path("<int:pk>/cpr/", views.reveal_cpr, name="reveal_cpr"),
    path("<int:pk>/photo/", views.employee_photo, name="photo"),
    path("<int:pk>/photo/edit/", views.employee_photo_edit, name="photo_edit"),
    path("<int:pk>/photo/remove/", views.employee_photo_remove, name="photo_remove"),
]
