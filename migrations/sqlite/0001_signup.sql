-- Readers, their consent evidence, confirmation tokens and the mail outbox.
-- Times are integer Unix milliseconds (UTC) on both backends.

create table subscribers (
    id integer primary key,
    email text not null,
    -- the address normalised for uniqueness (lower-cased, IDN domain as punycode)
    email_key text not null unique,
    name text,
    status text not null check (status in ('pending', 'confirmed', 'unsubscribed')),
    created_at integer not null,
    updated_at integer not null,
    confirmed_at integer
);

-- The exact consent sentence shown, kept once per distinct text.
create table consent_texts (
    hash text primary key,
    body text not null,
    created_at integer not null
);

-- Append-only evidence of consent. Rows go only with their subscriber (erasure, retention).
create table consent_events (
    id integer primary key,
    subscriber_id integer not null references subscribers (id) on delete cascade,
    event text not null check (event in ('granted', 'confirmed', 'withdrawn')),
    privacy_version text not null,
    terms_version text not null,
    text_hash text not null references consent_texts (hash),
    source text not null check (source in ('form', 'api', 'import')),
    -- which signup form or placement (the optional "source" of the API), for the record
    form text,
    ip text,
    user_agent text,
    created_at integer not null
);
create index consent_events_subscriber on consent_events (subscriber_id, id);

create trigger consent_events_append_only before update on consent_events
begin
    select raise(abort, 'consent_events is append-only');
end;

create table confirmation_tokens (
    token_hash text primary key,
    subscriber_id integer not null references subscribers (id) on delete cascade,
    created_at integer not null,
    expires_at integer not null,
    used_at integer
);
create index confirmation_tokens_subscriber on confirmation_tokens (subscriber_id);

-- Transactional outbox: a row is written in the same transaction as the change that needs
-- the mail, and a background worker sends it, so no answer waits on SMTP and a crash loses nothing.
create table outbox (
    id integer primary key,
    kind text not null check (kind in ('confirmation')),
    subscriber_id integer not null references subscribers (id) on delete cascade,
    status text not null check (status in ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts integer not null default 0,
    next_attempt_at integer not null,
    locked_until integer,
    last_error text,
    created_at integer not null,
    sent_at integer
);
create index outbox_due on outbox (status, next_attempt_at);
create index outbox_subscriber on outbox (subscriber_id, created_at);
