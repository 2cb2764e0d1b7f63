-- Editors and their credentials, articles, digests and their recipients, polled feeds.

-- Secrets the service makes for itself on first start (e.g. the key behind unsubscribe links),
-- shared by every instance on this database.
create table app_secrets (
    name text primary key,
    value text not null,
    created_at integer not null
);

create table editors (
    id integer primary key,
    email text not null,
    email_key text not null unique,
    password_hash text not null,
    created_at integer not null
);

create table api_tokens (
    id integer primary key,
    name text not null unique,
    token_hash text not null unique,
    created_at integer not null,
    last_used_at integer,
    revoked_at integer
);

create table editor_sessions (
    token_hash text primary key,
    editor_id integer not null references editors (id) on delete cascade,
    csrf_token text not null,
    created_at integer not null,
    expires_at integer not null
);
create index editor_sessions_expiry on editor_sessions (expires_at);

create table articles (
    id integer primary key,
    url text not null unique,
    title text not null,
    -- sanitised HTML (ammonia) and its plain-text rendering
    summary_html text not null,
    summary_text text not null,
    author text,
    image_url text,
    published_at integer not null,
    created_at integer not null,
    updated_at integer not null
);
create index articles_newest on articles (published_at desc, id desc);

create table digests (
    id integer primary key,
    subject text not null,
    status text not null check (status in ('queued', 'sending', 'sent', 'cancelled')),
    created_by text not null,
    created_at integer not null,
    finished_at integer
);

create table digest_articles (
    digest_id integer not null references digests (id) on delete cascade,
    article_id integer not null references articles (id) on delete cascade,
    position integer not null,
    primary key (digest_id, article_id)
);
create index digest_articles_article on digest_articles (article_id);

-- One row per recipient of a digest, snapshotted when the digest is created.
create table deliveries (
    id integer primary key,
    digest_id integer not null references digests (id) on delete cascade,
    subscriber_id integer not null references subscribers (id) on delete cascade,
    status text not null check (status in ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts integer not null default 0,
    next_attempt_at integer not null,
    locked_until integer,
    last_error text,
    sent_at integer,
    unique (digest_id, subscriber_id)
);
create index deliveries_due on deliveries (status, next_attempt_at);
create index deliveries_subscriber on deliveries (subscriber_id);

create table feeds (
    url text primary key,
    etag text,
    last_modified text,
    last_polled_at integer,
    last_error text
);
