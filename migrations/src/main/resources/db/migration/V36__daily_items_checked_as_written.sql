-- Issue 10: a synchronous request's daily item count goes in the enqueue's own round trip. Quotas used to add the
-- items and compare the new total with the limit in Java, so the enqueue was a transaction of three round trips
-- (BEGIN, the settings and the job's rows; the count; COMMIT) in front of every sync request: Java's refusal had to
-- be able to roll the job back. Now the count carries the limit it is written under (the tenant's own, else the
-- configured default, montage.quotas.items-per-day) and the row refuses to pass it, so the statement fails and takes
-- the job with it in the one implicit transaction of the trip. NULL (rows written before): no limit recorded, the
-- next write sets it.
ALTER TABLE tenant_usage ADD COLUMN items_limit bigint;
ALTER TABLE tenant_usage ADD CONSTRAINT tenant_usage_within_limit CHECK (items <= items_limit);
