"""Every version of every document template renders, with fixed data, exactly as it did when it was made.

A document records the template and version that produced it, so "contract v1" must keep producing the
same text: its wording and labels live in the versioned HTML, and this test compares each version's
rendering with the copy kept in `document_template_renders/`. A new version (or template) gets its copy
with `WRITE_TEMPLATE_RENDERS=1`, which writes missing copies only; an existing copy is never rewritten.
"""

import datetime
import importlib
import os
import pkgutil
import re
from pathlib import Path

import pytest
from django.conf import settings

from hrportal import pdf
from hrportal.documents import templating
from hrportal.documents.templating.base import DECLARED_TITLE
from hrportal.tenancy import company_scope
from tests.factories import make_document, make_document_employee

RENDERS = Path(__file__).parent / "document_template_renders"
TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "hrportal" / "documents" / "templates"

PARTIES = {
    "document_date": datetime.date(2024, 8, 20),
    "employer_name": "Demo & Søn ApS (CVR 12345674)",
    "employer_address": "Nyvej 9, 4180 Sorø",
    "employee_name": "Åse Ørum Kjær",
    "employee_address": "Æblevej 1, 4180 Sorø",
}
TEXT = "Første linje\nAnden linje <b>ikke fed</b> & 'citat'"

# Fixed data per template, with every optional part switched on so every label is rendered.
FIXED = {
    "contract": {
        "workplace": "Nyvej 9, 4180 Sorø",
        "job_title": "Bogholder",
        "job_description": TEXT,
        "start_date": datetime.date(2024, 3, 1),
        "fixed_term": True,
        "end_date": datetime.date(2025, 2, 28),
        "probation": "3 måneder",
        "salary": "35.000 kr. pr. måned",
        "salary_components": "Ingen",
        "payment_times": "Månedsvis bagud",
        "working_hours": "37 timer pr. uge",
        "overtime": "Afspadsering 1:1",
        "holiday": "Efter ferieloven",
        "notice": "Efter funktionærloven",
        "collective_agreement": "Ingen",
        "training": "Efter aftale",
        "pension": "5 % arbejdsgiverbetalt",
        "unpredictable": True,
        "reference_hours": "Mandag-fredag 8-16",
        "agency_worker": True,
        "user_undertakings": "Kunde A/S",
        "other_terms": TEXT,
    },
    "warning": {
        "incident_date": datetime.date(2024, 8, 1),
        "incident": TEXT,
        "expectation": "Sygdom meldes før kl. 8.",
        "consequence": "Opsigelse.",
    },
    "termination": {
        "employee_status": "funktionaer",
        "start_date": datetime.date(2019, 3, 1),
        "notice_date": datetime.date(2024, 8, 20),
        "reason": TEXT,
        "released": True,
        "override_termination_date": datetime.date(2024, 10, 31),
        "override_reason": "Aftalt kortere",
    },
    "summary_dismissal": {
        "effective_date": datetime.date(2024, 8, 20),
        "reason": TEXT,
        "settlement": "Løn til og med i dag.",
    },
    "severance": {
        "termination_date": datetime.date(2024, 12, 31),
        "last_working_day": datetime.date(2024, 11, 30),
        "released": True,
        "compensation": "3 måneders løn",
        "holiday_settlement": TEXT,
        "other_terms": TEXT,
    },
}

CONTRACT_LABELS = {
    "da": ["Arbejdssted", "Stilling og arbejdets art", "Tiltrædelse", "Ansættelsens varighed", "Prøvetid",
           "Løn", "Øvrige løndele", "Udbetaling", "Normal arbejdstid", "Overarbejde", "Ferie",
           "Opsigelsesvarsler", "Kollektive overenskomster", "Uddannelse", "Pension og social sikring",
           "Referencetimer og -dage (uforudsigeligt arbejdsmønster)", "Brugervirksomheder (vikar)",
           "Øvrige vilkår", "Tidsbegrænset, forventes at ophøre 28.02.2025"],
    "en": ["Place of work", "Job title and description", "Start date", "Duration", "Probation period",
           "Salary", "Other pay components", "Payment", "Normal working hours", "Overtime", "Holiday",
           "Notice periods", "Collective agreements", "Training", "Pension and social security",
           "Reference hours and days (unpredictable work)", "User undertakings (agency work)",
           "Other terms", "Fixed-term, expected to end on 28.02.2025"],
}  # fmt: skip


# The title each version declares (the document's title, the PDF's footer and metadata): like the kept
# renderings, an entry is added with a new version and never changed.
KEPT_TITLES = {
    ("contract", "v1", "da"): "Ansættelseskontrakt (ansættelsesbevis)",
    ("contract", "v1", "en"): "Employment contract (statement of terms)",
    ("severance", "v1", "da"): "Fratrædelsesaftale",
    ("severance", "v1", "en"): "Severance agreement",
    ("summary_dismissal", "v1", "da"): "Bortvisning",
    ("summary_dismissal", "v1", "en"): "Summary dismissal",
    ("termination", "v1", "da"): "Opsigelse",
    ("termination", "v1", "en"): "Notice of termination",
    ("termination", "v2", "da"): "Opsigelse",
    ("termination", "v2", "en"): "Notice of termination",
    ("warning", "v1", "da"): "Advarsel",
    ("warning", "v1", "en"): "Warning",
}


def versions_on_disk():
    """(slug, version, language) of every versioned template file (the `_parties` include is not one)."""
    found = []
    for path in sorted(TEMPLATE_DIR.glob("*.html")):
        match = re.fullmatch(r"(?P<slug>[a-z_]+)_(?P<version>v\d+)_(?P<language>da|en)\.html", path.name)
        if match and not path.name.startswith("_"):
            found.append((match["slug"], match["version"], match["language"]))
    return found


def render(company, employee, slug, version, language):
    spec = templating.TEMPLATES[slug]
    data = {**PARTIES, **FIXED[slug], "language": language}
    with company_scope(company):
        context = templating.build_context(spec, data, employee, company)
    return pdf.render_html(spec.template_name(language, version), context, language)


def test_every_template_module_is_registered_under_its_own_name():
    names = [
        info.name
        for info in pkgutil.iter_modules(templating.__path__)
        if not info.name.startswith("_") and info.name != "base"
    ]
    assert sorted(templating.TEMPLATES) == sorted(names)
    for name in names:
        assert importlib.import_module(f"hrportal.documents.templating.{name}").TEMPLATE.slug == name
    positions = [spec.position for spec in templating.TEMPLATES.values()]
    assert positions == sorted(set(positions)), "positions order the list and must differ"


def test_every_template_has_fixed_data_here_and_its_current_version_on_disk():
    on_disk = set(versions_on_disk())
    for slug, spec in templating.TEMPLATES.items():
        assert slug in FIXED, f"add fixed data for the template {slug!r} to this test"
        for language in ("da", "en"):
            assert (slug, spec.version, language) in on_disk


@pytest.mark.django_db
@pytest.mark.parametrize("slug,version,language", versions_on_disk())
def test_each_version_renders_as_it_was_made(company, slug, version, language):
    employee = make_document_employee(company)
    make_document(company, employee, kind="warning")  # an earlier warning, listed by the warning template
    html = render(company, employee, slug, version, language)
    kept = RENDERS / f"{slug}_{version}_{language}.html"
    if not kept.exists() and os.environ.get("WRITE_TEMPLATE_RENDERS"):
        kept.parent.mkdir(exist_ok=True)
        kept.write_text(html, encoding="utf-8")
    assert kept.exists(), f"no kept rendering of {kept.name}: run once with WRITE_TEMPLATE_RENDERS=1"
    assert html == kept.read_text(encoding="utf-8"), f"{slug} {version} ({language}) renders differently"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["da", "en"])
def test_the_contract_labels_are_in_its_versioned_html(company, language):
    employee = make_document_employee(company)
    spec = templating.TEMPLATES["contract"]
    html = render(company, employee, "contract", spec.version, language)
    source = (TEMPLATE_DIR / f"contract_{spec.version}_{language}.html").read_text(encoding="utf-8")
    for label in CONTRACT_LABELS[language]:
        assert label in html
        assert label.split(" 28.02")[0] in source  # the label comes from the versioned file itself


@pytest.mark.parametrize("slug,version,language", versions_on_disk())
def test_each_version_declares_the_title_it_was_made_with(slug, version, language):
    source = (TEMPLATE_DIR / f"{slug}_{version}_{language}.html").read_text(encoding="utf-8")
    declared = DECLARED_TITLE.match(source)
    assert declared, f"{slug}_{version}_{language}.html must start with {{# title: ... #}}"
    assert templating.TEMPLATES[slug].title(language, version) == declared["title"]
    assert KEPT_TITLES.get((slug, version, language)) == declared["title"], "a version's title never changes"


def test_no_template_module_holds_wording_of_its_own():
    # The title used to be a `titles` dict in Python, outside the versioned files: editing it changed "v1".
    for spec in templating.TEMPLATES.values():
        assert not hasattr(spec, "titles"), f"{spec.slug}: the title belongs in its versioned HTML"
