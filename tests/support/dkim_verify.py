"""Verify the DKIM signature of one message with dkimpy, an implementation independent of
lettre's. Usage: dkim_verify.py MESSAGE.eml PUBLIC_KEY_BASE64. The public key stands in for
the DNS TXT record; prints "verified" and exits 0 when the signature holds."""
import sys

import dkim


def main() -> int:
    message = open(sys.argv[1], "rb").read()
    record = b"v=DKIM1; k=rsa; p=" + sys.argv[2].encode()
    ok = dkim.verify(message, dnsfunc=lambda name, timeout=5: record)
    print("verified" if ok else "signature does NOT verify")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
