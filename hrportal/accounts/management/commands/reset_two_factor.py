"""Support's reset of a user's second factor, for users no company admin may reset.

A company admin can reset a colleague's authenticator only when the colleague belongs to that company
alone (`companies.members.check_device_reset`); provider staff, superusers (Wagtail editors) and members
of several companies are left to Ansatte's support, who run this after checking the person's identity
outside the portal. Every run is audited in each company the user belongs to (or in the log of no
company for staff without one).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hrportal.accounts.twofactor import end_sessions, reset_devices, reset_throttling
from hrportal.audit.log import record
from hrportal.audit.models import Action


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator and backup codes (they enrol again at next login) and log them out "
        "everywhere; with --throttle-only just lift the wait after wrong codes. Audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--throttle-only",
            action="store_true",
            help="Keep the devices; only lift the wait that wrong codes put on them.",
        )

    def handle(self, *args, email, throttle_only, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the email {email!r}")
        company_ids = list(user.memberships.order_by("created_at").values_list("company_id", flat=True))
        action = Action.TWO_FACTOR_THROTTLE_RESET if throttle_only else Action.DEVICE_RESET
        with transaction.atomic():
            if throttle_only:
                reset_throttling(user)
            else:
                reset_devices(user)
                end_sessions(user)
            for company_id in company_ids or [None]:
                record(
                    action,
                    company_id=company_id,
                    target=user,
                    details={"by": "support_command"},
                )
        if throttle_only:
            self.stdout.write(self.style.SUCCESS(f"Lifted the two-factor wait for {user.email}."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Removed the second factor of {user.email} and ended their sessions; "
                    "they set up a new authenticator at next login."
                )
            )
