-- security events about header sets (replays) as counts a minute: a flood of
-- replays adds to one row.
CREATE TABLE security_event_counts (
    minute BIGINT NOT NULL,
    kind TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (minute, kind)
);
