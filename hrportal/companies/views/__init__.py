"""Portal views of the company, one module per concept, routed by `hrportal/companies/urls.py`.

The rules the views apply are elsewhere, as functions the tests call directly: `signup.py`,
`invitations.py`, `members.py`, `mandates.py`, `hrportal.tenancy` and `hrportal.audit.log`.
"""

# Several authentication backends are configured (axes' first), so `login()` must be told which one
# vouches for a user who has just chosen their password: Django's own.
AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"
