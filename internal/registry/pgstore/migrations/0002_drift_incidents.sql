-- relay contract registry, schema version 2: runtime drift incidents.
--
-- One row per drift fingerprint. incident holds the whole record (the
-- aggregated contract.drift event, its status and the latest status
-- change) as relay writes it; function, status and last_seen are copies
-- for filtering and ordering. Rows are written inside the chain lock, so
-- two writers of one fingerprint serialise and both counts land; status
-- changes commit together with their audit event. Run relay with a role
-- that may SELECT, INSERT and UPDATE drift_incidents.

CREATE TABLE drift_incidents (
    fingerprint text        NOT NULL,
    function    text        NOT NULL,
    status      text        NOT NULL,
    last_seen   timestamptz NOT NULL,
    incident    jsonb       NOT NULL,
    CONSTRAINT drift_incidents_pkey PRIMARY KEY (fingerprint),
    CONSTRAINT drift_incidents_fingerprint_check CHECK (fingerprint ~ '^[0-9a-f]{1,64}$'),
    CONSTRAINT drift_incidents_status_check CHECK (status IN ('open', 'acknowledged', 'resolved')),
    CONSTRAINT drift_incidents_copies_check CHECK (
        incident->>'fingerprint' = fingerprint AND incident->>'function' = function AND incident->>'status' = status)
);

CREATE INDEX drift_incidents_function_idx ON drift_incidents (function, last_seen DESC);
CREATE INDEX drift_incidents_status_idx ON drift_incidents (status, last_seen DESC);

-- Incidents are kept: resolving one is a status, not a deletion.
CREATE TRIGGER drift_incidents_no_delete BEFORE DELETE ON drift_incidents
    FOR EACH ROW EXECUTE FUNCTION relay_registry_append_only();
CREATE TRIGGER drift_incidents_no_truncate BEFORE TRUNCATE ON drift_incidents
    FOR EACH STATEMENT EXECUTE FUNCTION relay_registry_append_only();
