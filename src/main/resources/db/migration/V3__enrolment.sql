-- Autosigning's records, shared by every replica: enrolment tokens (only the SHA-256 of a secret),
-- the one-time keys of tokens already presented, and why each pending CSR was not autosigned.
CREATE TABLE enrolment_tokens (
  id        text PRIMARY KEY,
  hash      text NOT NULL UNIQUE,
  spec      text NOT NULL,
  created   timestamptz NOT NULL,
  not_after timestamptz NOT NULL,
  uses      integer NOT NULL,
  used      integer NOT NULL DEFAULT 0,
  revoked   boolean NOT NULL DEFAULT false
);
CREATE TABLE enrolment_claims (
  key   text PRIMARY KEY,
  until timestamptz NOT NULL
);
CREATE TABLE autosign_decisions (
  name    text PRIMARY KEY,
  reason  text NOT NULL,
  decided timestamptz NOT NULL
);
