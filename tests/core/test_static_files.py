"""Production's static storage works each file's hashed address out once per process."""
import json

import pytest

from core.static_files import KeptAddressesStaticFilesStorage


def _storage(tmp_path) -> KeptAddressesStaticFilesStorage:
    (tmp_path / "staticfiles.json").write_text(json.dumps(
        {"version": "1.1", "hash": "x", "paths": {"css/portal.css": "css/portal.1a2b3c.css"}}))
    return KeptAddressesStaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_an_address_is_the_manifests_hashed_file_and_is_kept_after_its_first_use(tmp_path, settings):
    settings.DEBUG = False
    storage = _storage(tmp_path)
    assert storage.url("css/portal.css") == "/static/css/portal.1a2b3c.css"
    storage.hashed_files["css/portal.css"] = "css/portal.changed.css"  # never happens while a process runs
    assert storage.url("css/portal.css") == "/static/css/portal.1a2b3c.css"  # kept, not worked out again
    assert storage.url("css/portal.css", force=True) == "/static/css/portal.changed.css"  # collectstatic's way


def test_a_file_missing_from_the_manifest_is_refused_every_time(tmp_path, settings):
    settings.DEBUG = False
    storage = _storage(tmp_path)
    for _ in range(2):  # a refusal is not kept as an address
        with pytest.raises(ValueError, match="css/missing.css"):
            storage.url("css/missing.css")
