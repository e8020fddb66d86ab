from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EncryptionConfig(AppConfig):
    name = "hrportal.encryption"
    label = "encryption"
    verbose_name = _("Encryption keys")

    def ready(self):
        from django.core.signals import setting_changed
        from django.db.models.signals import post_migrate

        from hrportal.encryption import datakeys

        def _settings_changed(setting, **kwargs):
            if setting in ("ENCRYPTION_MASTER_KEYS", "BLIND_INDEX_MASTER_KEY"):
                datakeys.clear_cache()

        def _after_flush_or_migrate(**kwargs):
            # `flush` (used between transactional tests) emits post_migrate: rows are gone, so are keys.
            datakeys.clear_cache()

        setting_changed.connect(_settings_changed, weak=False, dispatch_uid="encryption-settings")
        post_migrate.connect(_after_flush_or_migrate, weak=False, dispatch_uid="encryption-flush")
