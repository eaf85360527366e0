-- 0001 — structures, counselors, beneficiaries, sessions, tokens, outbox, audit, jobs.
CREATE TABLE structure (
	id TEXT PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,            -- i-milo code, e.g. 29019S00
	name TEXT NOT NULL,
	timezone TEXT NOT NULL DEFAULT 'Europe/Paris',
	created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE counselor (
	id TEXT PRIMARY KEY,
	structure_id TEXT NOT NULL REFERENCES structure(id),
	email TEXT UNIQUE,                    -- lower-cased; NULL when i-milo has none
	first_name TEXT NOT NULL,
	last_name TEXT NOT NULL,
	imilo_login TEXT UNIQUE,
	password_hash TEXT,                   -- argon2id; NULL until set
	is_supervisor INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE beneficiary (
	id TEXT PRIMARY KEY,
	structure_id TEXT NOT NULL REFERENCES structure(id),
	counselor_id TEXT NOT NULL REFERENCES counselor(id),
	first_name TEXT NOT NULL,
	last_name TEXT NOT NULL,
	search_folded TEXT NOT NULL,          -- folded "last first" for search
	email TEXT NOT NULL,                  -- lower-cased
	birth_date TEXT,                      -- YYYY-MM-DD
	postal_code TEXT,
	imilo_dossier_id TEXT NOT NULL,
	imilo_account_id TEXT,
	dispositif TEXT NOT NULL CHECK (dispositif IN ('CEJ', 'PACEA')),
	cej_end_date TEXT,
	current_situation TEXT,               -- NULL: "Sans situation"
	situations_json TEXT NOT NULL DEFAULT '[]',
	password_hash TEXT,
	created_at INTEGER NOT NULL,
	activated_at INTEGER,
	last_activity_at INTEGER,
	last_activation_resend_at INTEGER,
	deleted_at INTEGER
) STRICT;
-- At most one live account per dossier and per e-mail (beneficiaries.md §1).
CREATE UNIQUE INDEX beneficiary_live_dossier ON beneficiary(imilo_dossier_id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX beneficiary_live_email ON beneficiary(email) WHERE deleted_at IS NULL;
CREATE INDEX beneficiary_portfolio ON beneficiary(counselor_id, last_name, first_name) WHERE deleted_at IS NULL;

CREATE TABLE conversation (
	id TEXT PRIMARY KEY,
	beneficiary_id TEXT NOT NULL UNIQUE REFERENCES beneficiary(id),
	created_at INTEGER NOT NULL
) STRICT;

-- Activation and password-reset links: only the hash of the token is kept.
CREATE TABLE account_token (
	hash TEXT PRIMARY KEY,
	beneficiary_id TEXT NOT NULL REFERENCES beneficiary(id),
	kind TEXT NOT NULL CHECK (kind IN ('activation', 'reset')),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at INTEGER
) STRICT;
CREATE INDEX account_token_beneficiary ON account_token(beneficiary_id);

CREATE TABLE web_session (
	hash TEXT PRIMARY KEY,                -- SHA-256 of the cookie value
	user_kind TEXT NOT NULL CHECK (user_kind IN ('counselor', 'beneficiary')),
	user_id TEXT NOT NULL,
	csrf TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	seen_at INTEGER NOT NULL
) STRICT;
CREATE INDEX web_session_user ON web_session(user_kind, user_id);

-- Failed logins, for throttling per account and per address.
CREATE TABLE login_failure (
	scope TEXT NOT NULL,                  -- 'account:{email}' or 'ip:{address}'
	at INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failure_scope ON login_failure(scope, at);

CREATE TABLE mail_outbox (
	id TEXT PRIMARY KEY,
	recipient TEXT NOT NULL,
	subject TEXT NOT NULL,
	body_text TEXT NOT NULL,
	body_html TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	sent_at INTEGER,
	failed_at INTEGER,                    -- gave up after the last attempt
	last_error TEXT
) STRICT;
CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

CREATE TABLE audit_log (
	id TEXT PRIMARY KEY,
	at INTEGER NOT NULL,
	actor_kind TEXT NOT NULL,
	actor_id TEXT,
	action TEXT NOT NULL,
	target_id TEXT,
	detail TEXT
) STRICT;
