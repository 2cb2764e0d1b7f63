-- Branding saved on the editors' Settings page: one row (id 1). A null column means "not
-- set here": the configuration's `branding.*` value applies. `version` goes up with every
-- save, so other instances notice the change and logo and stylesheet URLs change with it.
create table branding_settings (
    id integer primary key check (id = 1),
    logo_url text,
    accent_color text,
    masthead text,
    footer text,
    site_url text,
    -- An uploaded logo (PNG, JPEG, GIF or WebP; at most 512 KB), checked by its first bytes.
    logo_type text check (logo_type in ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
    logo_data blob,
    version integer not null,
    created_at integer not null,
    updated_at integer not null,
    check ((logo_type is null) = (logo_data is null))
);
