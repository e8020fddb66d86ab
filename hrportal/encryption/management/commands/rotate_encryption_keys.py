"""Re-wrap every company's data key under the current master key (the first in ENCRYPTION_MASTER_KEYS).

Run after putting a new master key first in the configuration; once it reports nothing left on an old
key, remove the old key from the configuration. A second run changes nothing.
"""

from django.core.management.base import BaseCommand

from hrportal.encryption.keyring import current_master_key
from hrportal.encryption.rotation import rewrap_all


class Command(BaseCommand):
    help = "Re-wrap all company data keys (and authenticator secrets) under the current master key."

    def handle(self, *args, **options):
        current = current_master_key().key_id
        self.stdout.write(f"Current master key: {current}")
        result = rewrap_all(progress=self.stdout.write)
        self.stdout.write(
            f"Data keys: {result['data_keys']} checked, {result['rewrapped']} re-wrapped, "
            f"{result['data_keys'] - result['rewrapped'] - result['destroyed']} already current, "
            f"{result['destroyed']} destroyed (skipped)."
        )
        self.stdout.write(
            f"Authenticator secrets: {result['authenticators']} checked, "
            f"{result['authenticators_resealed']} re-sealed."
        )
        self.stdout.write(self.style.SUCCESS(f"Everything is now wrapped by master key {current}."))
