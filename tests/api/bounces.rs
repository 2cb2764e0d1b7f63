//! Bounces and complaints after the hand-off: the per-message return path (VERP), each
//! provider's real-format, correctly signed webhook changing the reader once, forged ones
//! refused with 401 and no change, soft bounces counted across digests, and the evidence
//! shown to editors, exported and erased.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::backend_tests;
use crate::helpers::TestApp;

const POSTMARK_SECRET: &str = "postmark-webhook-secret-for-tests";
const MAILGUN_KEY: &str = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";

/// A fixture from `tests/fixtures/webhooks` with its placeholders filled in.
fn fixture(name: &str, values: &[(&str, &str)]) -> String {
    let path = format!(
        "{}/tests/fixtures/webhooks/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut text = std::fs::read_to_string(&path).expect("fixture exists");
    for (key, value) in values {
        text = text.replace(&format!("{{{{{key}}}}}"), value);
    }
    assert!(!text.contains("{{"), "unfilled placeholder in {name}");
    text
}

/// An app that sends only when drained, with every bounce source configured.
async fn app_with_bounces(backend: crate::helpers::Backend, sendgrid_key: &str) -> TestApp {
    let sendgrid_key = sendgrid_key.to_string();
    TestApp::spawn_with(backend, move |s| {
        s.mail.concurrency = 0;
        s.bounces.return_path = Some("bounces@news.example".parse().unwrap());
        s.bounces.webhook_secret = POSTMARK_SECRET.to_string().into();
        s.bounces.mailgun_signing_key = MAILGUN_KEY.to_string().into();
        s.bounces.sendgrid_public_key = sendgrid_key;
        s.bounces.soft_limit = 2;
    })
    .await
}

/// Sends a digest of one new article to every confirmed reader and returns its id.
async fn send_a_digest(app: &TestApp, token: &str, n: usize) -> i64 {
    let url = format!("https://news.example/story-{n}");
    app.add_article(token, &json!({"title": format!("Story {n}"), "url": url}))
        .await;
    let id = app.send_digest(token).await;
    app.drain().await;
    assert_eq!(app.digest_status(token, id).await["status"], "sent");
    id
}

fn message_id(digest_id: i64, subscriber_id: i64) -> String {
    format!("digest-{digest_id}.reader-{subscriber_id}@localhost")
}

async fn post_postmark(app: &TestApp, password: &str, body: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/webhooks/postmark", app.address))
        .basic_auth("postmark", Some(password))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

fn mailgun_body(name: &str, key: &str, timestamp: i64, values: &[(&str, &str)]) -> String {
    let timestamp = timestamp.to_string();
    let unsigned = fixture(
        name,
        &[values, &[("TIMESTAMP", &timestamp), ("SIGNATURE", "")]].concat(),
    );
    let parsed: Value = serde_json::from_str(&unsigned).unwrap();
    let token = parsed["signature"]["token"].as_str().unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(timestamp.as_bytes());
    mac.update(token.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    fixture(
        name,
        &[
            values,
            &[("TIMESTAMP", &timestamp), ("SIGNATURE", &signature)],
        ]
        .concat(),
    )
}

async fn post_json_text(app: &TestApp, path: &str, body: String) -> reqwest::Response {
    app.client
        .post(format!("{}{path}", app.address))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

struct SendgridKey {
    pair: EcdsaKeyPair,
    /// Base64 DER SubjectPublicKeyInfo, as SendGrid's settings page shows it.
    public: String,
}

fn sendgrid_key() -> SendgridKey {
    let rng = SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
    let pair =
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng).unwrap();
    let mut spki = vec![
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08,
        0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    ];
    spki.extend_from_slice(pair.public_key().as_ref());
    SendgridKey {
        pair,
        public: STANDARD.encode(spki),
    }
}

async fn post_sendgrid(
    app: &TestApp,
    key: &SendgridKey,
    body: &str,
    signed_body: &str,
) -> reqwest::Response {
    let timestamp = chrono::Utc::now().timestamp().to_string();
    let signed = format!("{timestamp}{signed_body}");
    let signature = key
        .pair
        .sign(&SystemRandom::new(), signed.as_bytes())
        .unwrap();
    app.client
        .post(format!("{}/webhooks/sendgrid", app.address))
        .header("content-type", "application/json")
        .header(
            "X-Twilio-Email-Event-Webhook-Signature",
            STANDARD.encode(signature.as_ref()),
        )
        .header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

/// A confirmed reader through the real signup (so they have a consent record), on an app
/// that sends only when drained; returns their id.
async fn signed_up(app: &TestApp, email: &str) -> i64 {
    assert_eq!(app.sign_up(email).await.status(), StatusCode::ACCEPTED);
    app.drain().await;
    let mail = app.smtp.messages().pop().expect("a confirmation email");
    let confirmed = app.post_form(&app.confirmation_path(&mail), &[]).await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    app.subscriber_id(email).await.unwrap()
}

const SES_TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:tidings-bounces";

/// A self-signed RSA certificate standing in for Amazon's SNS signing certificate.
struct SnsSigner {
    dir: tempfile::TempDir,
}

impl SnsSigner {
    fn new() -> SnsSigner {
        let dir = tempfile::tempdir().unwrap();
        let made = std::process::Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            ])
            .args(["-subj", "/CN=sns.us-east-1.amazonaws.com"])
            .arg("-keyout")
            .arg(dir.path().join("key.pem"))
            .arg("-out")
            .arg(dir.path().join("cert.pem"))
            .output()
            .expect("openssl is installed");
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        SnsSigner { dir }
    }

    fn certificate(&self) -> std::path::PathBuf {
        self.dir.path().join("cert.pem")
    }

    /// An SNS notification envelope around `message`, signed as SNS signs (version 1:
    /// SHA1, version 2: SHA256).
    /// `text` signed with the certificate's key, base64, as SNS signs (version 1: SHA1,
    /// version 2: SHA256).
    fn sign(&self, text: &str, version: u8) -> String {
        let path = self.dir.path().join("signed.txt");
        std::fs::write(&path, text).unwrap();
        let digest = if version == 1 { "-sha1" } else { "-sha256" };
        let signature = std::process::Command::new("openssl")
            .args(["dgst", digest, "-sign"])
            .arg(self.dir.path().join("key.pem"))
            .arg(&path)
            .output()
            .unwrap();
        assert!(signature.status.success());
        STANDARD.encode(&signature.stdout)
    }

    /// An SNS notification envelope around `message`, signed as SNS signs it.
    fn notification(&self, message: &str, topic: &str, version: u8) -> String {
        let message_id = format!("{:x}", rand_id());
        let timestamp = "2026-12-02T00:03:19.532Z";
        let signed = format!(
            "Message\n{message}\nMessageId\n{message_id}\nTimestamp\n{timestamp}\nTopicArn\n{topic}\nType\nNotification\n"
        );
        json!({
            "Type": "Notification",
            "MessageId": message_id,
            "TopicArn": topic,
            "Message": message,
            "Timestamp": timestamp,
            "SignatureVersion": version.to_string(),
            "Signature": self.sign(&signed, version),
            "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem",
            "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:tidings-bounces:0001"
        })
        .to_string()
    }

    /// The message SNS sends first, asking the endpoint to visit `subscribe_url`.
    fn subscription_confirmation(&self, topic: &str, subscribe_url: &str) -> String {
        let (message_id, timestamp, token) = (
            format!("{:x}", rand_id()),
            "2026-12-02T00:00:01.000Z",
            "2336412f37fb687f5d51e6e2425dacbba",
        );
        let message = format!(
            "You have chosen to subscribe to the topic {topic}.\nTo confirm the subscription, visit the SubscribeURL included in this message."
        );
        let signed = format!(
            "Message\n{message}\nMessageId\n{message_id}\nSubscribeURL\n{subscribe_url}\nTimestamp\n{timestamp}\nToken\n{token}\nTopicArn\n{topic}\nType\nSubscriptionConfirmation\n"
        );
        json!({
            "Type": "SubscriptionConfirmation",
            "MessageId": message_id,
            "Token": token,
            "TopicArn": topic,
            "Message": message,
            "SubscribeURL": subscribe_url,
            "Timestamp": timestamp,
            "SignatureVersion": "2",
            "Signature": self.sign(&signed, 2),
            "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem"
        })
        .to_string()
    }
}

fn rand_id() -> u128 {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 16];
    SystemRandom::new().fill(&mut bytes).unwrap();
    u128::from_be_bytes(bytes)
}

async fn bounced_at(app: &TestApp, id: i64) -> Option<i64> {
    sqlx::query_scalar("select bounced_at from subscribers where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn events(app: &TestApp) -> i64 {
    app.count("bounce_events").await
}

backend_tests! {
    async fn each_digest_email_carries_a_signed_return_path_naming_its_digest_and_reader(backend) {
        let app = app_with_bounces(backend, "").await;
        let token = app.api_token().await;
        let reader = signed_up(&app, "ada@example.com").await;
        let confirmation_sender = app.smtp.messages()[0].from.clone();

        let digest = send_a_digest(&app, &token, 1).await;

        let mail = app.smtp.messages().pop().unwrap();
        let (local, domain) = mail.from.rsplit_once('@').unwrap();
        assert_eq!(domain, "news.example", "{}", mail.from);
        let tag = local.strip_prefix("bounces+").expect("a VERP address");
        assert_eq!(
            tidings::token::verify_return_path(&app.state.keys.return_path, tag),
            Some((digest, reader))
        );
        assert_eq!(confirmation_sender, "newsletter@localhost", "only digests use VERP");
        assert_eq!(
            mail.parsed().message_id(),
            Some(message_id(digest, reader).as_str())
        );
    }

    async fn a_postmark_hard_bounce_stops_mail_to_the_reader_once_and_a_wrong_password_changes_nothing(backend) {
        let app = app_with_bounces(backend, "").await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(3).await;
        let digest = send_a_digest(&app, &token, 1).await;
        let reader = app.subscriber_id("reader-2@example.com").await.unwrap();
        let body = fixture("postmark_hard_bounce.json", &[("ID", "4323372036854775807"), ("EMAIL", "Reader-2@Example.com")]);

        let refused = post_postmark(&app, "guessed", &body).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
        let unsigned = app.post_raw("/webhooks/postmark", "application/json", body.clone()).await;
        assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
        assert_eq!((events(&app).await, bounced_at(&app, reader).await), (0, None));

        let accepted = post_postmark(&app, POSTMARK_SECRET, &body).await;
        assert_eq!(accepted.status(), StatusCode::OK);
        assert_eq!(accepted.json::<Value>().await.unwrap()["recorded"], 1);
        let retried = post_postmark(&app, POSTMARK_SECRET, &body).await;
        assert_eq!(retried.json::<Value>().await.unwrap()["duplicates"], 1);

        assert_eq!(events(&app).await, 1);
        assert!(bounced_at(&app, reader).await.is_some());
        let status = app.digest_status(&token, digest).await;
        assert_eq!(status["bounces"]["hard"], 1, "{status}");
        assert!((status["bounces"]["hard_rate"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9);
        assert!(!status["bounces"]["warnings"].as_array().unwrap().is_empty(), "33 % is past 2 %");
        let page = app.editor_page("/editor/digest").await;
        assert!(page.contains("1 hard bounce (33.3 %)") && page.contains("bounced for good"), "{page}");

        let next = send_a_digest(&app, &token, 2).await;
        assert_eq!(app.digest_status(&token, next).await["total"], 2, "no digest to a bounced reader");
        let metrics = app.get("/metrics").await.text().await.unwrap();
        assert!(metrics.contains("tidings_bounces_total{kind=\"hard\"} 1"), "{metrics}");
    }

    async fn a_complaint_unsubscribes_the_reader_with_a_withdrawal_whose_source_is_complaint(backend) {
        let app = app_with_bounces(backend, "").await;
        let token = app.api_token().await;
        let reader = signed_up(&app, "ada@example.com").await;
        let digest = send_a_digest(&app, &token, 1).await;
        let body = fixture("postmark_spam_complaint.json", &[("ID", "42"), ("EMAIL", "ada@example.com")]);

        assert_eq!(post_postmark(&app, POSTMARK_SECRET, &body).await.status(), StatusCode::OK);

        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("unsubscribed"));
        let source = app
            .scalar_text("select source from consent_events where subscriber_id = $1 and event = 'withdrawn'", reader)
            .await;
        assert_eq!(source.as_deref(), Some("complaint"));
        assert_eq!(app.digest_status(&token, digest).await["bounces"]["complaints"], 1);
        let metrics = app.get("/metrics").await.text().await.unwrap();
        assert!(metrics.contains("tidings_complaints_total 1"), "{metrics}");
        // An import cannot bring them back.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("list.csv");
        std::fs::write(&file, "email\nada@example.com\n").unwrap();
        let import = app.cli(&["subscribers", "import", file.to_str().unwrap(), "--confirmed"]).await;
        assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
        assert_eq!(app.subscriber_status("ada@example.com").await.as_deref(), Some("unsubscribed"));
    }

    async fn a_signed_mailgun_event_names_its_digest_and_a_forged_or_stale_one_gets_401(backend) {
        let app = app_with_bounces(backend, "").await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(2).await;
        let first = send_a_digest(&app, &token, 1).await;
        let _second = send_a_digest(&app, &token, 2).await;
        let reader = app.subscriber_id("reader-1@example.com").await.unwrap();
        let values = [("ID", "G9Bn5sl1TC6nu79C8C0bwg"), ("EMAIL", "reader-1@example.com"), ("MESSAGE_ID", &message_id(first, reader))];
        let now = chrono::Utc::now().timestamp();

        let forged = mailgun_body("mailgun_failed_permanent.json", "key-guessed", now, &values);
        assert_eq!(post_json_text(&app, "/webhooks/mailgun", forged).await.status(), StatusCode::UNAUTHORIZED);
        let stale = mailgun_body("mailgun_failed_permanent.json", MAILGUN_KEY, now - 3600, &values);
        assert_eq!(post_json_text(&app, "/webhooks/mailgun", stale).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(events(&app).await, 0);

        let good = mailgun_body("mailgun_failed_permanent.json", MAILGUN_KEY, now, &values);
        assert_eq!(post_json_text(&app, "/webhooks/mailgun", good).await.status(), StatusCode::OK);
        let (digest, code): (Option<i64>, Option<String>) =
            sqlx::query_as("select digest_id, status_code from bounce_events where subscriber_id = $1")
                .bind(reader)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!((digest, code.as_deref()), (Some(first), Some("5.1.1")), "the digest its Message-ID names");
        assert!(bounced_at(&app, reader).await.is_some());

        // A Message-ID naming a digest that does not exist: the event counts, with no digest.
        let made_up = mailgun_body("mailgun_failed_permanent.json", MAILGUN_KEY, now, &[("ID", "made-up-digest"), ("EMAIL", "reader-2@example.com"), ("MESSAGE_ID", &message_id(9999, reader))]);
        assert_eq!(post_json_text(&app, "/webhooks/mailgun", made_up).await.status(), StatusCode::OK);
        assert_eq!(app.scalar_i64("select count(*) from bounce_events where digest_id is null and subscriber_id = $1", reader).await, 1);

        let complaint = mailgun_body("mailgun_complained.json", MAILGUN_KEY, now, &[("ID", "-Agny091SquKnsrW2NEKUA"), ("EMAIL", "reader-2@example.com"), ("MESSAGE_ID", "unrelated@elsewhere")]);
        assert_eq!(post_json_text(&app, "/webhooks/mailgun", complaint).await.status(), StatusCode::OK);
        assert_eq!(app.subscriber_status("reader-2@example.com").await.as_deref(), Some("unsubscribed"));
    }

    async fn a_signed_sendgrid_batch_records_its_bounce_and_an_altered_one_gets_401(backend) {
        let key = sendgrid_key();
        let app = app_with_bounces(backend, &key.public).await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(2).await;
        let digest = send_a_digest(&app, &token, 1).await;
        let reader = app.subscriber_id("reader-1@example.com").await.unwrap();
        let now = chrono::Utc::now().timestamp().to_string();
        let body = fixture("sendgrid_events.json", &[("ID", "ZjYxYjQ3YTMtYjE4"), ("EMAIL", "reader-1@example.com"), ("MESSAGE_ID", &message_id(digest, reader)), ("TIMESTAMP", &now)]);

        let altered = body.replace("reader-1@", "reader-2@");
        assert_eq!(post_sendgrid(&app, &key, &altered, &body).await.status(), StatusCode::UNAUTHORIZED);
        let unsigned = app.post_raw("/webhooks/sendgrid", "application/json", body.clone()).await;
        assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(events(&app).await, 0);

        let accepted = post_sendgrid(&app, &key, &body, &body).await;
        assert_eq!(accepted.status(), StatusCode::OK);
        let tally = accepted.json::<Value>().await.unwrap();
        assert_eq!(tally["recorded"], 1, "the bounce; `processed` is no bounce: {tally}");
        assert!(bounced_at(&app, reader).await.is_some());
        assert_eq!(app.digest_status(&token, digest).await["bounces"]["hard"], 1);

        let spam = fixture("sendgrid_spamreport.json", &[("ID", "c3BhbXJlcG9ydA"), ("EMAIL", "reader-2@example.com"), ("MESSAGE_ID", "x@y"), ("TIMESTAMP", &now)]);
        assert_eq!(post_sendgrid(&app, &key, &spam, &spam).await.status(), StatusCode::OK);
        assert_eq!(app.subscriber_status("reader-2@example.com").await.as_deref(), Some("unsubscribed"));
    }

    async fn an_ses_notification_signed_with_the_sns_certificate_counts_and_a_forged_or_foreign_one_gets_401(backend) {
        let signer = SnsSigner::new();
        let certificate = signer.certificate();
        let app = TestApp::spawn_with(backend, move |s| {
            s.mail.concurrency = 0;
            s.bounces.ses_topic_arn = SES_TOPIC.into();
            s.bounces.ses_certificate_path = certificate;
        })
        .await;
        let token = app.api_token().await;
        app.insert_confirmed_readers(2).await;
        let digest = send_a_digest(&app, &token, 1).await;
        let reader = app.subscriber_id("reader-1@example.com").await.unwrap();
        let bounce = fixture("ses_bounce.json", &[("ID", "0100017-bounce-1"), ("EMAIL", "reader-1@example.com"), ("MESSAGE_ID", &message_id(digest, reader))]);

        let foreign = signer.notification(&bounce, "arn:aws:sns:us-east-1:999999999999:someone-else", 2);
        assert_eq!(app.post_raw("/webhooks/ses", "text/plain", foreign).await.status(), StatusCode::UNAUTHORIZED);
        let forged = signer
            .notification(&bounce, SES_TOPIC, 2)
            .replace("reader-1@example.com", "reader-2@example.com");
        assert_eq!(app.post_raw("/webhooks/ses", "text/plain", forged).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(events(&app).await, 0);

        let signed = signer.notification(&bounce, SES_TOPIC, 2);
        let accepted = app.post_raw("/webhooks/ses", "text/plain", signed).await;
        assert_eq!(accepted.status(), StatusCode::OK);
        assert!(bounced_at(&app, reader).await.is_some());
        assert_eq!(app.digest_status(&token, digest).await["bounces"]["hard"], 1);

        // A signed subscription request is confirmed only on Amazon's own host: this one
        // would have Tidings visit a stranger's URL.
        let elsewhere = signer.subscription_confirmation(SES_TOPIC, "https://confirm.evil.example/?token=1");
        let refused = app.post_raw("/webhooks/ses", "text/plain", elsewhere).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.unwrap().contains("SubscribeURL"));
        let forged = signer
            .subscription_confirmation(SES_TOPIC, "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription")
            .replace("ConfirmSubscription", "ConfirmSubscriptionX");
        assert_eq!(app.post_raw("/webhooks/ses", "text/plain", forged).await.status(), StatusCode::UNAUTHORIZED);

        // SNS's default, SignatureVersion 1 (SHA1), verifies too.
        let complaint = fixture("ses_complaint.json", &[("ID", "0100017-complaint-1"), ("EMAIL", "reader-2@example.com"), ("MESSAGE_ID", "x@y")]);
        let signed = signer.notification(&complaint, SES_TOPIC, 1);
        assert_eq!(app.post_raw("/webhooks/ses", "text/plain", signed).await.status(), StatusCode::OK);
        assert_eq!(app.subscriber_status("reader-2@example.com").await.as_deref(), Some("unsubscribed"));
    }

    async fn soft_bounces_mark_a_reader_bounced_only_on_consecutive_digests(backend) {
        let app = app_with_bounces(backend, "").await;
        let token = app.api_token().await;
        let reader = signed_up(&app, "ada@example.com").await;
        let now = chrono::Utc::now().timestamp();
        let soft = |digest: i64| {
            let body = mailgun_body(
                "mailgun_failed_permanent.json",
                MAILGUN_KEY,
                now,
                &[("ID", &format!("soft-{digest}")), ("EMAIL", "ada@example.com"), ("MESSAGE_ID", &message_id(digest, reader))],
            );
            body.replace("\"permanent\"", "\"temporary\"").replace("550 5.1.1 The email account that you tried to reach does not exist.", "452 4.2.2 Mailbox full")
        };
        // The body changed after signing: re-sign it the way Mailgun would.
        let resign = |body: String| {
            let mut value: Value = serde_json::from_str(&body).unwrap();
            let mut mac = Hmac::<Sha256>::new_from_slice(MAILGUN_KEY.as_bytes()).unwrap();
            mac.update(value["signature"]["timestamp"].as_str().unwrap().as_bytes());
            mac.update(value["signature"]["token"].as_str().unwrap().as_bytes());
            value["signature"]["signature"] = hex::encode(mac.finalize().into_bytes()).into();
            value.to_string()
        };

        let d1 = send_a_digest(&app, &token, 1).await;
        let _d2 = send_a_digest(&app, &token, 2).await;
        let d3 = send_a_digest(&app, &token, 3).await;
        for digest in [d1, d3] {
            let response = post_json_text(&app, "/webhooks/mailgun", resign(soft(digest))).await;
            assert_eq!(response.status(), StatusCode::OK);
        }
        assert_eq!(bounced_at(&app, reader).await, None, "digest 2 went through in between");

        let d4 = send_a_digest(&app, &token, 4).await;
        post_json_text(&app, "/webhooks/mailgun", resign(soft(d4))).await;
        assert!(bounced_at(&app, reader).await.is_some(), "two in a row with soft_limit = 2");
        assert_eq!(app.digest_status(&token, d4).await["bounces"]["soft"], 1);
    }

    async fn a_refusal_during_the_send_is_kept_as_evidence_shown_exported_and_erased(backend) {
        let app = app_with_bounces(backend, "").await;
        let token = app.api_token().await;
        let reader = signed_up(&app, "ada@example.com").await;
        app.smtp.fail_next_rcpts(&["550 5.1.1 <ada@example.com>: no such user here"]);

        let digest = send_a_digest(&app, &token, 1).await;

        let (source, code): (String, Option<String>) =
            sqlx::query_as("select source, status_code from bounce_events where subscriber_id = $1")
                .bind(reader)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!((source.as_str(), code.as_deref()), ("smtp", Some("5.1.1")));
        assert_eq!(app.digest_status(&token, digest).await["bounces"]["hard"], 1);
        let page = app.editor_page(&format!("/editor/readers/{reader}")).await;
        assert!(page.contains("hard bounce") && page.contains("no such user here"), "{page}");
        let export: Value = app
            .api(reqwest::Method::GET, &format!("/api/v1/subscribers/{reader}/export"), &token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(export["bounces"][0]["kind"], "hard", "{export}");

        let erased = app
            .api(reqwest::Method::DELETE, &format!("/api/v1/subscribers/{reader}"), &token)
            .send()
            .await
            .unwrap();
        assert!(erased.status().is_success());
        assert_eq!(events(&app).await, 0);
    }

    async fn a_webhook_that_is_not_configured_says_which_key_turns_it_on(backend) {
        let app = TestApp::spawn(backend).await;
        let response = app.post_raw("/webhooks/mailgun", "application/json", "{}").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("bounces.mailgun_signing_key"), "{body}");
    }
}
