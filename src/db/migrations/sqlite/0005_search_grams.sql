-- 0005 — two-character index of the folded names, for the structure-wide search (§10).
-- A row matches a token only if it contains the token's first two characters, so the
-- search reads the rows of one gram instead of the whole structure; the folded name rides
-- along so that the other tokens are checked and the order given without the table.
CREATE TABLE beneficiary_gram (
	structure_id TEXT NOT NULL,
	gram TEXT NOT NULL,                   -- two characters of search_folded
	search_folded TEXT NOT NULL,
	beneficiary_id TEXT NOT NULL,
	PRIMARY KEY (structure_id, gram, search_folded, beneficiary_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX beneficiary_gram_owner ON beneficiary_gram(beneficiary_id);

-- Kept by triggers, so every writer (creation, refresh, bench data) stays consistent.
-- Grams holding a space or a hyphen are skipped: tokens never contain them.
CREATE TRIGGER beneficiary_gram_insert AFTER INSERT ON beneficiary WHEN NEW.deleted_at IS NULL
BEGIN
	INSERT OR IGNORE INTO beneficiary_gram(structure_id, gram, search_folded, beneficiary_id)
	WITH RECURSIVE pos(n) AS (
		SELECT 1 UNION ALL SELECT n + 1 FROM pos WHERE n < length(NEW.search_folded) - 1)
	SELECT NEW.structure_id, substr(NEW.search_folded, n, 2), NEW.search_folded, NEW.id
	FROM pos
	WHERE instr(substr(NEW.search_folded, n, 2), ' ') = 0
	  AND instr(substr(NEW.search_folded, n, 2), '-') = 0;
END;

CREATE TRIGGER beneficiary_gram_delete BEFORE DELETE ON beneficiary
BEGIN
	DELETE FROM beneficiary_gram WHERE beneficiary_id = OLD.id;
END;

CREATE TRIGGER beneficiary_gram_update AFTER UPDATE OF search_folded, structure_id, deleted_at
	ON beneficiary
BEGIN
	DELETE FROM beneficiary_gram WHERE beneficiary_id = OLD.id;
	INSERT OR IGNORE INTO beneficiary_gram(structure_id, gram, search_folded, beneficiary_id)
	WITH RECURSIVE pos(n) AS (
		SELECT 1 UNION ALL SELECT n + 1 FROM pos WHERE n < length(NEW.search_folded) - 1)
	SELECT NEW.structure_id, substr(NEW.search_folded, n, 2), NEW.search_folded, NEW.id
	FROM pos
	WHERE NEW.deleted_at IS NULL
	  AND instr(substr(NEW.search_folded, n, 2), ' ') = 0
	  AND instr(substr(NEW.search_folded, n, 2), '-') = 0;
END;

-- Existing accounts.
INSERT OR IGNORE INTO beneficiary_gram(structure_id, gram, search_folded, beneficiary_id)
	WITH RECURSIVE pos(id, n) AS (
		SELECT id, 1 FROM beneficiary WHERE deleted_at IS NULL
		UNION ALL
		SELECT pos.id, n + 1 FROM pos JOIN beneficiary b ON b.id = pos.id
		WHERE n < length(b.search_folded) - 1)
	SELECT b.structure_id, substr(b.search_folded, n, 2), b.search_folded, b.id
	FROM pos JOIN beneficiary b ON b.id = pos.id
	WHERE instr(substr(b.search_folded, n, 2), ' ') = 0
	  AND instr(substr(b.search_folded, n, 2), '-') = 0;
