-- The last update a student's draft row was written for (the handled mark, written in the same statement as
-- the change). A finished or cancelled conversation keeps its row with no conversation while the mark is
-- trusted (six days), so that its last update is not replayed either.
alter table drafts add column handled bigint;
alter table drafts alter column conversation drop not null;
