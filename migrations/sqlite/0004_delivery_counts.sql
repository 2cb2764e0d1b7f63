-- Counting a digest's deliveries by state (progress pages, the API, `digest send`) reads
-- this index instead of the table.
create index deliveries_digest_status on deliveries (digest_id, status);
