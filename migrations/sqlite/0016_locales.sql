-- Readers in their own language. Everyone before this saw English: their rows, their consent
-- events (the English sentence) and their digests are English.
alter table subscribers add column locale text not null default 'en';
alter table consent_events add column locale text not null default 'en';
-- A digest is rendered once per locale; readers of one locale share it.
alter table digests add column locale text not null default 'en';
