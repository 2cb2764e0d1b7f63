-- Data rights: erasure leaves a keyed hash in `suppressions`; delivery rows outlive their
-- reader (digest counts stay true) with the reader's id cleared; readers can have their data
-- emailed to them; readers told of a policy change are remembered.

-- HMAC-SHA256 of the normalised address of an erased reader: imports cannot bring them back.
create table suppressions (
    address_hash text primary key,
    reason text not null check (reason in ('erased')),
    created_at integer not null
);

-- Which policy versions a reader has been told about (in a digest), so that the notice goes
-- out once per change.
create table policy_notices (
    subscriber_id integer not null references subscribers (id) on delete cascade,
    privacy_version text not null,
    terms_version text not null,
    created_at integer not null,
    primary key (subscriber_id, privacy_version, terms_version)
);

-- SQLite cannot relax a column or a check in place: the two tables are rebuilt. Nothing
-- references either of them.
create table deliveries_new (
    id integer primary key,
    digest_id integer not null references digests (id) on delete cascade,
    -- null once the reader is erased
    subscriber_id integer references subscribers (id) on delete set null,
    status text not null check (status in ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts integer not null default 0,
    next_attempt_at integer not null,
    locked_until integer,
    last_error text,
    sent_at integer,
    unique (digest_id, subscriber_id)
);
insert into deliveries_new (id, digest_id, subscriber_id, status, attempts, next_attempt_at,
                            locked_until, last_error, sent_at)
    select id, digest_id, subscriber_id, status, attempts, next_attempt_at, locked_until,
           last_error, sent_at
    from deliveries;
drop table deliveries;
alter table deliveries_new rename to deliveries;
create index deliveries_due on deliveries (status, next_attempt_at);
create index deliveries_subscriber on deliveries (subscriber_id);
create index deliveries_digest_status on deliveries (digest_id, status);

create table outbox_new (
    id integer primary key,
    kind text not null check (kind in ('confirmation', 'data_export')),
    subscriber_id integer not null references subscribers (id) on delete cascade,
    status text not null check (status in ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts integer not null default 0,
    next_attempt_at integer not null,
    locked_until integer,
    last_error text,
    created_at integer not null,
    sent_at integer
);
insert into outbox_new (id, kind, subscriber_id, status, attempts, next_attempt_at,
                        locked_until, last_error, created_at, sent_at)
    select id, kind, subscriber_id, status, attempts, next_attempt_at, locked_until,
           last_error, created_at, sent_at
    from outbox;
drop table outbox;
alter table outbox_new rename to outbox;
create index outbox_due on outbox (status, next_attempt_at);
create index outbox_subscriber on outbox (subscriber_id, created_at);

-- Retention finds stale pending readers without a scan.
create index subscribers_status_updated on subscribers (status, updated_at);
