-- callbacks, nonces, counters, security events.
CREATE TABLE callbacks (
    id BIGSERIAL PRIMARY KEY,
    body BYTEA NOT NULL,
    body_hash TEXT NOT NULL UNIQUE,
    study_key TEXT NOT NULL,
    status BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'superseded', 'dead')),
    received_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    lease_until BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX callbacks_state ON callbacks (state, id);
CREATE INDEX callbacks_study ON callbacks (study_key, id);
CREATE TABLE nonces (
    app_id TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    sent_ms BIGINT NOT NULL,
    body_hash TEXT NOT NULL,
    first_seen BIGINT NOT NULL,
    PRIMARY KEY (app_id, timestamp)
);
CREATE INDEX nonces_sent ON nonces (sent_ms);
CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE security_events (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    app_id TEXT NOT NULL,
    timestamp TEXT NOT NULL
);
