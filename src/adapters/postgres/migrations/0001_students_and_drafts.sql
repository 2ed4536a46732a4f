-- Students: the same fields as users/user_<id>.json, one row per Telegram user.
create table students (
  user_id bigint primary key,
  first_name text not null,
  last_name text not null,
  grade text not null,
  major text not null,
  province text not null,
  city text not null,
  phone text not null,
  registration_date timestamptz not null,
  last_updated timestamptz not null,
  -- Fields of an imported file that this version does not know (e.g. the Python bot's), kept as they were.
  extra jsonb not null default '{}'::jsonb
);

-- Registrations and edits in progress: the Conversation of src/application/ports/draft-store.ts as JSON.
create table drafts (
  user_id bigint primary key,
  conversation jsonb not null,
  updated_at timestamptz not null default now()
);
