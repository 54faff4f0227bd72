-- `--confirm`: whether the platform confirmed a callback, when to ask it next,
-- and the links it answered; confirmation events name the callback (they have no
-- header set: app_id and timestamp are empty).
ALTER TABLE callbacks ADD COLUMN confirmation TEXT
    CHECK (confirmation IN ('awaiting', 'confirmed', 'not_confirmed'));
ALTER TABLE callbacks ADD COLUMN confirm_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE callbacks ADD COLUMN confirm_after INTEGER;
ALTER TABLE callbacks ADD COLUMN platform_h5_url TEXT;
ALTER TABLE callbacks ADD COLUMN platform_h5_detail_url TEXT;
CREATE INDEX callbacks_confirmation ON callbacks (confirmation, id);
ALTER TABLE security_events ADD COLUMN callback_id INTEGER;
