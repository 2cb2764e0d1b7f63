//! Black-box tests: the real app on a random port, a real database per test, a real SMTP
//! server over TCP. Every `backend_tests!` test runs on SQLite and, when
//! `TIDINGS_TEST_POSTGRES_URL` is set, on PostgreSQL.

mod helpers;
mod imap_server;
mod smtp_sink;
mod stats;

mod addresses;
mod api_tokens;
mod archive;
mod articles;
mod bounce_mailbox;
mod bounces;
mod branding;
mod browser;
mod cli;
mod compose;
mod confirm;
mod delivery;
mod digests;
mod dkim;
mod dns_server;
mod doctor;
mod editor_pages;
mod editor_readers;
mod email_contrast;
mod embed;
mod engine;
mod erasure_files;
mod error_pages;
mod feeds;
mod links;
mod locales;
mod locales_emails;
mod locales_pages;
mod logs;
mod migrations;
mod newsletter_delivery;
mod newsletters;
mod openapi;
mod outages;
mod outbox;
mod preferences;
mod processes;
mod reader_choices;
mod schedule;
mod security_headers;
mod send_later;
mod sessions;
mod signup;
mod subscribers;
mod test_send;
mod throttle;
mod transactions;
mod unsubscribe;
mod welcome;
