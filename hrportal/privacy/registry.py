"""The personal-data registry: every personal field of every model, with its purpose and retention rule.

This is the one list the access export (`export.py`), the erasure (`erasure.py`) and company deletion
(`deletion.py`) work from, and the one a reviewer reads to answer "what do we hold about a person, why, and
for how long". `tests/hrportal/test_registry.py` fails when any model (ours or a library's) has a field that
looks personal - every encrypted field, and every field whose name is or ends in a known personal name
(`PERSONAL_NAME_HINTS`) - which is neither registered here nor listed in `NOT_PERSONAL` with a reason.

Subjects:
- ``employee``: an employee of a customer company (the company is the controller, we are its processor).
- ``user``: a portal user (company admin, provider staff, editor).
- ``signer``: the person who signed the company up.
- ``customer``: the customer company on an invoice (personal data when it is a sole proprietorship).
- ``visitor``: a visitor of the site or login pages (IP address, user agent).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# --- Retention rules (shown in the portal; the code that enforces each is named) --------------------------

RETENTION_RULES = {
    "invitation": _(
        "Kept while the invitation is open, at most 7 days; deleted when it is accepted or cancelled, and "
        "by the daily purge (purge_pending_signups) once expired."
    ),
    "employment": _(
        "Kept while employed and then for the company's retention period after employment ends "
        "(default 5 years); deleted by the daily retention sweep (privacy.retention)."
    ),
    "request": _(
        "Kept with the data-subject request as proof of how it was handled; "
        "cleared when the employee is erased."
    ),
    "account": _("Kept while the user has access to a company; deleted when the last membership goes."),
    "agreement": _("Kept as proof of the agreement while the company's account exists."),
    "signup": _("Kept as proof of the signer's authority while the company's account exists."),
    "bookkeeping": _(
        "Bookkeeping material: kept 5 years from the end of the financial year it concerns "
        "(Bogføringsloven), "
        "then deleted by the retention sweep."
    ),
    "lockout": _(
        "Login attempts: kept for the lockout period; the log of attempts 90 days; deleted with the user's "
        "account."
    ),
    "consent": _(
        "Proof of a cookie choice: the choice is in force at most 12 months; the proof is kept 4 years from "
        "the choice (the 12 months and the 3-year limitation period), then deleted by the daily sweep; holds "
        "no name, only a truncated and hashed IP and a browser summary."
    ),
    "newsletter": _(
        "Kept while subscribed; a signup never confirmed is deleted after 30 days; an unsubscription is kept "
        "3 years as proof that mail stopped, then deleted."
    ),
    "enquiry": _(
        "Kept while the enquiry or complaint is handled; once handled, a question is deleted 1 year and a "
        "complaint 3 years after it was received (documentation of the answer)."
    ),
    "retained": _("Kept only because the law requires it, until the date shown; then deleted by the sweep."),
    "audit": _(
        "Part of the append-only audit log (a keyed hash, never the address itself); "
        "kept with the log so its hash chain verifies."
    ),
}


@dataclass(frozen=True)
class LegalBasis:
    key: str
    text: str


# Why something survives an erasure request (GDPR art. 17(3)(b): a legal obligation to keep it).
BOOKKEEPING = LegalBasis(
    "bookkeeping",
    _(
        "Bogføringsloven: pay records are bookkeeping material and must be kept 5 years from the end of the "
        "financial year they concern (GDPR art. 17(3)(b))."
    ),
)
LEGAL_BASES = {b.key: b for b in (BOOKKEEPING,)}


@dataclass(frozen=True)
class PersonalField:
    model: str  # app_label.ModelName
    field: str
    subject: str
    purpose: str
    retention: str  # a key of RETENTION_RULES
    keep_on_erasure: LegalBasis | None = None  # kept (in a RetainedRecord) when the employee is erased
    exported: bool = True  # part of the access export (False: secrets such as password hashes)

    @property
    def retention_text(self):
        return RETENTION_RULES[self.retention]


def _fields(model, subject, retention, purpose, names, **kwargs):
    return [PersonalField(model, name, subject, purpose, retention, **kwargs) for name in names]


REGISTRY: list[PersonalField] = [
    # Invitations of administrators (companies.Invitation): name and email as the inviting admin typed them.
    *_fields(
        "companies.Invitation",
        "user",
        "invitation",
        _("Inviting a person to administer the company (the link is sent to the email)"),
        ["email", "name"],
    ),
    # Employees: the personnel file the company keeps in the portal.
    *_fields(
        "employees.Employee",
        "employee",
        "employment",
        _("Personnel file: identification and contact"),
        ["name", "cpr"],
        keep_on_erasure=BOOKKEEPING,
    ),
    *_fields(
        "employees.Employee",
        "employee",
        "employment",
        _("Personnel file: identification and contact"),
        ["uuid", "address", "postal_code", "city", "email", "phone", "birth_date", "emergency_contact"],
    ),
    *_fields(
        "employees.Employee",
        "employee",
        "employment",
        _("Employment terms (contracts, notice periods, pay)"),
        ["start_date", "end_date", "salary"],
        keep_on_erasure=BOOKKEEPING,
    ),
    *_fields(
        "employees.Employee",
        "employee",
        "employment",
        _("Employment terms (contracts, notice periods, pay)"),
        ["position", "department", "weekly_hours", "notes", "created_at", "updated_at"],
    ),
    PersonalField(
        "employees.Employee",
        "cpr_index",
        "employee",
        _("Keyed hash of the CPR number for exact search and uniqueness"),
        "employment",
        exported=False,
    ),
    # The optional photo: the field holds only the random storage key; the image (re-encoded, encrypted) is
    # in the access export and is deleted on erasure through the hooks (employees/photos.py).
    PersonalField(
        "employees.Employee",
        "photo_storage_name",
        "employee",
        _("Photo of the employee (optional), to recognise them in the personnel file"),
        "employment",
        exported=False,
    ),
    # Employment documents (hrportal.documents): the metadata is personal (what kind of document about whom);
    # the files themselves are reached through the hooks (documents/privacy.py), not through fields.
    *_fields(
        "documents.Document",
        "employee",
        "employment",
        _("Employment documents (contracts, warnings, terminations)"),
        ["kind", "title", "document_date", "original_filename", "void_reason"],
    ),
    *_fields(
        "documents.Signer",
        "employee",
        "employment",
        _("Electronic signature of a document: where the signing link and code are sent"),
        ["name", "email", "phone"],
    ),
    PersonalField(
        "documents.Signature",
        "signer_name",
        "employee",
        _("Proof of who signed a document, when and how"),
        "employment",
    ),
    PersonalField(
        "documents.Signature",
        "ip_hash",
        "employee",
        _("Proof of who signed a document, when and how"),
        "employment",
        exported=False,
    ),
    # Data-subject rights (this app).
    *_fields(
        "privacy.DataSubjectRequest",
        "employee",
        "request",
        _("Handling the employee's data-subject request"),
        ["kind", "received_on", "due_on", "status", "description", "outcome", "closed_on"],
    ),
    *_fields(
        "privacy.DataSubjectRequest",
        "employee",
        "request",
        _("Answering a request the person sent through the company's link (name and confirmed e-mail)"),
        ["requester_name", "requester_email", "requester_language"],
    ),
    *_fields(
        "privacy.ProcessingRestriction",
        "employee",
        "request",
        _("Restriction of processing (GDPR art. 18)"),
        ["reason", "placed_at", "lifted_at"],
    ),
    *_fields(
        "privacy.RetainedRecord",
        "employee",
        "retained",
        _("What the law requires to keep after an erasure"),
        ["data", "fields", "legal_basis", "delete_on"],
    ),
    # Portal users.
    *_fields(
        "accounts.User",
        "user",
        "account",
        _("Login and contact of a portal user"),
        ["email", "first_name", "last_name", "mobile", "language", "last_login", "date_joined"],
    ),
    PersonalField("accounts.User", "password", "user", _("Login (Argon2 hash)"), "account", exported=False),
    PersonalField("wagtailusers.UserProfile", "avatar", "user", _("Editor's picture in Wagtail"), "account"),
    # The audit log: a keyed hash of the IP address is pseudonymous data, kept with the log.
    PersonalField(
        "audit.AuditEvent", "ip_hash", "user", _("Security audit of access"), "audit", exported=False
    ),
    # The signer of the company signup.
    *_fields(
        "companies.SignupConfirmation",
        "signer",
        "signup",
        _("Proof of the signer's authority to sign for the company"),
        ["signer_name", "signer_email", "signer_mobile", "ip_hash", "confirmed_at"],
    ),
    # The DPA acceptance (portal side of the data processing agreement).
    *_fields(
        "privacy.DPAAcceptance",
        "user",
        "agreement",
        _("Proof of who accepted which version of the data processing agreement"),
        ["accepted_by_name", "accepted_by_email", "accepted_at"],
    ),
    # Invoices: the customer as written on the invoice.
    *_fields(
        "billing.Invoice",
        "customer",
        "bookkeeping",
        _("Invoicing the customer company (bookkeeping)"),
        ["customer_name", "customer_cvr", "customer_address"],
    ),
    # The public site: cookie consent proof, newsletter, contact and complaints (cms_pages).
    *_fields(
        "consent.ConsentRecord",
        "visitor",
        "consent",
        _("Documenting a visitor's cookie choice (Datatilsynet requires proof)"),
        ["ip_hash", "user_agent", "categories", "language", "created_at"],
    ),
    *_fields(
        "newsletter.Subscriber",
        "visitor",
        "newsletter",
        _("Sending the newsletter the person asked for, with proof of the consent"),
        ["email", "language", "consented_at", "consent_ip_hash", "unsubscribed_at"],
    ),
    # Which issue went to whom (so nobody gets one twice); deleted with the subscriber.
    *_fields(
        "newsletter.IssueDelivery",
        "visitor",
        "newsletter",
        _("Sending the newsletter the person asked for, with proof of the consent"),
        ["subscriber", "status", "sent_at"],
    ),
    *_fields(
        "contact.ContactMessage",
        "visitor",
        "enquiry",
        _("Answering an enquiry or a complaint about the person's rights"),
        ["name", "email", "subject", "message", "language", "ip_hash"],
    ),
    # Login attempts (django-axes).
    *[
        PersonalField(model, field, "visitor", _("Protection against password guessing"), "lockout")
        for model in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog")
        for field in ("username", "ip_address", "user_agent")
    ],
]

# Fields that look personal by name but are not, with the reason (a reviewer checks the reason).
NOT_PERSONAL: dict[tuple[str, str], str] = {
    ("jobs.Job", "file_name"): "random storage key of an encrypted company export, reveals nobody",
    ("django_tasks_database.DBTaskResult", "queue_name"): "name of a task queue ('default')",
    ("django_tasks_database.DBTaskResult", "backend_name"): "name of a task backend ('jobs')",
    ("consent.TrackingScript", "name"): "name of a third-party script",
    ("consent.CookieDeclaration", "name"): "name of a cookie",
    **{
        ("contact.SupervisoryAuthority", field): "the supervisory authority's public contact details"
        for field in ("name", "address", "postal_code", "city", "phone", "email")
    },
    ("auth.Permission", "name"): "permission label",
    ("employees.EmployeeListVersion", "token"): (
        "random token changed on every change to a company's employees (invalidates the cached list order)"
    ),
    ("auth.Group", "name"): "group label",
    ("wagtailembeds.Embed", "author_name"): "author of public embedded content",
    ("wagtailembeds.Embed", "provider_name"): "embed provider",
    ("wagtailcore.Site", "site_name"): "site label",
    ("wagtailcore.APIToken", "name"): "token label",
    ("wagtailcore.Collection", "name"): "collection label",
    ("wagtailcore.Workflow", "name"): "workflow label",
    ("wagtailcore.Task", "name"): "task label",
    ("wagtailcore.GroupApprovalTask", "name"): "task label",
    ("wagtail_localize.StringTranslation", "tool_name"): "translation tool",
    ("taggit.Tag", "name"): "tag",
    ("accounts.TOTPDevice", "name"): "device label chosen by the system ('Authenticator')",
    ("accounts.BackupCodeDevice", "name"): "device label chosen by the system",
    ("companies.Company", "name"): "the customer company (a legal person); anonymised on deletion",
    ("companies.Company", "address"): "the company's registered address; cleared on deletion",
    ("companies.Company", "postal_code"): "the company's registered address; cleared on deletion",
    ("companies.Company", "city"): "the company's registered address; cleared on deletion",
    ("cms_pages.ArticleTag", "name"): "a topic of the public articles, written by editors, names nobody",
    ("cms_pages.OwnerDetails", "company_name"): "the service provider's own published details",
    ("cms_pages.OwnerDetails", "address"): "the service provider's own published details",
    ("cms_pages.OwnerDetails", "postal_code"): "the service provider's own published details",
    ("cms_pages.OwnerDetails", "city"): "the service provider's own published details",
    ("cms_pages.OwnerDetails", "email"): "the service provider's own published details",
    ("cms_pages.OwnerDetails", "phone"): "the service provider's own published details",
    ("cms_pages.OwnerDetails", "contact_person"): "published contact of the provider (consented role)",
    ("cms_pages.CustomerLogo", "name"): "customer company name (legal person) shown with permission",
    ("cms_pages.DataProcessor", "name"): "sub-processor company name",
    ("dpa.DataProcessingAgreement", "title"): "agreement title",
    ("documents.Document", "template_name"): "which template produced the document ('contract', 'warning')",
    ("documents.Document", "storage_name"): "random storage key (c<company>/<random>.enc), reveals nobody",
    ("documents.Document", "signed_storage_name"): "random storage key of the signed PDF, reveals nobody",
}

# Field names that hold personal data wherever they occur (exact, or as a suffix after "_").
PERSONAL_NAME_HINTS = {
    "name",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "phone",
    "mobile",
    "address",
    "postal_code",
    "city",
    "cpr",
    "birth_date",
    "salary",
    "notes",
    "ip_address",
    "ip_hash",
    "user_agent",
    "username",
    "contact_person",
    "emergency_contact",
    "avatar",
    "photo",
    "signature",
}


def looks_personal(field) -> bool:
    name = field.name
    if getattr(field, "encrypted", False):
        return True
    return name in PERSONAL_NAME_HINTS or any(name.endswith("_" + hint) for hint in PERSONAL_NAME_HINTS)


def unregistered_fields(models) -> list[str]:
    """`app.Model.field` of each field that looks personal but is not registered or declared not personal."""
    registered = {(p.model, p.field) for p in REGISTRY}
    missing = []
    for model in models:
        label = model._meta.label
        for field in model._meta.concrete_fields:
            key = (label, field.name)
            if looks_personal(field) and key not in registered and key not in NOT_PERSONAL:
                missing.append(f"{label}.{field.name}")
    return missing


def fields_of(model) -> list[PersonalField]:
    label = model if isinstance(model, str) else model._meta.label
    return [p for p in REGISTRY if p.model == label]


def exported_fields(model) -> list[PersonalField]:
    return [p for p in fields_of(model) if p.exported]


def kept_on_erasure(model) -> list[PersonalField]:
    return [p for p in fields_of(model) if p.keep_on_erasure is not None]


def registered_models() -> list[str]:
    return sorted({p.model for p in REGISTRY})
