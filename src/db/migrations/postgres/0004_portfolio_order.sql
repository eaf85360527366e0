-- 0004 — the portfolio page is sorted and cut by the database, in search_folded order.
DROP INDEX beneficiary_portfolio;
CREATE INDEX beneficiary_portfolio ON beneficiary(counselor_id, search_folded) WHERE deleted_at IS NULL;
