-- 0022 — the size of each counselor's portfolio, kept by triggers like the summaries of
-- 0021: the portfolio page counted its rows on every request (a tenth of the page's
-- instructions for 50 beneficiaries; bench/README.md). portfolio_size is the number of
-- beneficiaries with counselor_id = counselor.id AND deleted_at IS NULL; test_portfolio.c
-- compares it with that count after creations, a transfer, a deletion and a purge.
ALTER TABLE counselor ADD COLUMN portfolio_size bigint NOT NULL DEFAULT 0;
UPDATE counselor SET portfolio_size = (SELECT count(*) FROM beneficiary b
	WHERE b.counselor_id = counselor.id AND b.deleted_at IS NULL);

CREATE FUNCTION portfolio_size_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE counselor SET portfolio_size = portfolio_size + 1 WHERE id = NEW.counselor_id;
	RETURN NULL;
END $$;
CREATE TRIGGER portfolio_size_insert AFTER INSERT ON beneficiary
	FOR EACH ROW WHEN (NEW.deleted_at IS NULL) EXECUTE FUNCTION portfolio_size_insert();

CREATE FUNCTION portfolio_size_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE counselor SET portfolio_size = portfolio_size - 1 WHERE id = OLD.counselor_id;
	RETURN NULL;
END $$;
CREATE TRIGGER portfolio_size_delete AFTER DELETE ON beneficiary
	FOR EACH ROW WHEN (OLD.deleted_at IS NULL) EXECUTE FUNCTION portfolio_size_delete();

-- A transfer (counselor_id), a deletion or an archive (deleted_at set), or both.
CREATE FUNCTION portfolio_size_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE counselor SET portfolio_size = portfolio_size - 1
	WHERE id = OLD.counselor_id AND OLD.deleted_at IS NULL;
	UPDATE counselor SET portfolio_size = portfolio_size + 1
	WHERE id = NEW.counselor_id AND NEW.deleted_at IS NULL;
	RETURN NULL;
END $$;
CREATE TRIGGER portfolio_size_update AFTER UPDATE OF counselor_id, deleted_at ON beneficiary
	FOR EACH ROW WHEN (OLD.counselor_id IS DISTINCT FROM NEW.counselor_id
			   OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
	EXECUTE FUNCTION portfolio_size_update();
