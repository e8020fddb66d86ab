from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=settings.LANGUAGES)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
