"""Annex A of the data processing agreement, derived from the personal-data registry.

The agreement must name the types of personal data and the categories of data subjects the processor
handles for the controller (GDPR art. 28(3)). The registry is the list the access export, the erasure and
company deletion work from, so deriving the annex from it means a field added to the portal (and, as the
registry test requires, to the registry) appears in the agreement the next time it is rendered.

Only the subjects whose data the company controls are listed: the registry's ``employee`` subject (the
employee file, documents and signatures, data-subject requests). Portal users, signers of the signup,
invoices and site visitors are the service's own processing as controller, described in its privacy policy.
A field is named by its model's translatable label; a field without one (a timestamp, a signer's contact
fields) is covered by its purpose's heading, and an internal key or hash without a label is left out.
"""

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cms_pages.dpa.annexes import AnnexA, DataCategory
from hrportal.privacy import registry

# The registry's subjects processed on behalf of the customer company (the controller), with their label.
CONTROLLER_SUBJECTS = {
    "employee": _(
        "The data controller's employees, current and former, and the other persons who sign the data "
        "controller's documents in the portal"
    ),
}


def _label(model_label, field_name):
    try:
        model_field = apps.get_model(model_label)._meta.get_field(field_name)
    except LookupError:
        return None
    label = getattr(model_field, "verbose_name", None)
    return label if isinstance(label, Promise) else None


def annex_a() -> AnnexA:
    categories: dict[str, DataCategory] = {}
    subjects = []
    for item in registry.REGISTRY:
        if item.subject not in CONTROLLER_SUBJECTS:
            continue
        label = _label(item.model, item.field)
        if label is None and not item.exported:
            continue  # an internal key or hash (the CPR index): the data it stands for is listed already
        if item.subject not in subjects:
            subjects.append(item.subject)
        category = categories.setdefault(str(item.purpose), DataCategory(item.purpose))
        if label is not None and all(str(label) != str(known) for known in category.fields):
            category.fields.append(label)
    return AnnexA([CONTROLLER_SUBJECTS[s] for s in subjects], list(categories.values()))
