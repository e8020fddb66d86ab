"""`{% employee_documents_panel employee %}`: the documents panel of the employee page."""

from django import template

register = template.Library()


@register.inclusion_tag("hrportal/documents/includes/panel.html", takes_context=True)
def employee_documents_panel(context, employee):
    from hrportal.documents import contract_check
    from hrportal.documents.models import Document
    from hrportal.documents.services import contract_warning

    documents = list(Document.objects.filter(employee=employee).order_by("-document_date", "-id")[:10])
    return {
        "employee": employee,
        "documents": documents,
        "deadline": contract_warning(employee),
        "contract_status": contract_check.employee_status(employee),
        "request": context.get("request"),
    }
