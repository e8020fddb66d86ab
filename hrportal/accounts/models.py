"""The custom user: email is the login, from the first migration on.

Portal users, provider staff and Wagtail editors are all this model; what they may do comes from
company memberships (portal), `is_staff` (provider staff) and Wagtail groups (editors). Every one of them
must pass the second factor before any protected page (see `middleware.RequireVerifiedSessionMiddleware`).
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=[("da", _("Danish")), ("en", _("English"))], default="da"
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email


from hrportal.accounts.devices import BackupCode, BackupCodeDevice, TOTPDevice  # noqa: E402,F401
