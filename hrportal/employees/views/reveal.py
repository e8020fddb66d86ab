"""The full CPR number: shown on its own page only, after a fresh authenticator code and a reason from a
fixed list, and audited whether it succeeds or not, so the company's log answers who saw whose number and
why. Everywhere else the number is masked."""

from django.shortcuts import render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from hrportal.audit.log import record
from hrportal.audit.models import Action, Outcome
from hrportal.employees.forms import RevealCprForm
from hrportal.employees.models import Employee
from hrportal.employees.views import employee_view
from hrportal.responses import own_object


@employee_view
@sensitive_post_parameters("code", "reason")
@require_http_methods(["GET", "POST"])
def reveal_cpr(request, pk):
    employee, refused = own_object(request, Employee, pk)  # another company's id: 404, audited there
    if refused:
        return refused
    form = RevealCprForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            record(
                Action.CPR_REVEALED,
                request=request,
                target=employee,
                details={"reason": form.cleaned_data["reason"]},
            )
            response = render(
                request, "hrportal/employees/reveal.html", {"employee": employee, "revealed": True}
            )
            return response
        record(
            Action.CPR_REVEALED,
            request=request,
            target=employee,
            outcome=Outcome.FAILURE,
            details={"errors": sorted(form.errors)},
        )
    return render(request, "hrportal/employees/reveal.html", {"employee": employee, "form": form})
