## Emails: confirmation, welcome, digest, data export.
