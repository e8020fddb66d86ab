from django import forms
from django.utils.translation import gettext_lazy as _

from cms_pages.contact.models import ContactMessage


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactMessage
        fields = ["name", "email", "subject", "message"]
        labels = {"name": _("Your name"), "email": _("Your email"), "message": _("Message")}
        widgets = {"message": forms.Textarea(attrs={"rows": 8})}
