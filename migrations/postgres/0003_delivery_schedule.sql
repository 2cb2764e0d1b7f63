-- Bounces suppress a reader; schedule slots fire once across restarts and instances.

-- Set when the reader's server answered 5.1.x ("no such user"): no more digests until the
-- reader confirms again.
alter table subscribers add column bounced_at bigint;

create table digest_slots (
    -- the slot's start, Unix milliseconds; the primary key is what makes a slot fire once
    slot_at bigint primary key,
    digest_id bigint references digests (id) on delete set null,
    outcome text not null,
    created_at bigint not null
);
