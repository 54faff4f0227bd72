-- callbacks, nonces, counters, security events.
CREATE TABLE callbacks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body BLOB NOT NULL,
    body_hash TEXT NOT NULL UNIQUE,
    study_key TEXT NOT NULL,
    status INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'superseded', 'dead')),
    received_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until INTEGER,
    updated_at INTEGER NOT NULL
);
CREATE INDEX callbacks_state ON callbacks (state, id);
CREATE INDEX callbacks_study ON callbacks (study_key, id);
CREATE TABLE nonces (
    app_id TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    sent_ms INTEGER NOT NULL,
    body_hash TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    PRIMARY KEY (app_id, timestamp)
);
CREATE INDEX nonces_sent ON nonces (sent_ms);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE security_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    app_id TEXT NOT NULL,
    timestamp TEXT NOT NULL
);
