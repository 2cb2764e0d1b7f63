"""Verify the DKIM signatures of one message with dkimpy, an implementation independent of
the one that signs. Usage:

    dkim_verify.py MESSAGE.eml SELECTOR=RECORD [SELECTOR=RECORD ...]

Each RECORD stands in for the DNS TXT record at SELECTOR._domainkey.<d=>, e.g.
`s1=v=DKIM1; k=rsa; p=MIIB...`. Every DKIM-Signature in the message must verify; prints one
line per signature ("verified a=... s=...") and exits 0 when all do."""
import re
import sys

import dkim


def main() -> int:
    message = open(sys.argv[1], "rb").read()
    records = {}
    for pair in sys.argv[2:]:
        selector, record = pair.split("=", 1)
        records[selector.encode()] = record.encode()

    def dns(name, timeout=5):
        return records.get(name.split(b".")[0])

    signatures = len(re.findall(rb"^DKIM-Signature:", message, re.M | re.I))
    if signatures == 0:
        print("no DKIM-Signature")
        return 1
    verifier = dkim.DKIM(message)
    ok = True
    for index in range(signatures):
        verified = verifier.verify(idx=index, dnsfunc=dns)
        tags = verifier.signature_fields or {}
        print(("verified" if verified else "does NOT verify"),
              b"a=" + tags.get(b"a", b"?"), b"s=" + tags.get(b"s", b"?"))
        ok = ok and verified
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
