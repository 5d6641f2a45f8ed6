-- relay contract registry, schema version 1.
--
-- audit_events is the tamper-evident history; function_contract_versions
-- holds each published bundle and mirrors its status from the history.
-- The constraints and triggers below make the history append-only and
-- linear, published content immutable, and every status change answerable
-- to the audit event that made it. They bind every role that does not own
-- the tables: run relay with a role that may only SELECT and INSERT
-- audit_events and SELECT, INSERT and UPDATE function_contract_versions.

CREATE TABLE audit_events (
    seq       bigint      NOT NULL,
    time      timestamptz NOT NULL,
    actor     text        NOT NULL,
    action    text        NOT NULL,
    function  text        NOT NULL,
    version   text        NOT NULL,
    detail    text        NOT NULL,
    prev_hash text        NOT NULL,
    hash      text        NOT NULL,
    -- The event before this one; NULL for the first.
    prev_seq  bigint GENERATED ALWAYS AS (NULLIF(seq - 1, 0)) STORED,
    CONSTRAINT audit_events_pkey PRIMARY KEY (seq),
    CONSTRAINT audit_events_seq_check CHECK (seq >= 1),
    CONSTRAINT audit_events_hash_check CHECK (hash ~ '^[0-9a-f]{64}$' AND prev_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT audit_events_genesis_check CHECK (seq > 1 OR prev_hash = repeat('0', 64)),
    CONSTRAINT audit_events_seq_hash_key UNIQUE (seq, hash),
    -- No two events follow the same one: the chain cannot fork.
    CONSTRAINT audit_events_prev_hash_key UNIQUE (prev_hash),
    -- Every event but the first follows the event numbered one less, and
    -- names its hash: the chain has no gaps and no dangling links.
    CONSTRAINT audit_events_prev_fkey FOREIGN KEY (prev_seq, prev_hash) REFERENCES audit_events (seq, hash)
);

CREATE INDEX audit_events_function_idx ON audit_events (function, seq);

CREATE TABLE function_contract_versions (
    function      text        NOT NULL,
    version       text        NOT NULL,
    kind          text        NOT NULL,
    main          text        NOT NULL,
    -- The bundle: file_paths[i] holds file_contents[i].
    file_paths    text[]      NOT NULL,
    file_contents bytea[]     NOT NULL,
    sha256        text        NOT NULL,
    author        text        NOT NULL,
    created_at    timestamptz NOT NULL,
    diff          jsonb,
    status        text        NOT NULL,
    reviewer      text        NOT NULL DEFAULT '',
    reason        text        NOT NULL DEFAULT '',
    decided_at    timestamptz,
    retired_by    text        NOT NULL DEFAULT '',
    retire_reason text        NOT NULL DEFAULT '',
    retired_at    timestamptz,
    -- The audit event that gave the row its current status.
    last_seq      bigint      NOT NULL,
    CONSTRAINT function_contract_versions_pkey PRIMARY KEY (function, version),
    CONSTRAINT function_contract_versions_sha256_key UNIQUE (function, sha256),
    CONSTRAINT function_contract_versions_last_seq_fkey FOREIGN KEY (last_seq) REFERENCES audit_events (seq),
    CONSTRAINT function_contract_versions_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT function_contract_versions_status_check
        CHECK (status IN ('pending', 'approved', 'rejected', 'deprecated', 'withdrawn')),
    CONSTRAINT function_contract_versions_files_check CHECK (
        array_ndims(file_paths) = 1 AND array_ndims(file_contents) = 1
        AND cardinality(file_paths) = cardinality(file_contents)
        AND array_position(file_paths, NULL) IS NULL
        AND array_position(file_contents, NULL) IS NULL
        AND main = ANY (file_paths))
);

CREATE INDEX function_contract_versions_last_seq_idx ON function_contract_versions (last_seq);

-- Audit events and versions are never deleted, and events never change.
CREATE FUNCTION relay_registry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'relay registry: % is append-only; event % can never be changed', TG_TABLE_NAME, OLD.seq
            USING ERRCODE = 'restrict_violation';
    END IF;
    RAISE EXCEPTION 'relay registry: rows of % are kept forever and can never be deleted', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION relay_registry_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION relay_registry_append_only();
CREATE TRIGGER function_contract_versions_no_delete BEFORE DELETE ON function_contract_versions
    FOR EACH ROW EXECUTE FUNCTION relay_registry_append_only();
CREATE TRIGGER function_contract_versions_no_truncate BEFORE TRUNCATE ON function_contract_versions
    FOR EACH STATEMENT EXECUTE FUNCTION relay_registry_append_only();

-- A version row is inserted pending together with its publish event; its
-- content never changes; its status moves only along the lifecycle, each
-- step together with the audit event (last_seq) that records it.
CREATE FUNCTION relay_registry_guard_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ref  text := NEW.function || '@' || NEW.version;
    ev   audit_events;
    want text;
BEGIN
    SELECT * INTO ev FROM audit_events WHERE seq = NEW.last_seq;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'pending' OR NEW.reviewer <> '' OR NEW.reason <> '' OR NEW.decided_at IS NOT NULL
            OR NEW.retired_by <> '' OR NEW.retire_reason <> '' OR NEW.retired_at IS NOT NULL THEN
            RAISE EXCEPTION 'relay registry: % must be published pending, with no review yet', ref
                USING ERRCODE = 'check_violation';
        END IF;
        IF (ev.action, ev.function, ev.version, ev.actor, ev.detail, ev.time)
            IS DISTINCT FROM ('publish', NEW.function, NEW.version, NEW.author, NEW.sha256, NEW.created_at) THEN
            RAISE EXCEPTION 'relay registry: % must be inserted with its publish event', ref
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;

    IF (NEW.function, NEW.version, NEW.kind, NEW.main, NEW.file_paths, NEW.file_contents,
        NEW.sha256, NEW.author, NEW.created_at, NEW.diff)
        IS DISTINCT FROM (OLD.function, OLD.version, OLD.kind, OLD.main, OLD.file_paths, OLD.file_contents,
        OLD.sha256, OLD.author, OLD.created_at, OLD.diff) THEN
        RAISE EXCEPTION 'relay registry: % is published and its content can never change', OLD.function || '@' || OLD.version
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    IF NEW.status = OLD.status THEN
        RAISE EXCEPTION 'relay registry: the review of % changes only together with its status', ref
            USING ERRCODE = 'check_violation';
    END IF;
    want := CASE OLD.status || '>' || NEW.status
        WHEN 'pending>approved' THEN 'approve'
        WHEN 'pending>rejected' THEN 'reject'
        WHEN 'approved>deprecated' THEN 'deprecate'
        WHEN 'approved>withdrawn' THEN 'withdraw'
        WHEN 'deprecated>withdrawn' THEN 'withdraw'
    END;
    IF want IS NULL THEN
        RAISE EXCEPTION 'relay registry: % cannot move from % to %', ref, OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.last_seq <= OLD.last_seq
        OR (ev.action, ev.function, ev.version) IS DISTINCT FROM (want, NEW.function, NEW.version)
        OR want IN ('approve', 'reject') AND (
            (NEW.reviewer, NEW.reason, NEW.decided_at) IS DISTINCT FROM (ev.actor, ev.detail, ev.time)
            OR (NEW.retired_by, NEW.retire_reason, NEW.retired_at) IS DISTINCT FROM (OLD.retired_by, OLD.retire_reason, OLD.retired_at))
        OR want IN ('deprecate', 'withdraw') AND (
            (NEW.retired_by, NEW.retire_reason, NEW.retired_at) IS DISTINCT FROM (ev.actor, ev.detail, ev.time)
            OR (NEW.reviewer, NEW.reason, NEW.decided_at) IS DISTINCT FROM (OLD.reviewer, OLD.reason, OLD.decided_at)) THEN
        RAISE EXCEPTION 'relay registry: the status of % changes only together with the audit event that records it', ref
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER function_contract_versions_guard BEFORE INSERT OR UPDATE ON function_contract_versions
    FOR EACH ROW EXECUTE FUNCTION relay_registry_guard_version();
