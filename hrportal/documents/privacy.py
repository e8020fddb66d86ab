"""The documents module's part in data-subject rights: its files in the access export, and their erasure.

The registry (`hrportal.privacy.registry`) covers the documents' personal fields; the files are not fields
(they live encrypted in the document storage), so they reach the privacy module through its hooks,
registered in `DocumentsConfig.ready()`:

- access export: every document of the employee, decrypted (the original and, when signed, the signed PDF);
- erasure (also run for every employee when the company is deleted): the stored files, then the rows
  (documents, their signature requests, signers and signatures);
- company deletion: whatever is left under the company's storage folder (an upload interrupted between
  storing the file and saving its row leaves a file no row points at);
- the retention sweep: such orphan files once they are a day old (younger ones may belong to a row whose
  transaction has not committed yet).

Files are deleted at once, not on commit: if the erasure then rolls back, running it again finishes the job
(a missing file is not an error), whereas a committed erasure whose file deletion never ran would leave
an erased person's documents behind.
"""

import contextlib
import datetime

from django.utils import timezone

from hrportal.documents import services, storage
from hrportal.documents.models import Document
from hrportal.privacy import hooks
from hrportal.tenancy import require_scope_of

COPY_CHUNK = 64 * 1024
ORPHAN_AGE = datetime.timedelta(days=1)


def _name(document, signed: bool) -> str:
    # The pk keeps names unique; the download name says what the file is without the (personal) title.
    return f"{document.pk}/{document.download_name(signed=signed)}"


def _chunks(opener, document):
    with opener(document) as plaintext:
        yield from iter(lambda: plaintext.read(COPY_CHUNK), b"")


def employee_files(employee):
    """(name in the zip, plaintext chunks) of each of the employee's files, decrypted and authenticated."""
    for document in Document.objects.filter(employee_id=employee.pk).order_by("pk"):
        yield _name(document, signed=False), _chunks(services.open_original, document)
        if document.signed_storage_name:
            yield _name(document, signed=True), _chunks(services.open_signed, document)


def erase_employee_documents(employee) -> int:
    """Delete the employee's stored files and document rows (cascading to signing). Returns files deleted."""
    documents = Document.objects.filter(employee_id=employee.pk)
    files = 0
    for storage_name, signed_storage_name in documents.values_list("storage_name", "signed_storage_name"):
        for name in (storage_name, signed_storage_name):
            if name:
                storage.delete_quietly(name)
                files += 1
    documents.delete()
    return files


def _company_files(company_id):
    """The storage, the company's folder and the names in it (none when the folder does not exist)."""
    store = storage.document_storage()
    folder = storage.company_folder(company_id)
    try:
        _dirs, names = store.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        names = []
    return store, folder, names


def erase_company_files(company_id) -> int:
    """Delete every file left in the company's storage folder (files of deleted rows are gone already)."""
    store, folder, names = _company_files(company_id)
    for name in names:
        storage.delete_quietly(f"{folder}/{name}")
    with contextlib.suppress(OSError, NotImplementedError):
        store.delete(folder)  # the empty folder (local storage); object stores have no folders
    return len(names)


def document_file_names(company_id):
    """Storage names the company's document rows point at (originals and signed PDFs)."""
    require_scope_of(company_id)
    for original, signed in Document.objects.values_list("storage_name", "signed_storage_name"):
        yield original
        yield signed


def delete_orphan_files(company_id, *, now=None) -> int:
    """Delete files in the company's folder that no row points at and that are older than ORPHAN_AGE.

    The names referenced are read after the folder is listed, so a file whose row commits in between
    is seen as referenced; the age keeps files of transactions still in progress.
    """
    store, folder, names = _company_files(company_id)
    referenced = hooks.stored_file_references(company_id)
    cutoff = (now or timezone.now()) - ORPHAN_AGE
    deleted = 0
    for name in names:
        full = f"{folder}/{name}"
        if full in referenced:
            continue
        try:
            if store.get_modified_time(full) > cutoff:
                continue
        except (*storage.STORAGE_ERRORS, NotImplementedError):
            continue  # gone meanwhile, or no time to judge by: keep it
        storage.delete_quietly(full)
        deleted += 1
    return deleted


def register():
    hooks.register_employee_files(employee_files)
    hooks.register_employee_erasure(erase_employee_documents)
    hooks.register_company_erasure(erase_company_files)
    hooks.register_stored_file_references(document_file_names)
    hooks.register_orphan_file_sweep(delete_orphan_files)
