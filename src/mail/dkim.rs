//! DKIM signatures (RFC 6376), relaxed/relaxed, over the headers that matter: RSA-SHA256
//! always, and Ed25519-SHA256 (RFC 8463) beside it when a second key is set, so receivers
//! that understand Ed25519 check that one and the rest fall back to RSA. mail-auth does the
//! canonicalisation and signs through ring.

use anyhow::Context;
use mail_auth::common::crypto::{Ed25519Key, RsaKey, Sha256, SigningKey};
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::{Canonicalization, DkimSigner, Done};
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject;

use crate::config::DkimSettings;

/// What a signature covers: From, To, Subject, Date, Message-ID and the List-* headers, so
/// that nobody can swap the unsubscribe target.
pub const SIGNED_HEADERS: [&str; 8] = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];

const RSA_FORMATS: &str = "expected an RSA private key in PEM, PKCS#8 (`BEGIN PRIVATE KEY`, \
    as `openssl genrsa` writes it) or PKCS#1 (`BEGIN RSA PRIVATE KEY`)";
const ED25519_FORMATS: &str = "expected an Ed25519 private key in PKCS#8 PEM (`BEGIN PRIVATE \
    KEY`, as `openssl genpkey -algorithm ed25519` writes it)";

pub struct Signer {
    rsa: DkimSigner<RsaKey<Sha256>, Done>,
    ed25519: Option<DkimSigner<Ed25519Key, Done>>,
}

impl Signer {
    /// `None` when signing is off (`dkim.domain` empty).
    pub fn from_settings(settings: &DkimSettings) -> anyhow::Result<Option<Signer>> {
        if !settings.is_enabled() {
            return Ok(None);
        }
        let rsa_pem = read(&settings.private_key_path, "dkim.private_key_path")?;
        let rsa = rsa_key(&rsa_pem)
            .map_err(|e| anyhow::anyhow!("dkim.private_key_path: {RSA_FORMATS}: {e}"))?;
        let ed25519 = if settings.ed25519_private_key_path.as_os_str().is_empty() {
            None
        } else {
            let pem = read(
                &settings.ed25519_private_key_path,
                "dkim.ed25519_private_key_path",
            )?;
            let key = ed25519_key(&pem).map_err(|e| {
                anyhow::anyhow!("dkim.ed25519_private_key_path: {ED25519_FORMATS}: {e}")
            })?;
            Some(signer(key, &settings.domain, &settings.ed25519_selector))
        };
        Ok(Some(Signer {
            rsa: signer(rsa, &settings.domain, &settings.selector),
            ed25519,
        }))
    }

    /// The `DKIM-Signature` header lines to put in front of `message` (Ed25519 first, as
    /// receivers try the topmost signature first).
    pub fn sign(&self, message: &[u8]) -> anyhow::Result<Vec<u8>> {
        let mut headers = Vec::with_capacity(1024);
        if let Some(ed25519) = &self.ed25519 {
            let signature = ed25519.sign(message).context("Ed25519 DKIM signature")?;
            signature.write_header(&mut headers);
        }
        let signature = self.rsa.sign(message).context("RSA DKIM signature")?;
        signature.write_header(&mut headers);
        Ok(headers)
    }
}

/// The public halves of the configured keys, as DKIM records publish them: the RSA key as a
/// PKCS#1 RSAPublicKey (an SPKI record ends with exactly these bytes), the Ed25519 key raw.
pub struct PublicKeys {
    pub rsa: Vec<u8>,
    pub ed25519: Option<Vec<u8>>,
}

pub fn public_keys(settings: &DkimSettings) -> anyhow::Result<Option<PublicKeys>> {
    use ring::signature::{Ed25519KeyPair, KeyPair, RsaKeyPair};
    if !settings.is_enabled() {
        return Ok(None);
    }
    let pem = read(&settings.private_key_path, "dkim.private_key_path")?;
    let rsa = match private_key_der(&pem)? {
        PrivateKeyDer::Pkcs1(der) => RsaKeyPair::from_der(der.secret_pkcs1_der()),
        PrivateKeyDer::Pkcs8(der) => RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()),
        _ => anyhow::bail!("dkim.private_key_path: not an RSA key"),
    }
    .map_err(|e| anyhow::anyhow!("dkim.private_key_path: {e}"))?;
    let ed25519 = if settings.ed25519_private_key_path.as_os_str().is_empty() {
        None
    } else {
        let pem = read(
            &settings.ed25519_private_key_path,
            "dkim.ed25519_private_key_path",
        )?;
        let PrivateKeyDer::Pkcs8(der) = private_key_der(&pem)? else {
            anyhow::bail!("dkim.ed25519_private_key_path: not a PKCS#8 key");
        };
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der.secret_pkcs8_der())
            .map_err(|e| anyhow::anyhow!("dkim.ed25519_private_key_path: {e}"))?;
        Some(pair.public_key().as_ref().to_vec())
    };
    Ok(Some(PublicKeys {
        rsa: rsa.public().as_ref().to_vec(),
        ed25519,
    }))
}

fn signer<K: SigningKey>(key: K, domain: &str, selector: &str) -> DkimSigner<K, Done> {
    DkimSigner::from_key(key)
        .domain(domain)
        .selector(selector)
        .headers(SIGNED_HEADERS)
        .header_canonicalization(Canonicalization::Relaxed)
        .body_canonicalization(Canonicalization::Relaxed)
}

fn read(path: &std::path::Path, key: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("{key}: reading {}", path.display()))
}

fn rsa_key(pem: &str) -> anyhow::Result<RsaKey<Sha256>> {
    Ok(RsaKey::from_key_der(private_key_der(pem)?)?)
}

fn ed25519_key(pem: &str) -> anyhow::Result<Ed25519Key> {
    match private_key_der(pem)? {
        PrivateKeyDer::Pkcs8(der) => Ok(Ed25519Key::from_pkcs8_maybe_unchecked_der(
            der.secret_pkcs8_der(),
        )?),
        _ => anyhow::bail!("not a PKCS#8 key"),
    }
}

/// The first private key in a PEM file, whichever its format.
fn private_key_der(pem: &str) -> anyhow::Result<PrivateKeyDer<'static>> {
    PrivateKeyDer::from_pem_slice(pem.as_bytes()).map_err(|e| anyhow::anyhow!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_other_formats_are_refused_naming_the_formats_that_work() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk.pem");
        std::fs::write(
            &junk,
            "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
        )
        .unwrap();
        let mut settings = DkimSettings {
            domain: "news.example".into(),
            selector: "s1".into(),
            private_key_path: junk.clone(),
            ..DkimSettings::default()
        };

        let said = Signer::from_settings(&settings).err().unwrap().to_string();
        assert!(said.contains("dkim.private_key_path"), "{said}");
        assert!(said.contains("PKCS#8") && said.contains("PKCS#1"), "{said}");

        settings.private_key_path = std::path::PathBuf::from("/nonexistent/key.pem");
        let said = format!("{:#}", Signer::from_settings(&settings).err().unwrap());
        assert!(
            said.contains("dkim.private_key_path: reading /nonexistent/key.pem"),
            "{said}"
        );
    }
}
