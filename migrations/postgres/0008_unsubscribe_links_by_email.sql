-- A reader with a broken or old unsubscribe link can ask for a fresh one by address: it is
-- emailed to that address (so nobody can unsubscribe someone else), through the outbox.
alter table outbox drop constraint outbox_kind_check;
alter table outbox add constraint outbox_kind_check
    check (kind in ('confirmation', 'data_export', 'unsubscribe_link'));
