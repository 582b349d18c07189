-- Per-name leases across replicas: one row while a replica works on a name (submit, sign, renew,
-- revoke); a crashed holder's lease expires, so a name is never locked for good.
CREATE TABLE name_locks (
  name    text PRIMARY KEY,
  holder  text NOT NULL,
  expires timestamptz NOT NULL
);
