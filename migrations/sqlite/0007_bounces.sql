-- Bounces and complaints reported after the SMTP hand-off (bounce mailbox, provider
-- webhooks) or during it (a 5xx reply). Each event is kept as evidence and leaves with its
-- reader; `event_key` makes a retried webhook or a re-read bounce count once.
create table bounce_events (
    id integer primary key,
    subscriber_id integer not null references subscribers (id) on delete cascade,
    -- the digest the bounced message carried; null for other mail or when it is not known
    digest_id integer references digests (id) on delete set null,
    source text not null check (source in ('smtp', 'imap', 'ses', 'postmark', 'sendgrid', 'mailgun')),
    kind text not null check (kind in ('hard', 'soft', 'complaint')),
    -- the enhanced status code (5.1.1) or reply code when one was given
    status_code text,
    diagnostic text,
    event_key text not null unique,
    created_at integer not null
);
create index bounce_events_subscriber on bounce_events (subscriber_id, id);
create index bounce_events_digest on bounce_events (digest_id, kind);

-- A complaint withdraws consent with source `complaint`. SQLite cannot change a check
-- constraint in place, so the log is rebuilt (foreign keys off, see 0006).
create table consent_events_new (
    id integer primary key,
    subscriber_id integer not null references subscribers (id) on delete cascade,
    event text not null check (event in ('granted', 'confirmed', 'withdrawn')),
    privacy_version text not null,
    terms_version text not null,
    text_hash text not null references consent_texts (hash),
    source text not null check (source in ('form', 'api', 'import', 'complaint')),
    -- which signup form or placement (the optional "source" of the API), for the record
    form text,
    ip text,
    user_agent text,
    created_at integer not null
);
insert into consent_events_new select * from consent_events;
drop table consent_events;
alter table consent_events_new rename to consent_events;
create index consent_events_subscriber on consent_events (subscriber_id, id);
create trigger consent_events_append_only before update on consent_events
begin
    select raise(abort, 'consent_events is append-only');
end;
