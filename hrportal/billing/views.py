"""Settings > Billing: the company's invoices and their PDFs; staff create invoices. No card data anywhere."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hrportal.audit.log import record
from hrportal.audit.models import Action
from hrportal.billing.forms import InvoiceForm
from hrportal.billing.invoicing import create_invoice, recent_invoices
from hrportal.billing.models import Invoice
from hrportal.billing.payment import payment_lines
from hrportal.pdf import render_pdf
from hrportal.responses import own_object
from hrportal.tenancy import member_required


@member_required
def invoices(request):
    page = Paginator(Invoice.objects.all(), 25).get_page(request.GET.get("page"))
    return render(request, "hrportal/billing/invoices.html", {"page": page})


@member_required
def invoice_pdf(request, invoice_id):
    invoice, denied = own_object(request, Invoice, invoice_id)
    if denied:
        return denied
    from cms_pages.models import OwnerDetails

    language = "en" if (get_language() or "da")[:2] == "en" else "da"
    seller = OwnerDetails.for_request(request)
    context = {
        "title": invoice.number,
        "invoice": invoice,
        "seller": seller,
        "lang": language,
        "payment_lines": payment_lines(invoice, seller),
    }
    pdf = render_pdf("hrportal/billing/invoice_pdf.html", context, language, created_at=invoice.created_at)
    record(Action.INVOICE_DOWNLOADED, request=request, target=invoice)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="faktura-{invoice.number}.pdf"'
    return response


def staff_invoice_new(request):
    """Provider staff create an invoice for a company (no mandate needed: billing is the provider's own)."""
    if not request.user.is_staff:
        raise Http404
    form = InvoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invoice = create_invoice(
            data["company"],
            plan=data["plan"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            amount=data["amount"],
            description=data["description"],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Invoice %(number)s created.") % {"number": invoice.number})
        return redirect("portal:staff_invoice_new")
    recent = recent_invoices()
    return render(request, "hrportal/billing/staff_invoice_new.html", {"form": form, "recent": recent})
