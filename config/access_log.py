"""gunicorn's access logger, with CPR numbers taken out of every field before the line is written.

The portal never builds a URL holding a CPR number (searches post and get an opaque id), but a person can
still type one into the address bar or follow an old bookmark, and the request line, the query string and
the Referer reach the access log before any view runs. The log is kept for weeks and read by operators, so
it must not become a register of CPR numbers: the deployed server (site/deploy/gunicorn.conf.py) names
this class as its `logger_class`.
"""

from gunicorn.glogging import Logger

from hrportal.employees.cpr import redact_cpr


class CprRedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        return {
            key: redact_cpr(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }
