"""The employee's public pages: the company's request link (`/rights/<token>/`) and the follow link.

Served on the app host outside /portal/, as the employee's signing link (`/sign/<token>/`) is: no login,
the link is the credential, and an unusable one answers 410 with the same page whatever the reason. The
rules (pending state, codes, mails) are in `hrportal.privacy.employee_requests`; the lookups that find a
company from a token in `hrportal.privacy.request_lookup`, after which the request is written in that
company's scope.
"""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.privacy import employee_requests as rules
from hrportal.privacy.forms import EmployeeRequestCodeForm, EmployeeRequestForm
from hrportal.privacy.request_lookup import link_for_token, request_for_follow_token


def _too_many():
    return _("Too many attempts from your network. Wait a while and try again.")


def _gone(request):
    return render(request, "hrportal/privacy/public/link_invalid.html", status=410)


@never_cache
def request_form(request, token):
    link = link_for_token(token)
    if link is None:
        return _gone(request)
    form = EmployeeRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if rules.submits_limited(request):
            form.is_valid()
            form.add_error(None, _too_many())
            status = 429
        elif form.is_valid():
            rules.start(request, link, form.cleaned_data)
            return redirect("employee_request_confirm", token=token)
        else:
            status = 400
    return render(
        request,
        "hrportal/privacy/public/request_form.html",
        {"company": link.company, "form": form, "token": token},
        status=status,
    )


@never_cache
def request_confirm(request, token):
    link = link_for_token(token)
    if link is None:
        return _gone(request)
    if rules.pending(request, link) is None and request.method != "POST":
        return redirect("employee_request", token=token)
    form = EmployeeRequestCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if rules.confirms_limited(request):
            form.add_error(None, _too_many())
            status = 429
        elif form.is_valid():
            try:
                dsr = rules.confirm(request, link, form.cleaned_data["code"])
            except rules.RequestError as exc:
                form.add_error("code", exc.message)
                status = 400
            else:
                record(
                    Action.DSR_RECORDED,
                    request=request,
                    company_id=link.company_id,
                    target=dsr,
                    details={"kind": dsr.kind, "source": dsr.source},
                )
                rules.send_acknowledgement(dsr, link.company)
                return render(
                    request,
                    "hrportal/privacy/public/request_sent.html",
                    {"company": link.company, "dsr": dsr},
                )
        else:
            status = 400
    return render(
        request,
        "hrportal/privacy/public/request_confirm.html",
        {"company": link.company, "form": form, "token": token},
        status=status,
    )


@never_cache
def request_follow(request, token):
    dsr = request_for_follow_token(token)
    if dsr is None:
        return _gone(request)
    return render(
        request, "hrportal/privacy/public/request_follow.html", {"dsr": dsr, "company": dsr.company}
    )
