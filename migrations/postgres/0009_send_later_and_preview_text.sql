-- One-off sends an editor schedules ("send the next digest on Friday at 7:00"): at `send_at`
-- a digest is made of what is new then, exactly once (the row changes state in the same
-- transaction that makes the digest), or the row records that there was nothing new.
create table scheduled_sends (
    id bigint generated always as identity primary key,
    send_at bigint not null,
    status text not null check (status in ('scheduled', 'sent', 'nothing_new', 'cancelled')),
    digest_id bigint references digests (id) on delete set null,
    created_by text not null,
    created_at bigint not null,
    done_at bigint
);
create index scheduled_sends_due on scheduled_sends (status, send_at);

-- The line mail clients show after the subject; empty: the headlines.
alter table digests add column preview_text text;
