"""The username that django-axes counts failed logins against.

The user lookup is case-insensitive (`UserManager.get_by_natural_key`), so "Anne@X.dk" and
"anne@x.dk" are the same account. Axes counts per exact text, so without this every spelling got its
own allowance of wrong passwords. Counting against the normalised address gives one allowance per account.
"""

from django.conf import settings


def normalise_login(value) -> str:
    return (value or "").strip().lower()


def lockout_username(request, credentials=None) -> str:
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get(field)
    return normalise_login(value)
