"""Checks a Standard Webhooks signature without Tracker's code or the StandardWebhooks package.

Usage: verify_signature.py SECRET MSG_ID TIMESTAMP SIGNATURE_HEADER < body
Prints "valid" and exits 0 when one v1 signature of the header is the base64 HMAC-SHA256 of
"{id}.{timestamp}.{body}" keyed by the base64-decoded part of SECRET after "whsec_".
"""
import base64
import hashlib
import hmac
import sys

secret, msg_id, timestamp, header = sys.argv[1:5]
body = sys.stdin.buffer.read()
key = base64.b64decode(secret.removeprefix("whsec_"))
signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
for candidate in header.split(" "):
    version, _, signature = candidate.partition(",")
    if version == "v1" and hmac.compare_digest(signature, expected):
        print("valid")
        sys.exit(0)
print("invalid: expected v1," + expected)
sys.exit(1)
