"""The personal-data registry is complete: a model that gains a personal field not registered fails here."""

from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from hrportal.encryption.fields import EncryptedTextField, encrypted_fields
from hrportal.privacy import registry


def test_every_personal_looking_field_of_every_model_is_registered_or_declared_not_personal():
    missing = registry.unregistered_fields(apps.get_models())
    assert not missing, (
        "Register these in hrportal/privacy/registry.py (REGISTRY, with purpose and retention) "
        f"or declare them in NOT_PERSONAL with a reason: {missing}"
    )


def test_every_encrypted_field_is_registered():
    registered = {(p.model, p.field) for p in registry.REGISTRY}
    for model in apps.get_models():
        for field in encrypted_fields(model):
            assert (model._meta.label, field.name) in registered, f"{model._meta.label}.{field.name}"


def test_registry_entries_name_real_fields_and_rules():
    for entry in registry.REGISTRY:
        model = apps.get_model(entry.model)
        model._meta.get_field(entry.field)  # raises FieldDoesNotExist for a stale entry
        assert entry.retention in registry.RETENTION_RULES
        assert str(entry.purpose)
    for model_label, field in registry.NOT_PERSONAL:
        apps.get_model(model_label)._meta.get_field(field)


@isolate_apps("hrportal.privacy")
def test_a_new_personal_field_that_is_not_registered_fails_the_check():
    class Payslip(models.Model):
        company_id = models.IntegerField()
        recipient_email = models.CharField(max_length=100)
        secret_note = EncryptedTextField()
        amount = models.IntegerField()

        class Meta:
            app_label = "privacy"

        def __str__(self):
            return "payslip"

    assert registry.unregistered_fields([Payslip]) == [
        "privacy.Payslip.recipient_email",
        "privacy.Payslip.secret_note",
    ]
