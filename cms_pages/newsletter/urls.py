from django.urls import path

from cms_pages.newsletter import views

app_name = "newsletter"
urlpatterns = [
    path("", views.signup, name="signup"),
    path("check-your-email/", views.check_email, name="check_email"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
