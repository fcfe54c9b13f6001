"""The wire protocol both the 诺诺 client and its sandbox speak: the signature and the codes."""
import base64
import hashlib
import hmac

SUCCESS = "E0000"
SIGNATURE_REFUSED = "070301"


def sign(*, app_secret: str, app_key: str, senid: str, nonce: str, timestamp: str, body: str, path: str) -> str:
    """X-Nuonuo-Sign: base64(HMAC-SHA1) over the request's canonical string. The last three
    parts of the path name it (/open/v1/services reads a=services&l=v1&p=open), and ``body`` is
    the exact body sent, so it must go out byte for byte as it was signed."""
    p, l_, a = [part for part in path.split("/") if part][-3:]
    message = f"a={a}&l={l_}&p={p}&k={app_key}&i={senid}&n={nonce}&t={timestamp}&f={body}"
    return base64.b64encode(hmac.new(app_secret.encode(), message.encode(), hashlib.sha1).digest()).decode()
