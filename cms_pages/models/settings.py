"""Site settings: the owner details every public page shows in its footer (and the portal may read)."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

cvr_validator = RegexValidator(r"^\d{8}$", _("A CVR number has exactly 8 digits."))


@register_setting(icon="site")
class OwnerDetails(BaseSiteSetting):
    company_name = models.CharField(_("company name"), max_length=120)
    address = models.CharField(_("address"), max_length=120)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=80)
    cvr = models.CharField(_("CVR number"), max_length=8, validators=[cvr_validator])
    contact_person = models.CharField(_("contact person"), max_length=120)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=30)

    class Meta:
        verbose_name = _("owner details")

    def __str__(self):
        return self.company_name
