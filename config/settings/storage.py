"""PRIVATE_STORAGE_URL as django-storages' S3 backend options."""
from urllib.parse import parse_qs, unquote, urlsplit


def s3_storage(url: str, *, expire: int) -> dict:
    """``s3://KEY:SECRET@host[:port]/bucket?region=…&scheme=http|https&addressing=path|virtual``."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname or not parts.path.strip("/"):
        raise ValueError("PRIVATE_STORAGE_URL should look like s3://KEY:SECRET@host:port/bucket")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    scheme = query.get("scheme", "https")
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "access_key": unquote(parts.username or ""),
            "secret_key": unquote(parts.password or ""),
            "bucket_name": parts.path.strip("/"),
            "endpoint_url": f"{scheme}://{host}",
            "region_name": query.get("region", "us-east-1"),
            "addressing_style": query.get("addressing", "path"),
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,  # every URL is signed ...
            "querystring_expire": expire,  # ... and short-lived
            "file_overwrite": False,  # a name already taken gets a new one: nothing is replaced
            "custom_domain": None,
        },
    }
