-- JWS signing keys for ID tokens (OpenID Connect) and, later, JWT access
-- tokens. A key is published as `next` before it signs, signs while
-- `current`, and stays published while `retired` until expires_at, when the
-- last token it signed has expired. The private key is stored sealed
-- (AES-256-GCM under a key derived from the digest key), never in the clear.
CREATE TABLE signing_keys (
    id TEXT PRIMARY KEY NOT NULL,
    algorithm TEXT NOT NULL CHECK (algorithm IN ('ES256', 'RS256', 'EdDSA')),
    public_jwk TEXT NOT NULL,
    sealed_private_key BLOB NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('next', 'current', 'retired')),
    created_at INTEGER NOT NULL,
    activated_at INTEGER,
    retired_at INTEGER,
    expires_at INTEGER,
    CHECK (state <> 'retired' OR expires_at IS NOT NULL)
);

-- At most one next and one current key.
CREATE UNIQUE INDEX signing_keys_one_per_state ON signing_keys (state)
    WHERE state IN ('next', 'current');
CREATE INDEX signing_keys_retired_expiry ON signing_keys (expires_at) WHERE state = 'retired';
