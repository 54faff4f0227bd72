-- `--confirm`, as on SQLite.
ALTER TABLE callbacks ADD COLUMN platform_study TEXT;
