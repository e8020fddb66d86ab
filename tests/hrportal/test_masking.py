"""One masking of e-mail addresses and mobile numbers for the whole portal (hrportal.masking).

The per-format cases are in test_signing_destination.py; here: pages outside signing use the same one.
"""

import pytest
from django.test import Client

from hrportal.masking import mask_phone
from tests.hrportal.companies.test_signup import start
from tests.hrportal.helpers import last_email_link, path_of


@pytest.mark.django_db
def test_the_signup_mobile_page_masks_the_number_as_signing_does(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start(Client())
    browser = Client()
    browser.post(path_of(last_email_link()))
    page = browser.get("/portal/signup/mobile/").content.decode()
    assert mask_phone("+4520123456") == "+45 •• •• 34 56"
    assert "+45 •• •• 34 56" in page
    assert "20123456" not in page and "20 12 34 56" not in page
