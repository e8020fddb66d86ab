"""In Chromium: the admin adds a photo to an employee, sees it on the employee's page, is told why a text file
named .jpg is refused, and removes the photo after the confirmation."""

import io

import pytest
from PIL import Image

from tests.conftest import make_admin
from tests.e2e.conftest import assert_no_serious_axe_violations, log_in
from tests.factories import CompanyFactory, make_employee


@pytest.mark.django_db(transaction=True)
def test_add_see_refuse_and_remove_a_photo(page, private_storage, tmp_path):
    company = CompanyFactory(name="Browser Foto ApS")
    admin = make_admin(company)
    employee = make_employee(company, name="Billed Bent")
    photo, not_a_photo = tmp_path / "bent.jpg", tmp_path / "noter.jpg"
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (40, 90, 160)).save(out, "JPEG")
    photo.write_bytes(out.getvalue())
    not_a_photo.write_bytes(b"Ikke et billede.\n" * 10)
    detail = f"/portal/employees/{employee.pk}/"

    log_in(page, admin)
    page.goto(detail)
    page.get_by_role("link", name="Tilføj foto").click()
    page.wait_for_url("**/photo/edit/")
    assert_no_serious_axe_violations(page)
    page.set_input_files("#id_photo", str(photo))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{detail}")
    image = page.get_by_role("img", name="Foto af Billed Bent")
    assert image.evaluate("img => img.decode().then(() => [img.naturalWidth, img.naturalHeight])") == [
        512,
        384,
    ]
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="Skift foto").click()
    page.set_input_files("#id_photo", str(not_a_photo))
    page.click("main form button[type=submit]")
    assert "Kun JPEG-, PNG- og WebP-billeder" in page.locator("#id_photo_error").inner_text()
    assert_no_serious_axe_violations(page)

    page.goto(detail)
    page.get_by_role("link", name="Fjern foto").click()
    page.wait_for_url("**/photo/remove/")
    assert_no_serious_axe_violations(page)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{detail}")
    assert "Fotoet blev fjernet." in page.content()
    assert page.get_by_role("img", name="Foto af Billed Bent").count() == 0
    assert not [p for p in private_storage.rglob("*") if p.is_file()]  # the file went with the commit
