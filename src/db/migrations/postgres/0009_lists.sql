-- 0009 — listes de diffusion and multi-recipient messages (messaging.md §8, §9).
--
-- A list belongs to one counselor. Its members are beneficiaries; a member who leaves the
-- owner's portfolio stays a member (shown greyed, left out of sends) until removed, and
-- the deletion or archive of the beneficiary removes it from every list. A multi-recipient
-- send writes one individual message per recipient (message.broadcast_id) and one
-- `broadcast` row; `broadcast_list_send` says which lists a send went to, for the list's
-- history — deleting a list deletes those rows only: the messages stay.

CREATE TABLE broadcast_list (
	id text PRIMARY KEY,                  -- UUIDv7
	counselor_id text NOT NULL REFERENCES counselor(id),
	title text NOT NULL,                  -- trimmed, 1–100 characters
	title_folded text NOT NULL,           -- case and accents removed: the sort by name
	created_at bigint NOT NULL,
	updated_at bigint NOT NULL
);
CREATE INDEX broadcast_list_owner ON broadcast_list(counselor_id, title_folded);

CREATE TABLE broadcast_list_member (
	list_id text NOT NULL REFERENCES broadcast_list(id),
	beneficiary_id text NOT NULL REFERENCES beneficiary(id),
	added_at bigint NOT NULL,
	PRIMARY KEY (list_id, beneficiary_id)
);
-- Removing a beneficiary removes its memberships.
CREATE INDEX broadcast_list_member_beneficiary ON broadcast_list_member(beneficiary_id);

CREATE TABLE broadcast (
	id text PRIMARY KEY,                  -- UUIDv7, also message.broadcast_id
	counselor_id text NOT NULL REFERENCES counselor(id),
	list_ids text NOT NULL CHECK (json_typeof(list_ids::json) = 'array'),
	recipient_ids text NOT NULL
		CHECK (json_typeof(recipient_ids::json) = 'array'),
	created_at bigint NOT NULL
);
CREATE INDEX broadcast_counselor ON broadcast(counselor_id, created_at);

CREATE TABLE broadcast_list_send (
	list_id text NOT NULL REFERENCES broadcast_list(id),
	broadcast_id text NOT NULL REFERENCES broadcast(id),
	created_at bigint NOT NULL,          -- the broadcast's, for the history's order
	PRIMARY KEY (list_id, created_at, broadcast_id)
);
