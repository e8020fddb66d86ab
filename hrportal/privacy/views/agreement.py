"""The data processing agreement: read and accept the version in force, and download it as a PDF.

The PDF carries the company's acceptance when there is one, so the company holds proof of what it agreed
to and when; every download is audited.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms_pages.dpa import content as dpa_content
from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.pdf import render_pdf
from hrportal.privacy import dpa
from hrportal.privacy.models import DPAAcceptance
from hrportal.privacy.views import page_language
from hrportal.responses import own_object
from hrportal.tenancy import member_required


@member_required
def dpa_view(request):
    language = request.GET.get("lang") or page_language()
    language = language if language in ("da", "en") else "da"
    state = dpa.status(request.company, language)
    shown = state.current
    version_id = request.GET.get("version")
    if version_id and version_id.isdigit():
        shown = (
            dpa_content.published(language).filter(pk=int(version_id)).first()
            or dpa_content.published("da").filter(pk=int(version_id)).first()
            or shown
        )
    if request.method == "POST":
        if state.current is None:
            return redirect("portal:dpa")
        agreement = dpa_content.agreement_in(state.current, language)
        dpa.accept(request.company, request.user, agreement, request=request)
        messages.success(request, _("Thank you. The data processing agreement is accepted."))
        return redirect("portal:dpa")
    return render(
        request,
        "hrportal/dpa/agreement.html",
        {
            "state": state,
            "shown": shown,
            "shown_html": dpa_content.render_agreement(shown, language) if shown else "",
            "language": language,
            "earlier": dpa_content.earlier_versions(language),
            "acceptances": DPAAcceptance.objects.all().select_related("accepted_by")[:50],
            "planned": dpa.planned_with_objections(request.company, language),
        },
    )


@member_required
@require_POST
def dpa_object(request):
    """An objection to a planned sub-processor (GDPR Art. 28(2)): recorded in the company's audit log and
    sent to the provider's staff at once; one per processor."""
    reason = (request.POST.get("reason") or "").strip()
    if not reason:
        messages.error(request, _("Write why your company objects, so we can answer."))
        return redirect("portal:dpa")
    try:
        dpa.object_to_processor(
            request.company, request.user, request.POST.get("processor", ""), reason[:2000], request=request
        )
    except dpa.ObjectionError as exc:
        messages.error(request, str(exc))
        return redirect("portal:dpa")
    messages.success(request, _("Your objection is recorded and sent to Ansatte. We answer by e-mail."))
    return redirect("portal:dpa")


def _dpa_pdf(request, agreement, acceptance, language):
    pdf = render_pdf(
        "hrportal/dpa/agreement_pdf.html",
        {
            "title": f"{agreement.title} {agreement.version}",
            "header": request.company.name,
            "agreement": agreement,
            "agreement_html": dpa_content.render_agreement(agreement, language),
            "acceptance": acceptance,
            "company": request.company,
        },
        language,
        created_at=acceptance.accepted_at if acceptance else agreement.valid_from,
    )
    record(
        Action.DPA_DOWNLOADED,
        request=request,
        details={"version": agreement.version, "accepted": acceptance is not None},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="databehandleraftale-{agreement.version}.pdf"'
    return response


@member_required
def dpa_pdf(request):
    """The agreement in force, with the company's acceptance of it when there is one."""
    language = request.GET.get("lang") or page_language()
    state = dpa.status(request.company, language)
    if state.current is None:
        return render(request, "404.html", status=404)
    return _dpa_pdf(request, state.current, state.acceptance, language)


@member_required
def dpa_acceptance_pdf(request, acceptance_id):
    acceptance, denied = own_object(request, DPAAcceptance, acceptance_id)
    if denied:
        return denied
    from cms_pages.dpa.models import DataProcessingAgreement

    agreement = DataProcessingAgreement.objects.filter(pk=acceptance.agreement_id).first()
    if agreement is None:
        return render(request, "404.html", status=404)
    return _dpa_pdf(request, agreement, acceptance, acceptance.language)
