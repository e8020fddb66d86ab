"""The columns of the CSV import and of the exports: field, Danish header (as in Excel), accepted aliases."""

from django.utils.translation import gettext_lazy as _

# (field, header written by exports, other accepted headers (compared case-insensitively), label)
COLUMNS = [
    ("name", "Navn", ("name", "fulde navn", "fuldt navn"), _("name")),
    ("cpr", "CPR-nummer", ("cpr", "cpr-nr", "cpr-nr.", "cpr nummer", "cpr number"), _("CPR number")),
    ("address", "Adresse", ("address",), _("address")),
    ("postal_code", "Postnummer", ("postnr", "postnr.", "post nr.", "postal code"), _("postal code")),
    ("city", "By", ("city", "bynavn"), _("city")),
    ("email", "E-mail", ("email", "mail", "e-mailadresse"), _("email")),
    ("phone", "Telefon", ("tlf", "tlf.", "mobil", "telefonnummer", "phone"), _("phone")),
    ("start_date", "Startdato", ("ansat fra", "ansættelsesdato", "start date"), _("start date")),
    ("end_date", "Slutdato", ("fratrådt", "fratrædelsesdato", "end date"), _("end date")),
    ("position", "Stilling", ("titel", "position"), _("position")),
    ("department", "Afdeling", ("department",), _("department")),
    (
        "weekly_hours",
        "Timer pr. uge",
        ("timer", "ugentlige timer", "hours per week"),
        _("work hours per week"),
    ),
    ("salary", "Løn", ("månedsløn", "lønbasis", "salary"), _("salary basis (DKK per month)")),
    ("emergency_contact", "Nødkontakt", ("pårørende", "emergency contact"), _("emergency contact")),
    ("notes", "Noter", ("bemærkninger", "notes"), _("notes")),
]
REQUIRED = ("name", "cpr", "start_date")


def header_map() -> dict[str, str]:
    mapping = {}
    for field, header, aliases, _label in COLUMNS:
        for name in (header, *aliases):
            mapping[name.casefold()] = field
    return mapping
