-- A send-later belongs to a newsletter: at its time, that newsletter's next digest goes to
-- its readers. Sends scheduled before there were several newsletters were the default's (1).
alter table scheduled_sends add column newsletter_id bigint not null default 1
    references newsletters (id) on delete cascade;
alter table scheduled_sends alter column newsletter_id drop default;
create index scheduled_sends_newsletter on scheduled_sends (newsletter_id, send_at);
