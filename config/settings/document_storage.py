"""Where production keeps the encrypted HR documents: an S3-compatible bucket when DOCUMENTS_S3_BUCKET is set.

Kept apart from production.py so a test can build the storage from a given environment without the
production secrets. The files are ciphertext before they reach the bucket (hrportal/documents/storage.py)
and are only ever served through portal views, never by a bucket URL, so the objects get no ACL of their
own (the bucket's policy applies) and no signed URLs matter. Names are random and never reused: a save
that met an existing name must not overwrite another document's file.
"""

S3_BACKEND = "storages.backends.s3.S3Storage"


def documents_storage_from_env(env) -> dict | None:
    """The STORAGES["documents"] entry for the environment, or None for the local folder (the default)."""
    bucket = env.str("DOCUMENTS_S3_BUCKET", default="").strip()
    if not bucket:
        return None
    options = {
        "bucket_name": bucket,
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": False,
        "location": env.str("DOCUMENTS_S3_PREFIX", default="").strip().strip("/"),
    }
    optional = {
        "endpoint_url": "DOCUMENTS_S3_ENDPOINT_URL",
        "region_name": "DOCUMENTS_S3_REGION",
        # Without keys, boto3's own chain applies (instance role, AWS_* variables, ~/.aws).
        "access_key": "DOCUMENTS_S3_ACCESS_KEY_ID",
        "secret_key": "DOCUMENTS_S3_SECRET_ACCESS_KEY",
    }
    for option, variable in optional.items():
        value = env.str(variable, default="").strip()
        if value:
            options[option] = value
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
