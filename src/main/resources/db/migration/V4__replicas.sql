-- Every voxca replica on this database, with the last time it said it was alive (every 30 s);
-- shown on the operator console's health. A replica not seen for 7 days is forgotten.
CREATE TABLE replicas (
  name text PRIMARY KEY,
  seen timestamptz NOT NULL
);
