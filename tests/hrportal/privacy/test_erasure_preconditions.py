"""The preconditions of the irreversible acts, called directly: erasing an employee, exporting all their
data, deleting the company (hrportal/privacy/erasure.py and deletion.py).

The pages go through the same functions (test_privacy.py, test_company_deletion.py). What matters beyond
each refusal: a fresh code is spent when it is checked, so it is checked last, and a refusal for another
reason leaves it usable.
"""

import pytest
from django.utils import translation

from hrportal.privacy.deletion import company_deletion_refusal, company_name_matches
from hrportal.privacy.erasure import Refusal, erasure_refusal, fresh_code_refusal
from hrportal.privacy.forms import ConfirmForm, DeleteCompanyForm
from tests.conftest import next_code
from tests.factories import add_backup_codes


@pytest.mark.django_db
def test_a_fresh_code_is_accepted_once(admin_user):
    code = next_code(admin_user.totp)
    assert fresh_code_refusal(admin_user, code) is None
    refusal = fresh_code_refusal(admin_user, code)  # the same time step again
    assert isinstance(refusal, Refusal) and refusal.field == "code"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["", "000000", "not a code"])
def test_a_wrong_or_missing_code_is_refused(admin_user, code):
    with translation.override("en"):
        refusal = fresh_code_refusal(admin_user, code)
    assert refusal == Refusal("code", "The code is wrong or was already used. Wait for the next code.")


@pytest.mark.django_db
def test_a_backup_code_does_not_count(admin_user):
    [backup, *_rest] = add_backup_codes(admin_user)
    assert fresh_code_refusal(admin_user, backup).field == "code"


@pytest.mark.django_db
def test_erasure_needs_the_confirmation_before_the_code_is_spent(admin_user):
    code = next_code(admin_user.totp)
    refusal = erasure_refusal(admin_user, confirmed=False, code=code)
    assert refusal.field == "confirm"
    assert erasure_refusal(admin_user, confirmed=True, code=code) is None  # the code was not spent above


@pytest.mark.django_db
def test_erasure_with_the_confirmation_and_a_wrong_code_is_refused(admin_user):
    assert erasure_refusal(admin_user, confirmed=True, code="000000").field == "code"


@pytest.mark.django_db
def test_company_deletion_needs_the_exact_name_before_the_code_is_spent(company, admin_user):
    code = next_code(admin_user.totp)
    for typed in ("", "Demo", "demo aps", "Anden Virksomhed ApS"):
        refusal = company_deletion_refusal(company, admin_user, typed_name=typed, code=code)
        assert refusal.field == "company_name", typed
    assert company_name_matches(company, f"  {company.name} ")  # spaces around it do not count
    assert company_deletion_refusal(company, admin_user, typed_name=company.name, code=code) is None


@pytest.mark.django_db
def test_company_deletion_with_the_name_and_a_wrong_code_is_refused(company, admin_user):
    refusal = company_deletion_refusal(company, admin_user, typed_name=company.name, code="000000")
    assert refusal.field == "code"


@pytest.mark.django_db
def test_the_forms_show_each_refusal_at_its_field_and_spend_no_code_on_other_errors(company, admin_user):
    code = next_code(admin_user.totp)
    erase = ConfirmForm({"code": code}, user=admin_user)  # the box is not ticked
    assert not erase.is_valid() and set(erase.errors) == {"confirm"}
    delete = DeleteCompanyForm({"company_name": "Wrong ApS"}, company=company, user=admin_user)
    assert not delete.is_valid() and set(delete.errors) == {"company_name", "code"}
    delete = DeleteCompanyForm({"company_name": "Wrong ApS", "code": code}, company=company, user=admin_user)
    assert not delete.is_valid() and set(delete.errors) == {"company_name"}
    erase = ConfirmForm({"code": code, "confirm": "on"}, user=admin_user)
    assert erase.is_valid()  # the code is still unspent after the refusals above
