"""The optional employee photo: accepted by content, re-encoded without metadata, stored encrypted, served
scoped and with private headers, replaced and removed, in the access export, gone on erasure and deletion."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import ExifTags, Image

from hrportal.audit.models import Action, AuditEvent, Outcome
from hrportal.documents import storage
from hrportal.documents.storage import company_folder
from hrportal.documents.validation import RejectedUpload
from hrportal.employees import photos
from hrportal.employees.models import Employee
from hrportal.encryption import streams
from hrportal.privacy.deletion import delete_company
from hrportal.privacy.erasure import erase_employee
from hrportal.privacy.export import build_export
from hrportal.privacy.restriction import ProcessingRestricted, place_restriction
from hrportal.tenancy import company_scope
from tests.factories import make_employee

CAMERA = "SpyCam-Model-4711"


pytestmark = pytest.mark.usefixtures("private_storage")  # tests/conftest.py: a temporary folder


@pytest.fixture
def employee(company):
    return make_employee(company, name="Fotogen Fie")


def files_of(root, company) -> list:
    folder = root / "documents" / company_folder(company.pk)
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def image_bytes(fmt="JPEG", size=(40, 20), mode="RGB", color=(200, 30, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt, **save)
    return out.getvalue()


def mpo_bytes() -> bytes:
    """A multi-picture JPEG, as phone cameras write them (Pillow reads it as "MPO")."""
    out = io.BytesIO()
    first, second = Image.new("RGB", (300, 200), (10, 200, 10)), Image.new("RGB", (300, 200), (200, 10, 10))
    first.save(out, "MPO", save_all=True, append_images=[second])
    return out.getvalue()


def jpeg_with_gps(size=(1600, 800)) -> bytes:
    """A camera JPEG: EXIF with the camera, a GPS position and orientation 6 (shown turned 90° clockwise)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Model] = CAMERA
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (55.0, 40.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (12.0, 34.0, 56.0),
    }
    data = image_bytes("JPEG", size, exif=exif, comment=b"secret-comment")
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the GPS position is there
    return data


def png_bomb(width, height) -> bytes:
    """A valid 1-bit PNG of width x height pixels, all black: a few KB that decode to a huge image."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + the row's bits
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def upload(client, employee, content, name="foto.jpg", content_type="image/jpeg"):
    return client.post(
        reverse("portal:employees:photo_edit", args=[employee.pk]),
        {"photo": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def served(client, employee):
    response = client.get(reverse("portal:employees:photo", args=[employee.pk]))
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


def stored_name(employee) -> str:
    return Employee.unscoped.values_list("photo_storage_name", flat=True).get(pk=employee.pk)


# --- upload, storage, serving ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_camera_jpeg_is_reencoded_upright_without_metadata_and_stored_encrypted(
    company, admin_client, employee, private_storage
):
    original = jpeg_with_gps()
    response = upload(admin_client, employee, original)
    assert response.status_code == 302 and response["Location"] == f"/portal/employees/{employee.pk}/"

    name = stored_name(employee)
    assert name.startswith(f"{company_folder(company.pk)}/") and name.endswith(".enc")
    assert files_of(private_storage, company) == [private_storage / "documents" / name]
    sealed = storage.raw_bytes(name)
    assert sealed.startswith(streams.MAGIC) and not sealed.startswith(b"\xff\xd8")
    for plain in (b"Exif", CAMERA.encode(), b"secret-comment", b"JFIF", original[-64:]):
        assert plain not in sealed

    response, body = served(admin_client, employee)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="photo.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    image = Image.open(io.BytesIO(body))
    assert image.format == "JPEG"
    assert image.size == (256, 512)  # turned upright (1600 x 800 on its side), then scaled to 512 at most
    assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    for plain in (b"Exif", CAMERA.encode(), b"secret-comment"):
        assert plain not in body

    event = AuditEvent.objects.get(action=Action.EMPLOYEE_CHANGED, target_id=str(employee.pk))
    assert event.outcome == Outcome.SUCCESS
    assert event.details == {"fields": ["photo"], "photo": "added"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "served_type"),
    [
        ("foto.png", image_bytes("PNG", (700, 350), "RGBA", (10, 20, 30, 128)), "image/png"),  # transparency
        ("foto.png", image_bytes("PNG", (30, 60), "L", 90), "image/jpeg"),
        ("foto.webp", image_bytes("WEBP", (900, 300)), "image/jpeg"),
        ("foto.webp", image_bytes("WEBP", (60, 30), "RGBA", (1, 2, 3, 4)), "image/png"),
        ("photo-without-extension", image_bytes("JPEG", (50, 50)), "image/jpeg"),
        ("phone.jpg", mpo_bytes(), "image/jpeg"),
    ],
)
def test_png_and_webp_are_accepted_and_reencoded(admin_client, employee, name, content, served_type):
    assert (
        upload(
            admin_client, employee, content, name=name, content_type="application/octet-stream"
        ).status_code
        == 302
    )
    response, body = served(admin_client, employee)
    assert response["Content-Type"] == served_type
    image = Image.open(io.BytesIO(body))
    assert max(image.size) <= photos.MAX_SIDE
    assert body != content


@pytest.mark.django_db
def test_no_photo_is_a_404_and_the_detail_page_offers_to_add_one(admin_client, employee):
    response, _body = served(admin_client, employee)
    assert response.status_code == 404
    page = admin_client.get(reverse("portal:employees:detail", args=[employee.pk])).content.decode()
    assert reverse("portal:employees:photo_edit", args=[employee.pk]) in page
    assert f'src="{reverse("portal:employees:photo", args=[employee.pk])}"' not in page


@pytest.mark.django_db
def test_the_detail_page_shows_the_photo_with_alt_text(admin_client, employee):
    upload(admin_client, employee, image_bytes())
    page = admin_client.get(reverse("portal:employees:detail", args=[employee.pk])).content.decode()
    photo_url = reverse("portal:employees:photo", args=[employee.pk])
    assert f'src="{photo_url}"' in page
    assert 'alt="Foto af Fotogen Fie"' in page  # Danish by default
    assert reverse("portal:employees:photo_remove", args=[employee.pk]) in page


# --- refused files ----------------------------------------------------------------------------------------

TEXT = b"Dette er ikke et billede, bare tekst med et .jpg-navn.\n" * 20
NOT_AN_IMAGE = "Kun JPEG-, PNG- og WebP-billeder kan bruges som foto."
DAMAGED = "Fotoet kunne ikke læses. Er filen beskadiget?"
TOO_MANY_PIXELS = "Billedet har for mange pixels (højst 40 megapixel)."
# case: (content, made when the test runs; audited reason; the message shown, in Danish by default)
BAD_FILES = {
    "text_renamed_jpg": (lambda: TEXT, "unsupported_type", NOT_AN_IMAGE),
    "gif": (lambda: image_bytes("GIF"), "unsupported_type", NOT_AN_IMAGE),
    "truncated_jpeg": (lambda: jpeg_with_gps()[:600], "image_invalid", DAMAGED),
    "truncated_png": (
        lambda: image_bytes("PNG", (300, 300), color=(1, 200, 3))[:200],
        "image_invalid",
        DAMAGED,
    ),
    # Above twice Pillow's own limit (DecompressionBombError), above its limit (the warning), above ours.
    "bomb_400_megapixels": (lambda: png_bomb(20_000, 20_000), "image_too_large", TOO_MANY_PIXELS),
    "bomb_100_megapixels": (lambda: png_bomb(10_000, 10_000), "image_too_large", TOO_MANY_PIXELS),
    "bomb_48_megapixels": (lambda: png_bomb(8_000, 6_000), "image_too_large", TOO_MANY_PIXELS),
    "oversized": (
        lambda: image_bytes("JPEG") + b"\x00" * (5 * 1024 * 1024),
        "too_large",
        "Filen er for stor (højst 5 MB).",
    ),
    "empty": (lambda: b"", "empty", "Filen er tom."),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_with_a_message_and_nothing_is_stored(
    case, company, admin_client, employee, private_storage
):
    make, reason, message = BAD_FILES[case]
    content = make()
    if case.startswith("bomb"):
        assert len(content) < 100_000  # small on disk, huge when decoded

    response = upload(admin_client, employee, content)  # no photo yet
    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored_name(employee) == "" and files_of(private_storage, company) == []

    upload(admin_client, employee, image_bytes(color=(0, 0, 255)))  # with a photo: it stays as it is
    before_name, before_files = stored_name(employee), files_of(private_storage, company)
    response = upload(admin_client, employee, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored_name(employee) == before_name
    assert files_of(private_storage, company) == before_files

    refused = AuditEvent.objects.filter(action=Action.EMPLOYEE_CHANGED, outcome=Outcome.FAILURE)
    assert [e.details for e in refused] == [{"fields": ["photo"], "reason": reason, "size": len(content)}] * 2


@pytest.mark.django_db
def test_the_refusal_is_in_english_for_an_english_user(admin_client, employee, private_storage, company):
    admin_client.post("/portal/language/", {"language": "en", "next": "/portal/"})
    response = upload(admin_client, employee, TEXT)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Only JPEG, PNG and WebP images can be used as a photo." in content
    assert files_of(private_storage, company) == [] and stored_name(employee) == ""


def test_reencode_refuses_a_bomb_before_decoding_it(settings):
    settings.EMPLOYEE_PHOTO_MAX_PIXELS = 1_000_000
    with pytest.raises(RejectedUpload) as refused:
        photos.reencode(io.BytesIO(png_bomb(2_000, 1_000)))
    assert refused.value.reason == "image_too_large"
    assert photos.reencode(io.BytesIO(png_bomb(1_000, 1_000))).content_type == "image/jpeg"


# --- replacing and removing -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_photo_replaces_the_old_one_and_its_file(
    company, admin_client, employee, private_storage, django_capture_on_commit_callbacks
):
    upload(admin_client, employee, image_bytes(color=(255, 0, 0)))
    first = stored_name(employee)
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(admin_client, employee, image_bytes("PNG", color=(0, 255, 0))).status_code == 302
    second = stored_name(employee)
    assert second != first
    assert files_of(private_storage, company) == [private_storage / "documents" / second]
    _response, body = served(admin_client, employee)
    assert Image.open(io.BytesIO(body)).getpixel((5, 5))[1] > 200  # the green one
    changes = AuditEvent.objects.filter(action=Action.EMPLOYEE_CHANGED).order_by("pk")
    assert [e.details["photo"] for e in changes] == ["added", "replaced"]


@pytest.mark.django_db
def test_removal_asks_for_confirmation_then_deletes_the_file(
    company, admin_client, employee, private_storage, django_capture_on_commit_callbacks
):
    upload(admin_client, employee, image_bytes())
    url = reverse("portal:employees:photo_remove", args=[employee.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and "Fjern fotoet af Fotogen Fie?" in page.content.decode()
    assert stored_name(employee) and files_of(private_storage, company)  # a GET removes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url)
    assert response.status_code == 302
    assert stored_name(employee) == ""
    assert files_of(private_storage, company) == []
    assert served(admin_client, employee)[0].status_code == 404
    removed = AuditEvent.objects.filter(action=Action.EMPLOYEE_CHANGED).latest("pk")
    assert removed.details == {"fields": ["photo"], "photo": "removed"}
    # Nothing left to remove: back to the employee's page.
    assert admin_client.get(url)["Location"] == f"/portal/employees/{employee.pk}/"


@pytest.mark.django_db
def test_a_restricted_employee_gets_no_new_photo_and_keeps_the_current_one(
    company, admin_client, employee, private_storage
):
    upload(admin_client, employee, image_bytes())
    before_name, before_files = stored_name(employee), files_of(private_storage, company)
    with company_scope(company):
        place_restriction(employee, reason="disputed accuracy")

    edit = reverse("portal:employees:photo_edit", args=[employee.pk])
    assert admin_client.get(edit).status_code == 302
    response = admin_client.post(
        edit, {"photo": SimpleUploadedFile("ny.jpg", image_bytes(), content_type="image/jpeg")}, follow=True
    )
    assert "Behandlingen af denne medarbejders oplysninger er begrænset" in response.content.decode()
    assert admin_client.post(reverse("portal:employees:photo_remove", args=[employee.pk])).status_code == 302
    assert stored_name(employee) == before_name
    assert files_of(private_storage, company) == before_files
    assert served(admin_client, employee)[0].status_code == 200  # still shown
    with company_scope(company), pytest.raises(ProcessingRestricted):
        photos.set_photo(employee, io.BytesIO(image_bytes()))


# --- tenancy and integrity --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_companys_photo_is_a_404_and_audited_for_it(
    admin_client, other_admin_client, other_company, private_storage
):
    theirs = make_employee(other_company, name="Anden Ansat")
    assert upload(other_admin_client, theirs, image_bytes()).status_code == 302
    for name in ("photo", "photo_edit", "photo_remove"):
        url = reverse(f"portal:employees:{name}", args=[theirs.pk])
        assert admin_client.get(url).status_code == 404
        assert admin_client.post(url).status_code == 404
    assert stored_name(theirs) and files_of(private_storage, other_company)
    assert (
        AuditEvent.objects.filter(
            company_id=other_company.pk, action=Action.CROSS_COMPANY_DENIED, outcome=Outcome.DENIED
        ).count()
        == 6
    )


@pytest.mark.django_db
def test_a_photo_file_moved_to_another_employee_does_not_decrypt(company, admin_client, employee):
    upload(admin_client, employee, image_bytes())
    colleague = make_employee(company, name="Kollega")
    Employee.unscoped.filter(pk=colleague.pk).update(photo_storage_name=stored_name(employee))
    response, body = served(admin_client, colleague)
    assert response.status_code == 503 and response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_the_list_loads_no_photo(company, admin_client):
    staff = [make_employee(company, name=f"Ansat {i}") for i in range(3)]

    def list_queries():
        cache.clear()  # the list snapshot is built afresh both times
        with CaptureQueriesContext(connection) as queries:
            page = admin_client.get(reverse("portal:employees:list"))
        assert "/photo/" not in page.content.decode()
        return len(queries)

    list_queries()  # per-process caches (the company's data key) filled
    without = list_queries()
    for person in staff:
        upload(admin_client, person, image_bytes())
    assert list_queries() == without


# --- data-subject rights ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_access_export_contains_the_photo(company, admin_client, employee):
    upload(admin_client, employee, image_bytes("PNG", (64, 64), "RGBA", (9, 9, 9, 9)))
    _response, body = served(admin_client, employee)
    with company_scope(company):
        data, summary = build_export(Employee.objects.get(pk=employee.pk))
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.read("documents/photo.png") == body
    assert summary["files"] == 1
    assert "photo_storage_name" not in archive.read("data.json").decode()  # a storage key is nobody's data


@pytest.mark.django_db
def test_erasure_deletes_the_photo_file(company, admin_client, employee, private_storage):
    colleague = make_employee(company, name="Kollega")
    upload(admin_client, colleague, image_bytes())
    kept = files_of(private_storage, company)
    upload(admin_client, employee, jpeg_with_gps())
    assert len(files_of(private_storage, company)) == 2
    with company_scope(company):
        result = erase_employee(Employee.objects.get(pk=employee.pk))
    assert result.files == 1
    assert files_of(private_storage, company) == kept


@pytest.mark.django_db
def test_company_deletion_deletes_the_photos(company, other_company, admin_client, employee, private_storage):
    upload(admin_client, employee, image_bytes())
    theirs = make_employee(other_company)
    with company_scope(other_company):
        photos.set_photo(theirs, io.BytesIO(image_bytes()))
    result = delete_company(company)
    assert result.files == 1
    assert files_of(private_storage, company) == []
    assert len(files_of(private_storage, other_company)) == 1
