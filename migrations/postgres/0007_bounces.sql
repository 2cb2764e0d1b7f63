-- Bounces and complaints reported after the SMTP hand-off (bounce mailbox, provider
-- webhooks) or during it (a 5xx reply). Each event is kept as evidence and leaves with its
-- reader; `event_key` makes a retried webhook or a re-read bounce count once.
create table bounce_events (
    id bigint generated always as identity primary key,
    subscriber_id bigint not null references subscribers (id) on delete cascade,
    -- the digest the bounced message carried; null for other mail or when it is not known
    digest_id bigint references digests (id) on delete set null,
    source text not null check (source in ('smtp', 'imap', 'ses', 'postmark', 'sendgrid', 'mailgun')),
    kind text not null check (kind in ('hard', 'soft', 'complaint')),
    -- the enhanced status code (5.1.1) or reply code when one was given
    status_code text,
    diagnostic text,
    event_key text not null unique,
    created_at bigint not null
);
create index bounce_events_subscriber on bounce_events (subscriber_id, id);
create index bounce_events_digest on bounce_events (digest_id, kind);

-- A complaint withdraws consent with source `complaint`.
alter table consent_events drop constraint consent_events_source_check;
alter table consent_events add constraint consent_events_source_check
    check (source in ('form', 'api', 'import', 'complaint'));
