-- A replica that stops cleanly says so: an offline step that needs every replica stopped (a CA
-- key rollover's finish) does not wait for its last heartbeat to age.
ALTER TABLE replicas ADD COLUMN stopped boolean NOT NULL DEFAULT false;
