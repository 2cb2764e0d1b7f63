-- Several newsletters, each reader's choice of them, topics and cadence, and welcome emails.
--
-- Everything that was one list becomes the default newsletter: every reader is subscribed to
-- it with their status, every digest and the draft belong to it, and its List-Id stays
-- "digest" so readers' mail filters keep working. Until an editor changes it, the default
-- newsletter follows the config ([newsletter], [digest]) at every start.

create table newsletters (
    id integer primary key autoincrement,
    slug text not null unique,
    name text not null,
    description text not null default '',
    -- 5-field cron in `timezone` for readers on the newsletter's own schedule; '' = none
    schedule text not null default '',
    timezone text not null default 'UTC',
    max_articles integer not null default 5,
    subject text not null default '{newsletter}: {first_headline}',
    -- only articles with one of these topics (space-separated); '' = every article
    topics text not null default '',
    from_name text,
    -- what readers may choose besides the schedule (space-separated): instant daily weekly
    cadences text not null default '',
    -- daily and weekly emails go at this hour (in `timezone`), weekly ones on this day
    -- (0 = Sunday, as in cron)
    send_hour integer not null default 7,
    weekly_day integer not null default 1,
    instant_min_interval_ms integer not null default 3600000,
    -- the welcome email after confirmation; an empty body sends none
    welcome_subject text not null default '',
    welcome_body text not null default '',
    list_id text not null,
    is_default integer not null default 0,
    -- set when an editor changes it; the default newsletter follows the config until then
    edited_at integer,
    created_at integer not null,
    updated_at integer not null
);
create unique index newsletters_one_default on newsletters (is_default) where is_default = 1;

insert into newsletters (id, slug, name, list_id, is_default, created_at, updated_at)
values (1, 'news', 'The Tidings Newsletter', 'digest', 1,
        cast(strftime('%s', 'now') as integer) * 1000, cast(strftime('%s', 'now') as integer) * 1000);

create table subscriptions (
    subscriber_id integer not null references subscribers (id) on delete cascade,
    newsletter_id integer not null references newsletters (id) on delete cascade,
    status text not null check (status in ('pending', 'confirmed', 'left')),
    cadence text not null default 'scheduled'
        check (cadence in ('scheduled', 'instant', 'daily', 'weekly')),
    -- the reader's topics (space-separated); '' = everything the newsletter sends
    topics text not null default '',
    created_at integer not null,
    confirmed_at integer,
    left_at integer,
    primary key (subscriber_id, newsletter_id)
);
create index subscriptions_recipients on subscriptions (newsletter_id, cadence, status);

insert into subscriptions (subscriber_id, newsletter_id, status, created_at, confirmed_at, left_at)
select id, 1,
       case status when 'unsubscribed' then 'left' else status end,
       created_at, confirmed_at,
       case status when 'unsubscribed' then updated_at end
from subscribers;

create table article_topics (
    article_id integer not null references articles (id) on delete cascade,
    topic text not null,
    primary key (article_id, topic)
);
create index article_topics_topic on article_topics (topic, article_id);

-- Which newsletters a consent event was about (space-separated slugs).
alter table consent_events add column newsletters text;

-- A digest belongs to a newsletter and goes to its readers on one cadence.
alter table digests add column newsletter_id integer references newsletters (id);
alter table digests add column cadence text not null default 'scheduled';
-- Readers whose choices differ get different digests from one send: they share an edition,
-- the id of the send's first (largest) digest, which the public archive lists once.
alter table digests add column edition_id integer references digests (id);
update digests set newsletter_id = 1;
create index digests_newsletter on digests (newsletter_id, cadence);

-- One draft per newsletter: the draft's id is its newsletter's id (the old draft was id 1,
-- which the default newsletter now has). Rebuilt: SQLite cannot drop a check in place.
create table digest_draft_new (
    id integer primary key references newsletters (id) on delete cascade,
    subject text,
    preview_text text,
    intro text,
    lead_article_id integer references articles (id) on delete set null,
    revision integer not null,
    updated_by text not null,
    updated_at integer not null
);
insert into digest_draft_new select * from digest_draft;
create table digest_draft_articles_new (
    draft_id integer not null references digest_draft_new (id) on delete cascade,
    article_id integer not null references articles (id) on delete cascade,
    position integer not null,
    primary key (draft_id, article_id)
);
insert into digest_draft_articles_new (draft_id, article_id, position)
select 1, article_id, position from digest_draft_articles;
drop table digest_draft_articles;
drop table digest_draft;
alter table digest_draft_new rename to digest_draft;
alter table digest_draft_articles_new rename to digest_draft_articles;

-- A schedule slot fires once per newsletter and cadence.
create table digest_slots_new (
    newsletter_id integer not null references newsletters (id) on delete cascade,
    cadence text not null,
    slot_at integer not null,
    digest_id integer references digests (id) on delete set null,
    outcome text not null,
    -- readers whose choice had nothing new this time
    skipped integer not null default 0,
    created_at integer not null,
    primary key (newsletter_id, cadence, slot_at)
);
insert into digest_slots_new (newsletter_id, cadence, slot_at, digest_id, outcome, created_at)
select 1, 'scheduled', slot_at, digest_id, outcome, created_at from digest_slots;
drop table digest_slots;
alter table digest_slots_new rename to digest_slots;

-- Welcome emails go through the outbox: one per reader and newsletter, never twice.
create table outbox_new (
    id integer primary key,
    kind text not null
        check (kind in ('confirmation', 'data_export', 'unsubscribe_link', 'test_digest',
                        'welcome')),
    subscriber_id integer references subscribers (id) on delete cascade,
    address text,
    article_ids text,
    requested_by text,
    composition text,
    newsletter_id integer references newsletters (id) on delete cascade,
    status text not null check (status in ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts integer not null default 0,
    next_attempt_at integer not null,
    locked_until integer,
    last_error text,
    created_at integer not null,
    sent_at integer,
    check ((kind = 'test_digest') = (subscriber_id is null and address is not null)),
    check (kind <> 'welcome' or newsletter_id is not null)
);
insert into outbox_new (id, kind, subscriber_id, address, article_ids, requested_by,
                        composition, status, attempts, next_attempt_at, locked_until,
                        last_error, created_at, sent_at)
    select id, kind, subscriber_id, address, article_ids, requested_by, composition, status,
           attempts, next_attempt_at, locked_until, last_error, created_at, sent_at
    from outbox;
drop table outbox;
alter table outbox_new rename to outbox;
create index outbox_due on outbox (status, next_attempt_at);
create index outbox_subscriber on outbox (subscriber_id, created_at);
create unique index outbox_one_welcome on outbox (subscriber_id, newsletter_id)
    where kind = 'welcome';
