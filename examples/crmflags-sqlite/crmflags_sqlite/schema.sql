-- The database the sqlite connector reads. Only clients is required; a missing
-- history table means no history of that kind. Dates are YYYY-MM-DD, timestamps
-- YYYY-MM-DD HH:MM[:SS][+HH:MM] (without an offset: the time zone of crmflags.yaml).
CREATE TABLE clients (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    email              TEXT,
    hourly_rate_target REAL,
    gut_feeling        INTEGER NOT NULL DEFAULT 0,  -- 1: your instinct says trouble
    team_morale        REAL,                        -- 1 (miserable) to 5 (happy)
    -- Written by crmflags (`crmflags setup` adds them to a database without them).
    risk_level         TEXT,
    risk_score         TEXT,
    risk_tags          TEXT,
    risk_reasons       TEXT,
    risk_changed_at    TEXT
);

CREATE TABLE invoices (
    client_id  TEXT NOT NULL REFERENCES clients (id),
    invoice_id TEXT NOT NULL,
    issued_on  TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    paid_on    TEXT,                                -- NULL while unpaid
    amount     REAL NOT NULL
);

CREATE TABLE activities (
    client_id   TEXT NOT NULL REFERENCES clients (id),
    occurred_at TEXT NOT NULL,
    kind        TEXT NOT NULL,  -- call, email, meeting, message, change_request, rush_request, reminder
    direction   TEXT,           -- inbound (the default) or outbound
    subject     TEXT
);

CREATE TABLE notes (
    client_id  TEXT NOT NULL REFERENCES clients (id),
    created_at TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    marker     TEXT             -- advice_ignored, agreement_disputed, disrespect, threat, legal, competitor
);
