-- The agency's statistics read a year's claims by the day their care ended:
-- a narrow covering index lets that read skip the wide claim rows (facts,
-- explanations, agents). Same shape in ../postgres/.
CREATE INDEX claims_statistics ON claims(care_to, county_code, kind, status, reason, billed_fen, payout_fen);
