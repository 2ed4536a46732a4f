-- Handlings begun of an update not handled yet. The handling's transaction holds the update's row lock (it is
-- how a replica holds the chat), so the count is kept here, written on a connection of its own: it survives the
-- handling's rollback (a replica killed mid-way). The row goes, and its count is copied to updates.attempts,
-- in the statement that marks the update handled.
create table update_attempts (
  update_id bigint primary key,
  attempts integer not null
);
