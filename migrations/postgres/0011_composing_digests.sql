-- Composing a digest: an editor's intro note (Markdown, sanitised when rendered) and a lead
-- story per digest, and one draft of the next digest that survives restarts. The draft's
-- articles are in the editor's order; deleting an article takes it out of the draft.
alter table digests add column intro text;
alter table digests add column lead_article_id bigint references articles (id) on delete set null;

create table digest_draft (
    id bigint primary key check (id = 1),
    subject text,
    preview_text text,
    intro text,
    lead_article_id bigint references articles (id) on delete set null,
    -- raised by every save, so that a send confirms the draft the editor last saw
    revision bigint not null,
    updated_by text not null,
    updated_at bigint not null
);
create table digest_draft_articles (
    article_id bigint primary key references articles (id) on delete cascade,
    position bigint not null
);

-- A test of a composed draft keeps what it was composed with (subject, intro, lead...) as JSON.
alter table outbox add column composition text;
