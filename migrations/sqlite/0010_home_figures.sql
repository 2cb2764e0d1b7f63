-- The editors' home counts readers by state and the last 30 days' signups, confirmations,
-- departures and bounces: indexes so that each count reads a range, not the whole list
-- (it must stay fast at a million readers).
-- (created_at, confirmed_at): "signed up since, and confirmed" reads the index alone.
create index subscribers_created on subscribers (created_at, confirmed_at);
create index subscribers_confirmed on subscribers (confirmed_at) where confirmed_at is not null;
create index subscribers_bounced on subscribers (bounced_at) where bounced_at is not null;
-- (event, created_at, source, form): where the last 30 days' signups came from, from the
-- index alone.
create index consent_events_event_created on consent_events (event, created_at, source, form);
