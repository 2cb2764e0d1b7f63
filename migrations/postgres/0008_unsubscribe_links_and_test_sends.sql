-- Two new kinds of outbox email. A reader with a broken or old unsubscribe link can ask for
-- a fresh one by address: it is emailed to that address (so nobody can unsubscribe someone
-- else). An editor can send a test of the next digest to addresses of their choosing: such a
-- row names no reader, but the address and the articles it shows.
alter table outbox drop constraint outbox_kind_check;
alter table outbox add constraint outbox_kind_check
    check (kind in ('confirmation', 'data_export', 'unsubscribe_link', 'test_digest'));
alter table outbox alter column subscriber_id drop not null;
alter table outbox add column address text;
alter table outbox add column article_ids text;
alter table outbox add column requested_by text;
alter table outbox add constraint outbox_test_has_address
    check ((kind = 'test_digest') = (subscriber_id is null and address is not null));
