-- Telegram updates, as received by any replica. The primary key refuses an update delivered twice, whichever
-- replica it reaches. In webhook mode a row is written (and the webhook answered) before the update is
-- handled, so an update acknowledged by a replica that then dies is handled by another; `handled_at` is set
-- in the same transaction as the handling's own changes. In polling mode only handled ids are recorded.
create table updates (
  update_id bigint primary key,
  -- The chat whose updates are handled one at a time, in update_id order, across replicas.
  chat_key text not null,
  payload jsonb,
  received_at timestamptz not null default now(),
  -- Handling begun (counted outside the handling's transaction): above 1 only after a replica died mid-way.
  attempts integer not null default 0,
  handled_at timestamptz,
  handled_by text,
  -- Order of handling over all replicas, for checking per-chat order.
  handled_seq bigint
);
create sequence updates_handled_seq;
create index updates_pending on updates (chat_key, update_id) where handled_at is null;
create index updates_by_handled_at on updates (handled_at);
