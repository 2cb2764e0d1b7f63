-- Two new kinds of outbox email. A reader with a broken or old unsubscribe link can ask for
-- a fresh one by address: it is emailed to that address (so nobody can unsubscribe someone
-- else). An editor can send a test of the next digest to addresses of their choosing: such a
-- row names no reader, but the address and the articles it shows.
-- SQLite cannot change a check constraint in place: the outbox is rebuilt (foreign keys off,
-- see 0006).
create table outbox_new (
    id integer primary key,
    kind text not null
        check (kind in ('confirmation', 'data_export', 'unsubscribe_link', 'test_digest')),
    subscriber_id integer references subscribers (id) on delete cascade,
    -- test_digest: where it goes, the articles it shows (ids, comma-separated) and who asked
    address text,
    article_ids text,
    requested_by text,
    status text not null check (status in ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts integer not null default 0,
    next_attempt_at integer not null,
    locked_until integer,
    last_error text,
    created_at integer not null,
    sent_at integer,
    check ((kind = 'test_digest') = (subscriber_id is null and address is not null))
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
