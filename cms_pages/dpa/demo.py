"""Demo content: the data processing agreement in force (Danish source, English translation). Idempotent."""

import datetime

from wagtail.models import Locale

from cms_pages.dpa.models import DataProcessingAgreement
from cms_pages.translation import translate

VERSION = "2026.1"
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
    agreement = DataProcessingAgreement.objects.filter(locale=da, version=VERSION).first()
    if agreement is None:
        agreement = DataProcessingAgreement(
            locale=da,
            version=VERSION,
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
    return [f"Data processing agreement {VERSION} (da, en) is published."]
