-- Which digest made a reader leave: the unsubscribe link carries the digest, and the one-click
-- or footer unsubscribe stamps that digest's delivery to the reader. On the delivery row, not
-- in the consent log, so that a digest's count stays true when its reader is later erased
-- (delivery rows outlive their reader, see 0005).
alter table deliveries add column unsubscribed_at integer;
-- A digest's unsubscribes are counted from the few rows that have one, not from its million
-- deliveries.
create index deliveries_unsubscribed on deliveries (digest_id) where unsubscribed_at is not null;
-- The editors' home chart counts erasures per day.
create index suppressions_created on suppressions (created_at);
-- How many recipients a digest was made for, fixed when its deliveries are made (rows are
-- never added later): a digest's sent count is then that less its few failed, pending and
-- cancelled rows, instead of a count of its hundreds of thousands of sent ones. Null for
-- digests made before this column, which are counted.
alter table digests add column recipients integer;
