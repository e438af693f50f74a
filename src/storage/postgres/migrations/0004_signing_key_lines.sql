-- One key line per algorithm (issue 6), as SQLite's migration 0012: a client
-- may ask for ES256, RS256 or EdDSA ID tokens (id_token_signed_response_alg),
-- so each algorithm has its own next and current key, rotated on its own.
-- Existing rows fit (there was at most one next and one current key in all).
-- Additive for the previous release: it only ever had one line, which the
-- new index still allows.
CREATE UNIQUE INDEX signing_keys_one_per_line ON signing_keys (algorithm, state)
    WHERE state IN ('next', 'current');
DROP INDEX signing_keys_one_per_state;
