-- 0005 — two-character index of the folded names, for the structure-wide search (§10).
-- A row matches a token only if it contains the token's first two characters, so the
-- search reads the rows of one gram instead of the whole structure; the folded name rides
-- along so that the other tokens are checked and the order given without the table.
CREATE TABLE beneficiary_gram (
	structure_id text NOT NULL,
	gram text NOT NULL,                   -- two characters of search_folded
	search_folded text NOT NULL,
	beneficiary_id text NOT NULL,
	PRIMARY KEY (structure_id, gram, search_folded, beneficiary_id)
);
CREATE INDEX beneficiary_gram_owner ON beneficiary_gram(beneficiary_id);

-- Kept by triggers, so every writer (creation, refresh, bench data) stays consistent.
-- Grams holding a space or a hyphen are skipped: tokens never contain them. SQLite writes
-- the same rows from three triggers of plain SQL; here one function writes a name's grams.
CREATE FUNCTION beneficiary_gram_add(p_structure text, p_folded text, p_id text) RETURNS void
	LANGUAGE sql AS $$
	INSERT INTO beneficiary_gram(structure_id, gram, search_folded, beneficiary_id)
	SELECT p_structure, substr(p_folded, n, 2), p_folded, p_id
	FROM generate_series(1, length(p_folded) - 1) AS n
	WHERE strpos(substr(p_folded, n, 2), ' ') = 0
	  AND strpos(substr(p_folded, n, 2), '-') = 0
	ON CONFLICT DO NOTHING
$$;

CREATE FUNCTION beneficiary_gram_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM beneficiary_gram_add(NEW.structure_id, NEW.search_folded, NEW.id);
	RETURN NULL;
END $$;
CREATE TRIGGER beneficiary_gram_insert AFTER INSERT ON beneficiary
	FOR EACH ROW WHEN (NEW.deleted_at IS NULL) EXECUTE FUNCTION beneficiary_gram_insert();

CREATE FUNCTION beneficiary_gram_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM beneficiary_gram WHERE beneficiary_id = OLD.id;
	RETURN OLD;
END $$;
CREATE TRIGGER beneficiary_gram_delete BEFORE DELETE ON beneficiary
	FOR EACH ROW EXECUTE FUNCTION beneficiary_gram_delete();

CREATE FUNCTION beneficiary_gram_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM beneficiary_gram WHERE beneficiary_id = OLD.id;
	IF NEW.deleted_at IS NULL THEN
		PERFORM beneficiary_gram_add(NEW.structure_id, NEW.search_folded, NEW.id);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER beneficiary_gram_update AFTER UPDATE OF search_folded, structure_id, deleted_at
	ON beneficiary FOR EACH ROW EXECUTE FUNCTION beneficiary_gram_update();

-- Existing accounts.
SELECT beneficiary_gram_add(structure_id, search_folded, id) FROM beneficiary
WHERE deleted_at IS NULL;
