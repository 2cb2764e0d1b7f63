-- Links die with their reader. SQLite reuses the id of the newest row once it is deleted
-- (`integer primary key` without AUTOINCREMENT), so an erased reader's old links could name
-- the next reader to sign up. Ids that links carry (readers, digests) are made never to be
-- reused, and each reader gets a random `link_secret`, folded into their links' signature
-- and deleted with them. Links sent before this carry no secret; those from a digest keep
-- working (unsubscribe::resolve).
--
-- Rebuilding a table that others reference needs foreign keys off (dropping it would
-- otherwise cascade to its children): `Db::migrate` runs SQLite migrations so, and checks
-- the foreign keys afterwards (https://sqlite.org/lang_altertable.html#otheralter).

create table subscribers_new (
    id integer primary key autoincrement,
    email text not null,
    email_key text not null unique,
    name text,
    status text not null check (status in ('pending', 'confirmed', 'unsubscribed')),
    created_at integer not null,
    updated_at integer not null,
    confirmed_at integer,
    bounced_at integer,
    -- 128 random bits, folded into the signature of the reader's links
    link_secret text not null default (lower(hex(randomblob(16))))
);
insert into subscribers_new (id, email, email_key, name, status, created_at, updated_at,
                             confirmed_at, bounced_at, link_secret)
    select id, email, email_key, name, status, created_at, updated_at, confirmed_at,
           bounced_at, lower(hex(randomblob(16)))
    from subscribers;
drop table subscribers;
alter table subscribers_new rename to subscribers;
create index subscribers_status_updated on subscribers (status, updated_at);

create table digests_new (
    id integer primary key autoincrement,
    subject text not null,
    status text not null check (status in ('queued', 'sending', 'sent', 'cancelled')),
    created_by text not null,
    created_at integer not null,
    finished_at integer
);
insert into digests_new (id, subject, status, created_by, created_at, finished_at)
    select id, subject, status, created_by, created_at, finished_at from digests;
drop table digests;
alter table digests_new rename to digests;
