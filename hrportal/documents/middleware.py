"""Every request runs inside `storage.files_removed_on_rollback()`.

The view's transaction (ATOMIC_REQUESTS) is inside this middleware, so when the block ends the request's
transaction has committed or rolled back: an encrypted file stored by a request that then failed (after
the upload was stored, or after completion stored the signed PDF) is deleted instead of left with no row.
"""

from hrportal.documents import storage


class StoredFilesCleanupMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with storage.files_removed_on_rollback():
            return self.get_response(request)
