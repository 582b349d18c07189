-- voxca's CA store on PostgreSQL: what the Puppet CA directory holds, except the CA's private keys,
-- which stay in each replica's cadir.

-- The CA's documents, one row each: 'ca_crt' (bundle), 'ca_pub', 'ca_crl' (CRL chain),
-- 'infra_crl', and 'ca_crt.<suffix>' (a bundle kept for rollback).
CREATE TABLE ca_documents (
  name     text PRIMARY KEY,
  pem      bytea NOT NULL,
  modified timestamptz NOT NULL
);

-- Serials: a sequence, so no two replicas ever issue the same one.
CREATE SEQUENCE serials AS bigint START WITH 1 MINVALUE 1;

CREATE TABLE csrs (
  name     text PRIMARY KEY,
  pem      bytea NOT NULL,
  modified timestamptz NOT NULL
);

-- A name's current certificate (what signed/<name>.pem is).
CREATE TABLE certificates (
  name       text PRIMARY KEY,
  serial     numeric NOT NULL,
  not_before timestamptz NOT NULL,
  not_after  timestamptz NOT NULL,
  der        bytea NOT NULL,
  pem        bytea NOT NULL,
  modified   timestamptz NOT NULL
);
CREATE INDEX certificates_not_after ON certificates (not_after);
CREATE INDEX certificates_serial ON certificates (serial);

-- Every certificate ever issued (inventory.txt), in issue order.
CREATE TABLE inventory (
  seq        bigserial PRIMARY KEY,
  serial     numeric NOT NULL UNIQUE,
  not_before timestamptz NOT NULL,
  not_after  timestamptz NOT NULL,
  subject    text NOT NULL
);
CREATE INDEX inventory_subject ON inventory (subject);

-- infra_inventory.txt: the certnames of infrastructure nodes.
CREATE TABLE infra_nodes (
  name text PRIMARY KEY
);
