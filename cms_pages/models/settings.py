"""Site settings: the owner details every public page shows in its footer (and the portal may read)."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

cvr_validator = RegexValidator(r"^\d{8}$", _("A CVR number has exactly 8 digits."))
reg_no_validator = RegexValidator(r"^\d{4}$", _("A bank registration number has exactly 4 digits."))
account_no_validator = RegexValidator(r"^\d{1,10}$", _("A bank account number has up to 10 digits."))
iban_validator = RegexValidator(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$", _("Enter the IBAN without spaces."))
bic_validator = RegexValidator(r"^[A-Z0-9]{8}([A-Z0-9]{3})?$", _("A BIC has 8 or 11 letters or digits."))
fik_creditor_validator = RegexValidator(r"^\d{8}$", _("An FIK creditor number has exactly 8 digits."))


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
    # Payment details printed on invoices; each is optional and an empty one leaves its line out.
    bank_reg_no = models.CharField(
        _("bank registration number"), max_length=4, blank=True, validators=[reg_no_validator]
    )
    bank_account_no = models.CharField(
        _("bank account number"), max_length=10, blank=True, validators=[account_no_validator]
    )
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[iban_validator])
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[bic_validator])
    fik_creditor_no = models.CharField(
        _("FIK creditor number (+71)"),
        max_length=8,
        blank=True,
        validators=[fik_creditor_validator],
        help_text=_("8 digits; with it, invoices carry a +71 payment line."),
    )

    class Meta:
        verbose_name = _("owner details")

    def __str__(self):
        return self.company_name
