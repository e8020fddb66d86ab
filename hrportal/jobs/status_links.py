"""The signed link to a company deletion's status page: the admin who asked for the deletion is logged out
(their account goes with the company), so the page is reached by an expiring token instead of a login.
Its own module because privacy's deletion view hands it out and the jobs' status view reads it.
"""

from django.core import signing

DELETION_STATUS_SALT = "hrportal.jobs.deletion-status"
DELETION_TOKEN_MAX_AGE = 7 * 24 * 3600


def deletion_status_token(job) -> str:
    return signing.dumps(str(job.uuid), salt=DELETION_STATUS_SALT)


def job_uuid_from_token(token: str) -> str | None:
    """The job's uuid, or None for a forged or expired token."""
    try:
        return signing.loads(token, salt=DELETION_STATUS_SALT, max_age=DELETION_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
