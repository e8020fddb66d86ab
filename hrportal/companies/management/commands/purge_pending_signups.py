from django.core.management.base import BaseCommand

from hrportal.companies.invitations import purge_expired_invitations
from hrportal.companies.signup import PENDING_SIGNUP_MAX_AGE, purge_stale_signups


class Command(BaseCommand):
    help = (
        "Delete signups not completed within a week (the company, the signup record, the signer) and "
        "expired invitations. Idempotent."
    )

    def handle(self, *args, **options):
        count = purge_stale_signups()
        self.stdout.write(f"Deleted {count} signup(s) older than {PENDING_SIGNUP_MAX_AGE.days} days.")
        count = purge_expired_invitations()
        self.stdout.write(f"Deleted {count} expired invitation(s).")
