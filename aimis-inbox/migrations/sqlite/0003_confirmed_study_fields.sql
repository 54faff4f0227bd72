-- `--confirm`: the study's fields the platform lists, as JSON.
ALTER TABLE callbacks ADD COLUMN platform_study TEXT;
