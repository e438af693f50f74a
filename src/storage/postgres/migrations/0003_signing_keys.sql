-- JWS signing keys (SQLite migration 0007). A key is published as `next`
-- before it signs, signs while `current`, and stays published while
-- `retired` until expires_at, when the last token it signed has expired. The
-- private key is stored sealed, never in the clear.
CREATE TABLE signing_keys (
    id text COLLATE "C" PRIMARY KEY,
    algorithm text NOT NULL CHECK (algorithm IN ('ES256', 'RS256', 'EdDSA')),
    public_jwk text NOT NULL,
    sealed_private_key bytea NOT NULL,
    state text NOT NULL CHECK (state IN ('next', 'current', 'retired')),
    created_at bigint NOT NULL,
    activated_at bigint,
    retired_at bigint,
    expires_at bigint,
    CHECK (state <> 'retired' OR expires_at IS NOT NULL)
);

-- At most one next and one current key.
CREATE UNIQUE INDEX signing_keys_one_per_state ON signing_keys (state)
    WHERE state IN ('next', 'current');
CREATE INDEX signing_keys_retired_expiry ON signing_keys (expires_at) WHERE state = 'retired';
