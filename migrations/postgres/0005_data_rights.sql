-- Data rights: erasure leaves a keyed hash in `suppressions`; delivery rows outlive their
-- reader (digest counts stay true) with the reader's id cleared; readers can have their data
-- emailed to them; readers told of a policy change are remembered.

-- HMAC-SHA256 of the normalised address of an erased reader: imports cannot bring them back.
create table suppressions (
    address_hash text primary key,
    reason text not null check (reason in ('erased')),
    created_at bigint not null
);

-- Which policy versions a reader has been told about (in a digest), so that the notice goes
-- out once per change.
create table policy_notices (
    subscriber_id bigint not null references subscribers (id) on delete cascade,
    privacy_version text not null,
    terms_version text not null,
    created_at bigint not null,
    primary key (subscriber_id, privacy_version, terms_version)
);

alter table deliveries alter column subscriber_id drop not null;
alter table deliveries drop constraint deliveries_subscriber_id_fkey;
alter table deliveries add constraint deliveries_subscriber_id_fkey
    foreign key (subscriber_id) references subscribers (id) on delete set null;

alter table outbox drop constraint outbox_kind_check;
alter table outbox add constraint outbox_kind_check
    check (kind in ('confirmation', 'data_export'));

-- Retention finds stale pending readers without a scan.
create index subscribers_status_updated on subscribers (status, updated_at);
