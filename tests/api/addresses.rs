use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::TestApp;

const INVALID: &[&str] = &[
    "",
    "   ",
    "plainaddress",
    "@example.com",
    "ada@",
    "ada@@example.com",
    "ada@example..com",
    ".ada@example.com",
    "ada.@example.com",
    "ada..lovelace@example.com",
    "ada lovelace@example.com",
    "ada@exa mple.com",
    "ada@-example.com",
    "ada@example-.com",
    "ada@example",
    "ada@localhost",
    "ada@[192.168.0.1]",
    "ada@192.168.0.1",
    "<ada@example.com>",
    "Ada <ada@example.com>",
    "ada@example.com,bob@example.com",
    "ada@example.com;bob@example.com",
    "ada(comment)@example.com",
    "ada\\@example.com",
    "\"unterminated@example.com",
    "ada@example.com\r\nBcc: victim@example.net",
    "ada@example.com\n",
    "ada\u{0}@example.com",
    "ada@exam\tple.com",
    "jörg@example.com",
    "ada@ex_ample.com",
    "ada@.example.com",
];

const UNUSUAL_BUT_VALID: &[&str] = &[
    "ada+newsletter@example.com",
    "ada+tag+more@example.com",
    "o'brien@example.com",
    "d'artagnan.o'reilly@example.ie",
    "\"john smith\"@example.com",
    "\"very.unusual.@.unusual.com\"@example.com",
    "joerg@bücher.example",
    "user@xn--bcher-kva.example",
    "ADA@EXAMPLE.COM",
    "a@b.co",
    "first.last@sub.domain.example.co.uk",
    "x_y-z=w!#$%&*/?^`{|}~@example.org",
    "1234567890@example.com",
];

backend_tests! {
    async fn invalid_addresses_are_refused_with_a_message_on_the_email_field(backend) {
        let app = TestApp::spawn(backend).await;
        let long_local = format!("{}@example.com", "a".repeat(65));
        let long_total = format!("ada@{}.example.com", ["abcdefghij"; 24].join("."));
        let mut cases: Vec<&str> = INVALID.to_vec();
        cases.extend([long_local.as_str(), long_total.as_str()]);
        assert!(cases.len() >= 30);

        for email in cases {
            let response = app.post_json("/api/v1/subscriptions", &json!({"email": email, "consent": true})).await;

            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{email:?} should be refused");
            let body: Value = response.json().await.unwrap();
            assert!(body["fields"]["email"].is_string(), "{email:?}: {body}");
        }
        assert_eq!(app.count("subscribers").await, 0);
    }

    async fn unusual_but_valid_addresses_are_accepted_and_mailed(backend) {
        let app = TestApp::spawn(backend).await;

        for email in UNUSUAL_BUT_VALID {
            let response = app.post_json("/api/v1/subscriptions", &json!({"email": email, "consent": true})).await;
            assert_eq!(response.status(), StatusCode::ACCEPTED, "{email:?} should be accepted");
        }

        let readers = UNUSUAL_BUT_VALID.len() as i64;
        assert_eq!(app.count("subscribers").await, readers);
        let messages = app.smtp.wait_for(readers as usize, std::time::Duration::from_secs(10)).await;
        let recipients: Vec<String> = messages.iter().map(|m| m.to[0].clone()).collect();
        assert!(recipients.contains(&"joerg@xn--bcher-kva.example".to_string()), "{recipients:?}");
        assert!(recipients.contains(&"\"john smith\"@example.com".to_string()), "{recipients:?}");
        assert!(recipients.contains(&"o'brien@example.com".to_string()));
        let typed: Vec<String> = sqlx::query_scalar("select email from subscribers").fetch_all(&app.db.pool).await.unwrap();
        assert!(typed.contains(&"joerg@bücher.example".to_string()), "kept as typed: {typed:?}");
    }
}
