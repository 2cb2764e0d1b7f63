//! Tokens in links. One-time tokens (confirmation, login): 256 random bits in the URL, only
//! their SHA-256 hash in the database. Reader links (unsubscribe, the reader's own page):
//! stateless, signed with a key only this service holds (HMAC-SHA256) over the reader, the
//! digest and the reader's own random secret, so a link dies with its reader.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Bytes of HMAC kept in a reader link: 128 bits is far beyond guessing.
const MAC_LEN: usize = 16;
/// Reader ids and digest ids, big-endian.
const IDS_LEN: usize = 16;
/// The first byte of a link that folds in the reader's secret; links from before it are
/// `IDS_LEN + MAC_LEN` bytes with no version byte.
const VERSION: u8 = 1;

/// What a reader link claims, before anything is checked against the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderLink {
    pub subscriber_id: i64,
    pub digest_id: i64,
    /// Made before readers had a secret: signed over the ids alone, so it names a reader
    /// only together with a record that they got that digest (`unsubscribe::resolve`).
    pub legacy: bool,
    payload: Vec<u8>,
    tag: Vec<u8>,
}

/// The link token for a reader and a digest (0: from no digest).
pub fn sign_reader_link(key: &[u8], subscriber_id: i64, digest_id: i64, secret: &str) -> String {
    let mut payload = Vec::with_capacity(1 + IDS_LEN + MAC_LEN);
    payload.push(VERSION);
    payload.extend_from_slice(&subscriber_id.to_be_bytes());
    payload.extend_from_slice(&digest_id.to_be_bytes());
    let tag = reader_mac(key, &payload, Some(secret))
        .finalize()
        .into_bytes();
    payload.extend_from_slice(&tag[..MAC_LEN]);
    URL_SAFE_NO_PAD.encode(payload)
}

/// Splits a token into its claims; `None` when it cannot be a reader link at all.
pub fn parse_reader_link(token: &str) -> Option<ReaderLink> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    let (legacy, ids_at) = match bytes.len() {
        n if n == 1 + IDS_LEN + MAC_LEN && bytes[0] == VERSION => (false, 1),
        n if n == IDS_LEN + MAC_LEN => (true, 0),
        _ => return None,
    };
    let (payload, tag) = bytes.split_at(ids_at + IDS_LEN);
    let ids = &payload[ids_at..];
    Some(ReaderLink {
        subscriber_id: i64::from_be_bytes(ids[..8].try_into().ok()?),
        digest_id: i64::from_be_bytes(ids[8..].try_into().ok()?),
        legacy,
        payload: payload.to_vec(),
        tag: tag.to_vec(),
    })
}

impl ReaderLink {
    /// True when this service signed the link for the reader holding `secret`.
    pub fn verify(&self, key: &[u8], secret: &str) -> bool {
        reader_mac(key, &self.payload, (!self.legacy).then_some(secret))
            .verify_truncated_left(&self.tag)
            .is_ok()
    }
}

/// Hex digits of HMAC in a return-path token: 64 bits, short enough for a local part, and
/// forging one only lets a stranger report a bounce that the reader's mail server could.
const RETURN_PATH_MAC_HEX: usize = 16;

/// The VERP token for a digest sent to a reader, e.g. `12.345.0f3a9c2e7d1b4a60`: lower case
/// digits and hex only, since mail servers may change the case of a local part.
pub fn sign_return_path(key: &[u8], digest_id: i64, subscriber_id: i64) -> String {
    let ids = format!("{digest_id}.{subscriber_id}");
    let tag = hex::encode(return_path_mac(key, &ids).finalize().into_bytes());
    format!("{ids}.{}", &tag[..RETURN_PATH_MAC_HEX])
}

/// The digest and reader a return-path token names, when this service signed it.
pub fn verify_return_path(key: &[u8], token: &str) -> Option<(i64, i64)> {
    let token = token.to_ascii_lowercase();
    let (ids, tag) = token.rsplit_once('.')?;
    let (digest, reader) = ids.split_once('.')?;
    let ids_parsed = (digest.parse().ok()?, reader.parse().ok()?);
    if tag.len() != RETURN_PATH_MAC_HEX {
        return None;
    }
    return_path_mac(key, ids)
        .verify_truncated_left(&hex::decode(tag).ok()?)
        .ok()?;
    Some(ids_parsed)
}

fn return_path_mac(key: &[u8], ids: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"return-path:");
    mac.update(ids.as_bytes());
    mac
}

fn reader_mac(key: &[u8], payload: &[u8], secret: Option<&str>) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(payload);
    if let Some(secret) = secret {
        mac.update(secret.as_bytes());
    }
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_256_bits_and_differ() {
        let (a, b) = (generate(), generate());
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), 32);
        assert_ne!(a, b);
        assert_ne!(hash(&a), hash(&b));
        assert_eq!(hash(&a).len(), 64);
    }

    #[test]
    fn a_return_path_token_names_its_digest_and_reader_only_unaltered() {
        let key = [3u8; 32];
        let token = sign_return_path(&key, 12, 345);
        assert!(token.starts_with("12.345."), "{token}");
        assert_eq!(verify_return_path(&key, &token), Some((12, 345)));
        assert_eq!(
            verify_return_path(&key, &token.to_uppercase()),
            Some((12, 345))
        );
        assert_eq!(verify_return_path(&[4u8; 32], &token), None);
        let forged = token.replacen("12.345", "12.346", 1);
        assert_eq!(verify_return_path(&key, &forged), None);
        assert_eq!(verify_return_path(&key, "12.345"), None);
        assert_eq!(verify_return_path(&key, "12.345.zz"), None);
    }

    #[test]
    fn a_reader_link_verifies_only_with_its_key_and_its_readers_secret() {
        let key = [7u8; 32];
        let token = sign_reader_link(&key, 42, 9, "secret-of-42");
        let link = parse_reader_link(&token).unwrap();

        assert_eq!((link.subscriber_id, link.digest_id), (42, 9));
        assert!(!link.legacy);
        assert!(link.verify(&key, "secret-of-42"));
        assert!(!link.verify(&key, "secret-of-the-next-reader"));
        assert!(!link.verify(&[8u8; 32], "secret-of-42"), "another key");
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        bytes[8] = 43; // someone else's id, same tag
        let swapped = parse_reader_link(&URL_SAFE_NO_PAD.encode(bytes)).unwrap();
        assert!(!swapped.verify(&key, "secret-of-42"));
        assert_eq!(parse_reader_link("preview"), None);
    }

    #[test]
    fn links_signed_before_readers_had_secrets_still_parse_and_verify() {
        let key = [7u8; 32];
        let mut payload = [42i64.to_be_bytes(), 9i64.to_be_bytes()].concat();
        let tag = reader_mac(&key, &payload, None).finalize().into_bytes();
        payload.extend_from_slice(&tag[..MAC_LEN]);
        let link = parse_reader_link(&URL_SAFE_NO_PAD.encode(payload)).unwrap();

        assert!(link.legacy);
        assert!(link.verify(&key, "whatever the reader's secret"));
        assert!(!link.verify(&[8u8; 32], "whatever the reader's secret"));
    }
}
