"""`manage.py security_report`: the annual security review's figures as JSON, from the live system."""

import json

from django.core.management.base import BaseCommand

from hrportal import security_report


class Command(BaseCommand):
    help = (
        "Print the security review's figures (two-factor coverage, inactive accounts, keys, audit chains, "
        "requests, DPA, sweeps, jobs, deploy checks, packages, cookie scan) as JSON, with their SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="write the JSON to this file instead of standard output")

    def handle(self, *args, output=None, **options):
        report = security_report.build()
        text = json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True)
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
            self.stderr.write(f"Security report written to {output} (sha256 {report['sha256']})")
        else:
            self.stdout.write(text)
        summary = report["summary"]
        if summary["broken_audit_chains"] or summary["users_without_second_factor"]:
            self.stderr.write(
                f"Needs attention: {summary['broken_audit_chains']} broken audit chain(s), "
                f"{len(summary['users_without_second_factor'])} user(s) without a second factor, "
                f"{summary['overdue_requests']} overdue request(s)"
            )
