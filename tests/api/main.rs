//! Black-box tests: the real app on a random port, a real database per test, a real SMTP
//! server over TCP. Every `backend_tests!` test runs on SQLite and, when
//! `TIDINGS_TEST_POSTGRES_URL` is set, on PostgreSQL.

mod helpers;
mod smtp_sink;

mod addresses;
mod articles;
mod browser;
mod cli;
mod confirm;
mod delivery;
mod digests;
mod dkim;
mod editor_pages;
mod editor_readers;
mod embed;
mod feeds;
mod openapi;
mod outbox;
mod preferences;
mod processes;
mod schedule;
mod signup;
mod subscribers;
mod throttle;
mod transactions;
mod unsubscribe;
