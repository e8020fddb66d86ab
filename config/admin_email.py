"""Error emails to the operators (ADMINS) without personal data.

Django's AdminEmailHandler mails the whole technical report: the POST data (a CPR number, an employee's
address, a password), cookies (a session), the query string (a search term), request headers and every
local variable of the traceback. Only a few fields are marked sensitive, so each new form would be one
more leak. This handler sends what an operator needs to find the error and nothing a visitor typed: the
request id (the full traceback is in the journal under it), method, path without its query string,
status, the exception's class, and the traceback as file, line and function only, without the
exception's message (a database error quotes the offending row) or any variable.
"""

import traceback

from django.core import mail
from django.utils.log import AdminEmailHandler

from config.request_id import current_request_id


def _frames(exc_info) -> list[str]:
    if not exc_info or not exc_info[2]:
        return []
    return [
        f"  {frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(exc_info[2])
    ]


class PersonalDataFreeAdminEmailHandler(AdminEmailHandler):
    def __init__(self):
        super().__init__(include_html=False)

    def emit(self, record):
        request = getattr(record, "request", None)
        request_id = getattr(request, "request_id", None) or current_request_id()
        lines = [f"Level: {record.levelname}", f"Logger: {record.name}", f"Request id: {request_id}"]
        if request is not None:
            lines.append(f"Request: {request.method} {request.path}")
        status = getattr(record, "status_code", None)
        if status:
            lines.append(f"Status: {status}")
        exc_info = record.exc_info if record.exc_info and record.exc_info[0] else None
        exc_info = exc_info or getattr(request, "failed_with", None)
        if exc_info:
            exc_type = exc_info[0]
            lines.append(f"Exception: {exc_type.__module__}.{exc_type.__qualname__}")
            lines.append("Traceback (file, line, function; messages and variables left out):")
            lines.extend(_frames(exc_info))
        lines.append("")
        lines.append(f"The full record is in the app servers' journal: journalctl -g 'rid={request_id}'")
        where = f"{request.method} {request.path}" if request is not None else record.name
        subject = self.format_subject(f"{record.levelname}: {where} [{request_id}]")
        mail.mail_admins(subject, "\n".join(lines), fail_silently=True, connection=self.connection())
