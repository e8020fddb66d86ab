"""The demo's data processing agreement is a real one: in each language, on the portal page and in its PDF,
it has a heading or point for every item of GDPR art. 28(3), the breach deadline in hours, the four annexes
of Datatilsynet's standard agreement, Annex A derived from the personal-data registry, and no word of the
other language."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from cms_pages.dpa import content
from cms_pages.dpa.demo import FIRST_VERSION, VERSION
from cms_pages.dpa.demo import seed as seed_dpa
from hrportal.privacy import registry
from hrportal.privacy.models import DPAAcceptance
from hrportal.tenancy import company_scope
from tests.hrportal.privacy.test_privacy_helpers import pdf_text

# What a reader checks for, per language: Art. 28(3)(a)-(h), the breach notification with its hours, and
# the annexes. Each is a phrase of a heading or of the point itself.
POINTS = {
    "da": [
        # (a) documented instructions, transfers included; (h) second subparagraph: an unlawful instruction
        "Databehandleren handler efter instruks",
        "kun behandle personoplysninger efter dokumenteret instruks fra den dataansvarlige, herunder for så "
        "vidt angår overførsel af personoplysninger til tredjelande",
        "en instruks efter databehandlerens opfattelse er i strid med databeskyttelsesforordningen",
        # (b) confidentiality
        "Fortrolighed",
        "forpligtet sig til fortrolighed eller er underlagt en passende lovbestemt tavshedspligt",
        # (c) security, art. 32
        "Behandlingssikkerhed",
        "databeskyttelsesforordningens artikel 32",
        # (d) sub-processors: general written authorisation, prior notice, objection, flow-down, liability
        "Anvendelse af underdatabehandlere",
        "generelle skriftlige godkendelse",
        "med mindst 30 dages varsel",
        "gøre indsigelse mod sådanne ændringer",
        "de samme databeskyttelsesforpligtelser",
        "forbliver databehandleren fuldt ansvarlig",
        # transfers, chapter V
        "Overførsel til tredjelande eller internationale organisationer",
        "databeskyttelsesforordningens kapitel V",
        # (e) data subjects' rights, chapter III; (f) arts. 32-36
        "Bistand til den dataansvarlige",
        "databeskyttelsesforordningens kapitel III",
        "databeskyttelsesforordningens artikel 32-36",
        # breach notification
        "Underretning om brud på persondatasikkerheden",
        "uden unødig forsinkelse",
        "senest 48 timer",
        # (g) deletion or return, copies
        "Sletning og returnering af oplysninger",
        "Eksisterende kopier slettes ligeledes, medmindre EU-retten eller national ret foreskriver "
        "opbevaring",
        # (h) information and audits
        "Revision, herunder inspektion",
        "giver mulighed for og bidrager til revisioner, herunder inspektioner",
        # annexes
        "Bilag A: Oplysninger om behandlingen",
        "A.1 Behandlingens genstand og formål",
        "A.2 Behandlingens karakter",
        "A.3 Typer af personoplysninger",
        "A.4 Kategorier af registrerede",
        "A.5 Behandlingens varighed",
        "Bilag B: Godkendte underdatabehandlere",
        "Hetzner Online GmbH",
        "Bilag C: Instruks vedrørende behandling af personoplysninger",
        "C.2 Behandlingssikkerhed",
        "med en datanøgle for hver dataansvarlig",
        "SHA-256-hashkæde",
        "rækkeniveausikkerhed i PostgreSQL",
        "opbevares i 35 dage",
        "Bilag D: Parternes regulering af andre forhold",
        "underlagt dansk ret",
        "Forrang",
        "Varighed og ophør",
    ],
    "en": [
        "The data processor acts according to instructions",
        "only on documented instructions from the data controller, including with regard to transfers of "
        "personal data to a third country",
        "an instruction infringes the General Data Protection Regulation",
        "Confidentiality",
        "committed themselves to confidentiality or are under an appropriate statutory obligation of "
        "confidentiality",
        "Security of processing",
        "Article 32 of the General Data Protection Regulation",
        "Use of sub-processors",
        "general written authorisation",
        "at least 30 days in advance",
        "opportunity to object to such changes",
        "the same data protection obligations",
        "remain fully liable",
        "Transfer of data to third countries or international organisations",
        "Chapter V of the General Data Protection Regulation",
        "Assistance to the data controller",
        "Chapter III of the General Data Protection Regulation",
        "Articles 32 to 36",
        "Notification of personal data breach",
        "without undue delay",
        "at the latest within 48 hours",
        "Erasure and return of data",
        "Existing copies shall also be deleted unless Union or Member State law requires storage",
        "Audit and inspection",
        "allow for and contribute to audits, including inspections",
        "Annex A: Information about the processing",
        "A.1 Subject matter and purpose of the processing",
        "A.2 Nature of the processing",
        "A.3 Types of personal data",
        "A.4 Categories of data subjects",
        "A.5 Duration of the processing",
        "Annex B: Authorised sub-processors",
        "Hetzner Online GmbH",
        "Annex C: Instruction pertaining to the processing of personal data",
        "C.2 Security of processing",
        "with a data key for each data controller",
        "SHA-256 hash chain",
        "row-level security in PostgreSQL",
        "kept for 35 days",
        "Annex D: The parties' terms of agreement on other subjects",
        "governed by Danish law",
        "Precedence",
        "Term and termination",
    ],
}

# Words of the other language that would give away an untranslated sentence.
FOREIGN_WORDS = {
    "da": {
        "the",
        "and",
        "of",
        "with",
        "shall",
        "processor",
        "controller",
        "data subject",
        "personal data",
        "annex",
        "clause",
        "hours",
        "employee",
        "employees",
        "agreement",
        "breach",
        "which",
        "must",
        "date",
        "notes",
        "phone",
        "address",
        "salary",
        "name",
    },
    "en": {
        "og",
        "af",
        "skal",
        "ikke",
        "eller",
        "databehandler",
        "databehandleren",
        "dataansvarlig",
        "dataansvarlige",
        "personoplysninger",
        "bilag",
        "bestemmelse",
        "timer",
        "medarbejder",
        "medarbejdere",
        "underskrift",
        "til",
        "som",
        "på",
        "med",
        "navn",
        "adresse",
        "noter",
        "løn",
    },
}


def plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def foreign_words(text, language):
    words = " ".join(re.findall(r"[\wæøåÆØÅ-]+", text.lower()))
    return sorted(
        w for w in FOREIGN_WORDS[language] if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", words)
    )


def rendered(admin_client, language):
    page = admin_client.get(reverse("portal:dpa") + f"?lang={language}")
    assert page.status_code == 200
    pdf = admin_client.get(reverse("portal:dpa_pdf") + f"?lang={language}")
    assert pdf.status_code == 200
    text = " ".join(pdf_text(pdf.content).split())
    return plain(page.content.decode()), re.sub(r" ?(Side|Page) \d+/\d+ Demo ApS ?", " ", text)


def employee_field_labels(language):
    with translation.override(language):
        return [str(label) for category in content.annex_a().categories for label in category.fields]


@pytest.fixture
def full_agreement(db):
    from wagtail.models import Locale

    from cms_pages.demo import ensure_processors

    seed_dpa()
    ensure_processors(Locale.objects.get(language_code="da"), Locale.objects.get(language_code="en"))
    return content.current_agreement("da")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["da", "en"])
def test_the_demo_agreement_covers_every_point_of_article_28_3_on_the_page_and_in_the_pdf(
    company, admin_client, full_agreement, language
):
    assert full_agreement.version == VERSION
    for where, text in zip(("page", "pdf"), rendered(admin_client, language), strict=True):
        missing = [point for point in POINTS[language] if point not in text]
        assert not missing, f"{language} {where} lacks {missing}"
        # the annexes come after the clauses, in order
        positions = [text.index(p) for p in POINTS[language] if p.startswith(("Bilag ", "Annex "))]
        assert positions == sorted(positions), where
        # the number of hours is stated in one place only
        assert len(re.findall(r"\b48\b", text)) == 1, where


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["da", "en"])
def test_annex_a_lists_the_employee_data_of_the_registry(company, admin_client, full_agreement, language):
    labels = employee_field_labels(language)
    expected = {
        "da": ["CPR-nummer", "nødkontakt", "foto"],
        "en": ["CPR number", "emergency contact", "photo"],
    }
    assert all(label in labels for label in expected[language]), labels
    page, pdf = rendered(admin_client, language)
    for label in labels:
        assert label in page and label in pdf, label
    assert "Personnel file: identification and contact" in page or language == "da"
    # portal users and site visitors are the service's own processing, not the controller's
    assert "Protection against password guessing" not in page


@pytest.mark.django_db
def test_a_field_added_to_the_registry_appears_in_annex_a(company, admin_client, full_agreement, monkeypatch):
    added = registry.PersonalField(
        "accounts.User", "mobile", "employee", "Vagtplan for medarbejderen", "employment"
    )
    before = plain(admin_client.get(reverse("portal:dpa")).content.decode())
    assert "Vagtplan for medarbejderen" not in before
    monkeypatch.setattr(registry, "REGISTRY", [*registry.REGISTRY, added])
    after = plain(admin_client.get(reverse("portal:dpa")).content.decode())
    assert "Vagtplan for medarbejderen: mobil" in after


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["da", "en"])
def test_no_word_of_the_other_language(company, admin_client, full_agreement, language):
    agreement = content.agreement_in(full_agreement, language)
    article = plain(content.render_agreement(agreement, language))
    page, pdf = rendered(admin_client, language)
    with translation.override("en" if language == "da" else "da"):  # the UI in the other language
        other_ui = plain(content.render_agreement(agreement, language))
    for where, text in (("agreement", article), ("pdf", pdf), ("other ui", other_ui)):
        assert foreign_words(text, language) == [], where
    assert article in page


@pytest.mark.django_db
def test_the_word_list_catches_the_other_language():
    assert foreign_words("Databehandleren skal slette the data", "da") == ["the"]
    assert foreign_words("The processor og the controller", "en") == ["og"]


@pytest.mark.django_db
def test_acceptances_of_the_first_version_stay_on_record(company, admin_user, admin_client, db):
    from wagtail.models import Locale

    from cms_pages.dpa.demo import _seed_first_version

    da, _ = Locale.objects.get_or_create(language_code="da")
    en, _ = Locale.objects.get_or_create(language_code="en")
    _seed_first_version(da, en)
    first = content.current_agreement("da")
    assert first.version == FIRST_VERSION and not first.has_annexes
    from hrportal.privacy import dpa

    with company_scope(company):
        acceptance = dpa.accept(company, admin_user, first)
    first_hash = acceptance.text_sha256
    seed_dpa()
    seed_dpa()  # idempotent
    state = dpa.status(company)
    assert state.current.version == VERSION and state.needs_acceptance
    with company_scope(company):
        kept = DPAAcceptance.objects.get()
    assert kept.version == FIRST_VERSION and kept.text_sha256 == first_hash == content.agreement_text_hash(
        first
    )
    pdf = admin_client.get(reverse("portal:dpa_acceptance_pdf", args=[kept.pk]))
    text = pdf_text(pdf.content)
    assert FIRST_VERSION in text and "Bilag A" not in text and first_hash in text
    from cms_pages.dpa.models import DataProcessingAgreement

    assert DataProcessingAgreement.objects.filter(version=VERSION).count() == 2  # da and en, once each


@pytest.mark.django_db
def test_the_editors_preview_shows_the_annexes(full_agreement, rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    response = full_agreement.serve_preview(request, "")
    text = plain(
        response.rendered_content if hasattr(response, "rendered_content") else response.content.decode()
    )
    for heading in ("Bilag A: Oplysninger om behandlingen", "Bilag D: Parternes regulering af andre forhold"):
        assert heading in text
    assert "nødkontakt" in text  # Annex A from the registry, through the portal's hook


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["da", "en"])
def test_the_full_agreement_page_stays_within_its_queries(
    company, admin_client, full_agreement, language, django_assert_max_num_queries
):
    admin_client.get(reverse("portal:dpa"))  # warm the per-process caches (site, locales)
    with django_assert_max_num_queries(30):  # 22 (da) and 26 (en) today: Annex A costs no query
        page = admin_client.get(reverse("portal:dpa") + f"?lang={language}")
    assert page.status_code == 200
