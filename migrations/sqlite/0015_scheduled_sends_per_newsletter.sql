-- A send-later belongs to a newsletter: at its time, that newsletter's next digest goes to
-- its readers. Sends scheduled before there were several newsletters were the default's (1).
-- Rebuilt: SQLite cannot add a NOT NULL column that references another table.
create table scheduled_sends_new (
    id integer primary key autoincrement,
    newsletter_id integer not null references newsletters (id) on delete cascade,
    send_at integer not null,
    status text not null check (status in ('scheduled', 'sent', 'nothing_new', 'cancelled')),
    digest_id integer references digests (id) on delete set null,
    created_by text not null,
    created_at integer not null,
    done_at integer
);
insert into scheduled_sends_new (id, newsletter_id, send_at, status, digest_id, created_by,
                                 created_at, done_at)
    select id, 1, send_at, status, digest_id, created_by, created_at, done_at
    from scheduled_sends;
drop table scheduled_sends;
alter table scheduled_sends_new rename to scheduled_sends;
create index scheduled_sends_due on scheduled_sends (status, send_at);
create index scheduled_sends_newsletter on scheduled_sends (newsletter_id, send_at);
