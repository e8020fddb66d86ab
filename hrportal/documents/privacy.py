"""The documents module's part in data-subject rights: its files in the access export, and their erasure.

The registry (`hrportal.privacy.registry`) covers the documents' personal fields; the files are not fields
(they live encrypted in the document storage), so they reach the privacy module through its hooks,
registered in `DocumentsConfig.ready()`:

- access export: every document of the employee, decrypted (the original and, when signed, the signed PDF);
- erasure (also run for every employee when the company is deleted): the stored files, then the rows
  (documents, their signature requests, signers and signatures);
- company deletion: whatever is left under the company's storage folder (an upload interrupted between
  storing the file and saving its row leaves a file no row points at).

Files are deleted at once, not on commit: if the erasure then rolls back, running it again finishes the job
(a missing file is not an error), whereas a committed erasure whose file deletion never ran would leave
an erased person's documents behind.
"""

import contextlib

from hrportal.documents import services, storage
from hrportal.documents.models import Document
from hrportal.privacy import hooks

COPY_CHUNK = 64 * 1024


def _name(document, signed: bool) -> str:
    # The pk keeps names unique; the download name says what the file is without the (personal) title.
    return f"{document.pk}/{document.download_name(signed=signed)}"


def _chunks(opener, document):
    with opener(document) as plaintext:
        yield from iter(lambda: plaintext.read(COPY_CHUNK), b"")


def employee_files(employee):
    """(name in the zip, plaintext chunks) of each of the employee's files, decrypted and authenticated."""
    for document in Document.unscoped.filter(employee_id=employee.pk).order_by("pk"):
        yield _name(document, signed=False), _chunks(services.open_original, document)
        if document.signed_storage_name:
            yield _name(document, signed=True), _chunks(services.open_signed, document)


def erase_employee_documents(employee) -> int:
    """Delete the employee's stored files and document rows (cascading to signing). Returns files deleted."""
    documents = Document.unscoped.filter(employee_id=employee.pk)
    files = 0
    for storage_name, signed_storage_name in documents.values_list("storage_name", "signed_storage_name"):
        for name in (storage_name, signed_storage_name):
            if name:
                storage.delete_quietly(name)
                files += 1
    documents.delete()
    return files


def erase_company_files(company_id) -> int:
    """Delete every file left in the company's storage folder (files of deleted rows are gone already)."""
    store = storage.document_storage()
    folder = storage.company_folder(company_id)
    try:
        _dirs, names = store.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    for name in names:
        storage.delete_quietly(f"{folder}/{name}")
    with contextlib.suppress(OSError, NotImplementedError):
        store.delete(folder)  # the empty folder (local storage); object stores have no folders
    return len(names)


def register():
    hooks.register_employee_files(employee_files)
    hooks.register_employee_erasure(erase_employee_documents)
    hooks.register_company_erasure(erase_company_files)
