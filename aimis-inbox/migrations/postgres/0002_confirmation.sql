-- `--confirm`, as on SQLite.
ALTER TABLE callbacks ADD COLUMN confirmation TEXT
    CHECK (confirmation IN ('awaiting', 'confirmed', 'not_confirmed'));
ALTER TABLE callbacks ADD COLUMN confirm_attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE callbacks ADD COLUMN confirm_after BIGINT;
ALTER TABLE callbacks ADD COLUMN platform_h5_url TEXT;
ALTER TABLE callbacks ADD COLUMN platform_h5_detail_url TEXT;
CREATE INDEX callbacks_confirmation ON callbacks (confirmation, id);
ALTER TABLE security_events ADD COLUMN callback_id BIGINT;
