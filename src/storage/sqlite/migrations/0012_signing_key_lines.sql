-- One key line per algorithm (issue 6): a client may ask for ES256, RS256 or
-- EdDSA ID tokens (id_token_signed_response_alg), so each algorithm in use
-- has its own next and current key, rotated on its own. Existing rows fit:
-- before this there was at most one next and one current key in all.
DROP INDEX signing_keys_one_per_state;
CREATE UNIQUE INDEX signing_keys_one_per_line ON signing_keys (algorithm, state)
    WHERE state IN ('next', 'current');
