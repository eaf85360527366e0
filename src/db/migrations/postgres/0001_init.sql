-- 0001 — structures, counselors, beneficiaries, sessions, tokens, outbox, audit, jobs.
-- PostgreSQL twin of sqlite/0001_init.sql (docs/postgres.md): INTEGER is bigint (ids are
-- UUIDv7 text, instants integer milliseconds, booleans 0/1), TEXT text, BLOB bytea.
-- The database is created with the C.UTF-8 (or C) collation, so text sorts by code point
-- as SQLite's BINARY does: names, cursors and keyset pages come in the same order.

-- ---- Compatibility functions: SQLite's names, so that DML is written once ---------------
-- Each has the meaning SQLite gives it for the arguments the stores pass (docs/postgres.md).

-- instr(a, b): 1-based position of b in a, 0 when absent (jobs_store's purge by key).
-- The name search needs none: db_sql_contains() writes strpos() on PostgreSQL.
CREATE FUNCTION instr(text, text) RETURNS bigint
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN strpos($1, $2);
-- On blobs, bytes in bytes (the tests check that no sealed content holds its plain text).
CREATE FUNCTION instr(bytea, bytea) RETURNS bigint
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN position($2 IN $1);

-- json_each(t) over a JSON array: one row per element, its value as SQL text (strings
-- unquoted, as SQLite gives them) in `value`, its 0-based index in `key`.
CREATE FUNCTION json_each(t text) RETURNS TABLE (key bigint, value text)
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT e.n - 1, e.v FROM json_array_elements_text(t::json) WITH ORDINALITY AS e(v, n)
$$;

-- json_array_length(t) of a JSON array held in a text column.
CREATE FUNCTION json_array_length(t text) RETURNS bigint
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN json_array_length(t::json);

-- json_group_array(v): the JSON array of the aggregated text values ('[]' for none, as
-- SQLite), as text.
CREATE FUNCTION cej_json_group_array_final(a text[]) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN coalesce(array_to_json(a)::text, '[]');
CREATE AGGREGATE json_group_array(text) (
	SFUNC = array_append, STYPE = text[], FINALFUNC = cej_json_group_array_final,
	INITCOND = '{}');

-- group_concat(v [, separator]): the non-NULL values joined by ',' (or the separator),
-- NULL for none, as SQLite (the tests' SQL reads several values at once with it).
CREATE FUNCTION cej_group_concat_step(acc text, v text, sep text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v ELSE acc || sep || v END;
CREATE FUNCTION cej_group_concat_step(acc text, v text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN cej_group_concat_step(acc, v, ',');
CREATE AGGREGATE group_concat(text) (SFUNC = cej_group_concat_step, STYPE = text);
-- Numbers too (SQLite's value as text).
CREATE FUNCTION cej_group_concat_step(acc text, v anyelement) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT cej_group_concat_step(acc, v::text, ',') $$;
CREATE AGGREGATE group_concat(anyelement) (SFUNC = cej_group_concat_step, STYPE = text);
CREATE AGGREGATE group_concat(text, text) (SFUNC = cej_group_concat_step, STYPE = text);

CREATE TABLE structure (
	id text PRIMARY KEY,
	code text NOT NULL UNIQUE,            -- i-milo code, e.g. 29019S00
	name text NOT NULL,
	timezone text NOT NULL DEFAULT 'Europe/Paris',
	created_at bigint NOT NULL
);

CREATE TABLE counselor (
	id text PRIMARY KEY,
	structure_id text NOT NULL REFERENCES structure(id),
	email text UNIQUE,                    -- lower-cased; NULL when i-milo has none
	first_name text NOT NULL,
	last_name text NOT NULL,
	imilo_login text UNIQUE,
	password_hash text,                   -- argon2id; NULL until set
	is_supervisor bigint NOT NULL DEFAULT 0,
	created_at bigint NOT NULL
);

CREATE TABLE beneficiary (
	id text PRIMARY KEY,
	structure_id text NOT NULL REFERENCES structure(id),
	counselor_id text NOT NULL REFERENCES counselor(id),
	first_name text NOT NULL,
	last_name text NOT NULL,
	search_folded text NOT NULL,          -- folded "last first" for search
	email text NOT NULL,                  -- lower-cased
	birth_date text,                      -- YYYY-MM-DD
	postal_code text,
	imilo_dossier_id text NOT NULL,
	imilo_account_id text,
	dispositif text NOT NULL CHECK (dispositif IN ('CEJ', 'PACEA')),
	cej_end_date text,
	current_situation text,               -- NULL: "Sans situation"
	situations_json text NOT NULL DEFAULT '[]',
	password_hash text,
	created_at bigint NOT NULL,
	activated_at bigint,
	last_activity_at bigint,
	last_activation_resend_at bigint,
	deleted_at bigint,
	-- Compatibility (docs/postgres.md): SQLite's implicit rowid, in insertion order, which
	-- the portfolio's orders end with (ties of equal folded names keep that order).
	rowid bigint GENERATED ALWAYS AS IDENTITY
);
-- At most one live account per dossier and per e-mail (beneficiaries.md §1).
CREATE UNIQUE INDEX beneficiary_live_dossier ON beneficiary(imilo_dossier_id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX beneficiary_live_email ON beneficiary(email) WHERE deleted_at IS NULL;
CREATE INDEX beneficiary_portfolio ON beneficiary(counselor_id, last_name, first_name) WHERE deleted_at IS NULL;

CREATE TABLE conversation (
	id text PRIMARY KEY,
	beneficiary_id text NOT NULL UNIQUE REFERENCES beneficiary(id),
	created_at bigint NOT NULL
);

-- Activation and password-reset links: only the hash of the token is kept.
CREATE TABLE account_token (
	hash text PRIMARY KEY,
	beneficiary_id text NOT NULL REFERENCES beneficiary(id),
	kind text NOT NULL CHECK (kind IN ('activation', 'reset')),
	created_at bigint NOT NULL,
	expires_at bigint NOT NULL,
	used_at bigint
);
CREATE INDEX account_token_beneficiary ON account_token(beneficiary_id);

CREATE TABLE web_session (
	hash text PRIMARY KEY,                -- SHA-256 of the cookie value
	user_kind text NOT NULL CHECK (user_kind IN ('counselor', 'beneficiary')),
	user_id text NOT NULL,
	csrf text NOT NULL,
	created_at bigint NOT NULL,
	seen_at bigint NOT NULL
);
CREATE INDEX web_session_user ON web_session(user_kind, user_id);

-- Failed logins, for throttling per account and per address.
CREATE TABLE login_failure (
	scope text NOT NULL,                  -- 'account:{email}' or 'ip:{address}'
	at bigint NOT NULL
);
CREATE INDEX login_failure_scope ON login_failure(scope, at);

CREATE TABLE mail_outbox (
	id text PRIMARY KEY,
	recipient text NOT NULL,
	subject text NOT NULL,
	body_text text NOT NULL,
	body_html text NOT NULL,
	created_at bigint NOT NULL,
	attempts bigint NOT NULL DEFAULT 0,
	next_attempt_at bigint NOT NULL,
	sent_at bigint,
	failed_at bigint,                    -- gave up after the last attempt
	last_error text
);
CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

CREATE TABLE audit_log (
	id text PRIMARY KEY,
	at bigint NOT NULL,
	actor_kind text NOT NULL,
	actor_id text,
	action text NOT NULL,
	target_id text,
	detail text
);
