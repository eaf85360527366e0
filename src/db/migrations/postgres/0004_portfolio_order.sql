-- 0004 — the portfolio page is sorted and cut by the database, in search_folded order.
DROP INDEX beneficiary_portfolio;
-- rowid ends it as it ends every SQLite index: the order "search_folded, rowid" is the index's.
CREATE INDEX beneficiary_portfolio ON beneficiary(counselor_id, search_folded, rowid)
	WHERE deleted_at IS NULL;
