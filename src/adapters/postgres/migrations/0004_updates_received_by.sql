-- The replica that stored (and acknowledged) an update: the others take over its pending updates only once
-- it is gone (it holds an advisory lock on its name while it lives), not merely because it is busy.
alter table updates add column received_by text;
