"""The optional employee photo: accepted by content, re-encoded, stored encrypted, served by a portal view.

Checking (`reencode`): the upload must be a JPEG, PNG or WebP image as Pillow reads it, whatever its name or
declared type, at most `max_bytes()` large and at most `max_pixels()` pixels. The pixel count is read from
the header before any pixel is decoded, so a decompression bomb (a small file declaring a huge image) is
refused without being unpacked; Pillow's own DecompressionBombWarning and DecompressionBombError refuse it
too.

Re-encoding: the image is decoded, turned upright (EXIF orientation), scaled down to at most MAX_SIDE pixels
and encoded again from its bare pixels: JPEG, or PNG when it has transparency. Nothing else of the upload is
kept: no byte of the original, none of its metadata (EXIF with camera and GPS position, XMP, ICC profile,
comments, text chunks), no further frames.

Storage: the re-encoded image is encrypted with the company's data key into the document storage
(`hrportal.documents.storage`: the company's folder, a random name), with associated data binding it to the
company, the employee's uuid and "photo" (`Employee.photo_aad()`); the name is kept in
`Employee.photo_storage_name`. A replaced or removed photo's file is deleted once the change is committed.

Privacy (hooks registered in `EmployeesConfig.ready()`): the photo is part of the access export and is deleted
on erasure, and so by the retention sweep and company deletion (which also empties the company's folder).
While the employee's processing is restricted (GDPR art. 18) the photo stays as it is: no new one, no removal.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from hrportal.documents import storage
from hrportal.documents.validation import JPEG, PNG, RejectedUpload, check_size, sniff
from hrportal.employees.models import Employee
from hrportal.encryption.keyring import DecryptionError
from hrportal.privacy import hooks
from hrportal.privacy.restriction import ensure_not_restricted
from hrportal.tenancy import require_scope_of

MAX_SIDE = 512  # pixels: the longer side of the stored image
JPEG_QUALITY = 85
# The readers Pillow may try on an upload; "MPO" is its name for a JPEG with extra pictures (phone cameras).
READERS = ("JPEG", "PNG", "WEBP")
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
EXTENSIONS = {JPEG: "jpg", PNG: "png"}  # what is stored: only ever re-encoded JPEG or PNG


def max_bytes() -> int:
    return int(settings.EMPLOYEE_PHOTO_MAX_BYTES)


def max_pixels() -> int:
    return int(settings.EMPLOYEE_PHOTO_MAX_PIXELS)


@dataclass(frozen=True)
class Photo:
    data: bytes
    content_type: str
    width: int
    height: int


# --- Checking and re-encoding ---------------------------------------------------------------------------


def _upright(image):
    from PIL import ImageOps

    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # unreadable EXIF: keep the orientation as stored (the EXIF goes anyway)
        return image


def _bare_pixels(image):
    """The image scaled down, as RGB (RGBA when it has transparency), in a new image without any metadata."""
    from PIL import Image

    has_alpha = image.mode in ("RGBA", "RGBa", "LA", "La", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _encode(image) -> Photo:
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, "PNG", optimize=True)
        content_type = PNG
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        content_type = JPEG
    return Photo(out.getvalue(), content_type, image.width, image.height)


def reencode(uploaded) -> Photo:
    """Check an uploaded photo and re-encode it (see the module docstring). Raises RejectedUpload."""
    from PIL import Image, UnidentifiedImageError

    check_size(uploaded, max_bytes())
    unsupported = RejectedUpload(
        "unsupported_type",
        _("Only JPEG, PNG and WebP images can be used as a photo. The file's content is none of these."),
    )
    too_many_pixels = RejectedUpload(
        "image_too_large",
        _("The image has too many pixels (at most %(megapixels)d megapixels).")
        % {"megapixels": max_pixels() // 1_000_000},
    )
    try:
        uploaded.seek(0)
        # Pillow warns when an image declares very many pixels (and refuses at twice as many): refuse at the
        # warning already. catch_warnings changes process-wide state for the moment; the workers are not
        # threaded (site/deploy/gunicorn.conf.py).
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded, formats=READERS) as image:
                if image.format not in ACCEPTED_FORMATS:
                    raise unsupported
                if image.width * image.height > max_pixels():
                    raise too_many_pixels
                image.draft(None, (MAX_SIDE, MAX_SIDE))  # JPEG: decode at 1/2 to 1/8 scale when enough
                image.load()
                clean = _bare_pixels(_upright(image))
    except RejectedUpload:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_many_pixels from exc
    except UnidentifiedImageError as exc:
        raise unsupported from exc
    except Exception as exc:  # whatever Pillow trips on, the file is refused (fail closed)
        raise RejectedUpload("image_invalid", _("The photo could not be read. Is the file damaged?")) from exc
    finally:
        uploaded.seek(0)
    return _encode(clean)


# --- Storing, replacing, removing, opening --------------------------------------------------------------


def _committed_storage_name(employee) -> str:
    """The employee's photo key as in the database, the row locked until the transaction ends."""
    name = (
        Employee.objects.select_for_update()
        .filter(pk=employee.pk)
        .values_list("photo_storage_name", flat=True)
        .first()
    )
    return name or ""


def _point_at(employee, new_name: str) -> str:
    """Save `new_name` ("" for none) as the employee's photo; the previous file goes once this is committed.
    Returns the previous name."""
    with transaction.atomic():
        old = _committed_storage_name(employee)
        employee.photo_storage_name = new_name
        employee.save(update_fields=["photo_storage_name", "updated_at"])
        if old:
            transaction.on_commit(lambda: storage.delete_quietly(old))
    return old


def set_photo(employee, uploaded) -> str:
    """Check, re-encode and store `uploaded` as the employee's photo; "added" or "replaced".

    Raises RejectedUpload (a bad file: nothing stored) or ProcessingRestricted (nothing read or stored)."""
    ensure_not_restricted(employee, "photo")
    photo = reencode(uploaded)
    name, _sha256, _size = storage.store_encrypted(
        employee.company_id, io.BytesIO(photo.data), employee.photo_aad()
    )
    try:
        old = _point_at(employee, name)
    except BaseException:
        storage.delete_quietly(name)
        raise
    return "replaced" if old else "added"


def remove_photo(employee) -> bool:
    """Remove the employee's photo (the file goes on commit). False when there was none."""
    ensure_not_restricted(employee, "photo")
    return bool(employee.photo_storage_name) and bool(_point_at(employee, ""))


def open_photo(employee):
    """(plaintext temporary file at position 0, content type) of the photo, decrypted and authenticated."""
    fileobj = storage.decrypt_to_tempfile(
        employee.company_id, employee.photo_storage_name, employee.photo_aad()
    )
    content_type = sniff(fileobj.read(16))
    fileobj.seek(0)
    if content_type not in EXTENSIONS:
        fileobj.close()
        raise DecryptionError("The stored photo is not a re-encoded JPEG or PNG image")
    return fileobj, content_type


def filename(content_type: str) -> str:
    return f"photo.{EXTENSIONS[content_type]}"


# --- Data-subject rights (hrportal.privacy.hooks) ---------------------------------------------------------


def export_files(employee):
    """The photo in the access export, decrypted: ("photo.jpg" or "photo.png", bytes)."""
    if not employee.photo_storage_name:
        return
    fileobj, content_type = open_photo(employee)
    with fileobj:
        yield filename(content_type), fileobj.read()


def erase_photo(employee) -> int:
    """Delete the employee's photo file at once, not on commit: see hrportal/documents/privacy.py for why.
    The row is locked, so an upload cannot slip in a new photo before the erasure commits (no savepoint:
    inside the erasure's transaction the lock lasts to its end anyway)."""
    with transaction.atomic(savepoint=False):
        name = _committed_storage_name(employee)
    if not name:
        return 0
    storage.delete_quietly(name)
    return 1


def photo_file_names(company_id):
    """Storage names of the company's employee photos (the retention sweep keeps these files)."""
    require_scope_of(company_id)
    return Employee.objects.values_list("photo_storage_name", flat=True)


def register():
    hooks.register_employee_files(export_files)
    hooks.register_employee_erasure(erase_photo)
    hooks.register_stored_file_references(photo_file_names)
    # Company deletion needs no hook of its own: the documents module empties the company's storage folder.
