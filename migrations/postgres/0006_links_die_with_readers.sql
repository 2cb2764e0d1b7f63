-- Links die with their reader: each reader gets a random `link_secret`, folded into the
-- signature of their links and deleted with them. (Identity ids are never reused here.)
-- Links sent before this carry no secret; a digest's links keep working (unsubscribe::resolve).
alter table subscribers
    add column link_secret text not null default replace(gen_random_uuid()::text, '-', '');
