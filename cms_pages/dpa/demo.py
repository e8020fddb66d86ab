"""Demo content: the data processing agreement (Danish source, English translation). Idempotent.

Two versions: the short first version 2026.1, kept because demo databases hold acceptances of it (an
acceptance names its version and stays a valid record of what was accepted), and the full agreement
2026.2 in force now (`demo_text.py`). Publishing 2026.2 asks every company to accept again, as a new
version does; nothing is changed in 2026.1 or in its acceptances.
"""

import datetime

from wagtail.models import Locale

from cms_pages.dpa import demo_text
from cms_pages.dpa.models import DataProcessingAgreement
from cms_pages.translation import translate

FIRST_VERSION = "2026.1"
VERSION = "2026.2"  # the version in force in the demo
VALID_FROM = datetime.date(2026, 12, 1)
SUMMARY_2 = (
    "Den fulde databehandleraftale efter Datatilsynets standardkontrakt, med bilag A-D.",
    "The full data processing agreement following the standard contractual clauses of the Danish Data "
    "Protection Agency, with Annexes A-D.",
)
TITLE = ("Databehandleraftale", "Data processing agreement")
SUMMARY = ("Første version.", "First version.")
PARAGRAPHS = [
    (
        "Denne aftale er indgået mellem kunden (den dataansvarlige) og Ansatte (databehandleren) om "
        "behandling af personoplysninger om kundens medarbejdere i Ansattes HR-portal.",
        "This agreement is made between the customer (the controller) and Ansatte (the processor) about "
        "processing personal data of the customer's employees in Ansatte's HR portal.",
    ),
    (
        "Databehandleren behandler kun personoplysninger efter dokumenteret instruks fra den dataansvarlige.",
        "The processor processes personal data only on documented instructions from the controller.",
    ),
    (
        "Personoplysninger krypteres med en nøgle pr. kunde. Adgang kræver tofaktorlogin, "
        "og al adgang logges.",
        "Personal data is encrypted with one key per customer. Access requires two-factor login and every "
        "access is logged.",
    ),
    (
        "Databehandleren bistår den dataansvarlige med at besvare anmodninger fra de registrerede.",
        "The processor assists the controller in answering requests from data subjects.",
    ),
    (
        "Ved ophør slettes alle personoplysninger, og kundens krypteringsnøgle destrueres.",
        "When the agreement ends, all personal data is deleted and the customer's encryption key destroyed.",
    ),
    (
        "Databehandleren benytter de underdatabehandlere, der er nævnt nedenfor.",
        "The processor uses the sub-processors listed below.",
    ),
]


def seed():
    da, _ = Locale.objects.get_or_create(language_code="da")
    en, _ = Locale.objects.get_or_create(language_code="en")
    _seed_first_version(da, en)
    _seed_full_version(da, en)
    return [f"Data processing agreements {FIRST_VERSION} and {VERSION} (da, en) are published."]


def _seed_first_version(da, en):
    agreement = DataProcessingAgreement.objects.filter(locale=da, version=FIRST_VERSION).first()
    if agreement is None:
        agreement = DataProcessingAgreement(
            locale=da,
            version=FIRST_VERSION,
            title=TITLE[0],
            valid_from=datetime.date(2026, 1, 1),
            summary_of_changes=SUMMARY[0],
            body="".join(f"<p>{da_text}</p>" for da_text, _en in PARAGRAPHS),
            live=False,
        )
        agreement.save()
        agreement.save_revision().publish()
    if agreement.get_translation_or_none(en) is None:
        strings = {TITLE[0]: TITLE[1], SUMMARY[0]: SUMMARY[1], **dict(PARAGRAPHS)}
        translate(agreement, en, strings, publish=False)
        translated = agreement.get_translation(en)
        translated.get_latest_revision().publish()


def _seed_full_version(da, en):
    agreement = DataProcessingAgreement.objects.filter(locale=da, version=VERSION).first()
    if agreement is None:
        agreement = DataProcessingAgreement(
            locale=da,
            version=VERSION,
            title=TITLE[0],
            valid_from=VALID_FROM,
            summary_of_changes=SUMMARY_2[0],
            body=demo_text.as_html(demo_text.BODY, "da"),
            annex_c=demo_text.as_html(demo_text.ANNEX_C, "da"),
            annex_d=demo_text.as_html(demo_text.ANNEX_D, "da"),
            live=False,
        )
        agreement.save()
        agreement.save_revision().publish()
    if agreement.get_translation_or_none(en) is None:
        strings = {
            TITLE[0]: TITLE[1],
            SUMMARY_2[0]: SUMMARY_2[1],
            **demo_text.translations(demo_text.BODY, demo_text.ANNEX_C, demo_text.ANNEX_D),
        }
        translate(agreement, en, strings, publish=False)
        agreement.get_translation(en).get_latest_revision().publish()
