"""The LOGGING setting: what operators read in the journal, and what the error e-mail may carry.

Every line: timestamp (UTC), level, request id (config/request_id.py), logger, message, to stderr (journald
under systemd). Errors of requests also go to ADMINS, without POST data, cookies, query strings, exception
messages or variables (config/admin_email.py). Django's own DEFAULT_LOGGING puts its AdminEmailHandler, which
mails the whole technical report, on the "django" logger; that logger is configured here so the handler is
replaced, not kept beside ours. Log messages themselves must never hold personal data: the app logs ids and
counts, never contents. The app's loggers keep propagating to the root, where tests' caplog listens.
"""

import logging
import time


class UTCFormatter(logging.Formatter):
    """Timestamps in UTC with milliseconds (2026-12-03T17:42:25.123Z), whatever the host's time zone."""

    converter = time.gmtime


def logging_config(level: str = "INFO") -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "config.request_id.RequestIdFilter"},
            "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        },
        "formatters": {
            "operator": {
                "()": "config.log_settings.UTCFormatter",
                "format": "%(asctime)s.%(msecs)03dZ %(levelname)s rid=%(request_id)s %(name)s: %(message)s",
                "datefmt": "%Y-%m-%dT%H:%M:%S",
            }
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "operator"},
            "mail_admins": {
                "level": "ERROR",
                "filters": ["require_debug_false", "request_id"],
                "class": "config.admin_email.PersonalDataFreeAdminEmailHandler",
            },
        },
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            # Replaces DEFAULT_LOGGING's handlers on "django" (its AdminEmailHandler includes POST data).
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            # django.request logs a 4xx as WARNING (console only) and a 5xx as ERROR (console and mail).
            "django.request": {"handlers": ["mail_admins"], "level": "WARNING", "propagate": True},
            "django.security": {"handlers": ["mail_admins"], "level": "WARNING", "propagate": True},
            "cms_pages": {"level": level},
            "hrportal": {"level": level},
            "config": {"level": level},
        },
    }
