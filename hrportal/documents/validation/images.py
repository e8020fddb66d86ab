"""PNG and JPEG uploads: checked and re-encoded by Pillow, so only pixels are stored.

Re-encoding drops whatever else an image file carries: metadata such as GPS positions of a photo taken at
home, and bytes after the image data that another program might read as something else.
"""

import tempfile

from django.utils.translation import gettext_lazy as _

from hrportal.documents.validation.common import JPEG, PNG, RejectedUpload

MAX_IMAGE_PIXELS = 60_000_000


def reencode_image(fileobj, content_type: str):
    """Check the image with Pillow and return a re-encoded copy (a temporary file at position 0)."""
    from PIL import Image, UnidentifiedImageError

    expected = {PNG: "PNG", JPEG: "JPEG"}[content_type]
    bad = RejectedUpload("image_invalid", _("The image could not be read. Is the file damaged?"))
    try:
        fileobj.seek(0)
        with Image.open(fileobj) as probe:
            if probe.format != expected:
                raise bad
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise RejectedUpload("image_too_large", _("The image has too many pixels."))
            probe.verify()
        fileobj.seek(0)
        with Image.open(fileobj) as image:
            image.load()
            out = tempfile.TemporaryFile()  # noqa: SIM115 - returned to the caller
            icc = image.info.get("icc_profile")
            if expected == "JPEG":
                if image.mode not in ("RGB", "L", "CMYK"):
                    image = image.convert("RGB")
                image.save(out, "JPEG", quality=95, icc_profile=icc)
            else:
                image.save(out, "PNG", icc_profile=icc)
    except RejectedUpload:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise bad from exc
    finally:
        fileobj.seek(0)
    out.seek(0, 2)
    size = out.tell()
    out.seek(0)
    return out, size
