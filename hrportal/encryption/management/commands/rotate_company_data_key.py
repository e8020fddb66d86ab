"""Give one company a new data key and re-encrypt its rows with it, in batches.

The old key is retired (kept readable). `--reason` says why (an incident, the yearly rotation) and is kept
on the new key. Making a second key for the same reason is never the intent: a second run with the same
reason makes no new key and only re-encrypts leftovers (rows another process wrote with the old key during
the rotation; processes notice a new current key within ENCRYPTION_CURRENT_KEY_CACHE_SECONDS), as
`--resume` does. A new key needs a new reason.
"""

from django.core.management.base import BaseCommand, CommandError

from hrportal.encryption.rotation import rotate_company


class Command(BaseCommand):
    help = "Rotate one company's data key and re-encrypt its rows in batches."

    def add_arguments(self, parser):
        parser.add_argument("company", help="company id or CVR number")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--reason",
            default="",
            help="why the key is rotated (required for a new key; the same reason again makes none)",
        )
        parser.add_argument(
            "--resume", action="store_true", help="re-encrypt leftovers, keep the current key"
        )

    def handle(self, *args, company, batch_size, resume, reason, **options):
        from hrportal.companies.models import Company

        found = Company.objects.filter(cvr=company).first()
        if found is None and company.isdigit():
            found = Company.objects.filter(pk=int(company)).first()
        if found is None:
            raise CommandError(f"No company with id or CVR {company!r}")
        if batch_size < 1:
            raise CommandError("--batch-size must be positive")
        reason = reason.strip()
        if not resume and not reason:
            raise CommandError('Say why with --reason "..." (or --resume to re-encrypt leftovers only)')
        if len(reason) > 200:
            raise CommandError("--reason is at most 200 characters")
        self.stdout.write(f"Rotating the data key of company {found.pk} (CVR {found.cvr})")
        result = rotate_company(
            found, batch_size=batch_size, new_key=not resume, reason=reason, progress=self.stdout.write
        )
        if not resume and not result["new_key"]:
            self.stdout.write(
                f"The current key was already made for this reason ({reason!r}): no new key; "
                "leftovers re-encrypted. Give a new --reason for another rotation."
            )
        for label, count in result["rows"].items():
            self.stdout.write(f"{label}: {count} rows re-encrypted")
        self.stdout.write(
            self.style.SUCCESS(
                f"Current data key: {result['key_id']}; retired keys still kept: {result['retired_keys']}"
            )
        )
