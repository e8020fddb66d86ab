from django.urls import path

from hrportal.employees.views import photo, record, reveal, search, transfer

app_name = "employees"

urlpatterns = [
    path("", search.employee_list, name="list"),
    path("add/", record.employee_add, name="add"),
    path("import/", transfer.employee_import, name="import"),
    path("export.csv", transfer.export_csv, name="export_csv"),
    path("export.xlsx", transfer.export_xlsx, name="export_xlsx"),
    path("export-selected/", transfer.export_selected, name="export_selected"),
    path("<int:pk>/", record.employee_detail, name="detail"),
    path("<int:pk>/edit/", record.employee_edit, name="edit"),
    path("<int:pk>/end/", record.employee_end, name="end"),
    path("<int:pk>/cpr/", reveal.reveal_cpr, name="reveal_cpr"),
    path("<int:pk>/photo/", photo.employee_photo, name="photo"),
    path("<int:pk>/photo/edit/", photo.employee_photo_edit, name="photo_edit"),
    path("<int:pk>/photo/remove/", photo.employee_photo_remove, name="photo_remove"),
]
