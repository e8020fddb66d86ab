from django.urls import path

from cms_pages.contact import views

app_name = "contact"
urlpatterns = [
    path("", views.contact, name="form"),
    path("thanks/", views.thanks, name="thanks"),
]
