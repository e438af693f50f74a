-- Dynamic client registration (RFC 7591/7592). A client registered through
-- POST /oauth/register keeps the digest of its registration access token;
-- NULL for every other client. Initial access tokens (RFC 7591 §3) are kept
-- as digests too, with how often they may be used (NULL: without limit),
-- how often they were, and when they expire (NULL: never).
ALTER TABLE clients ADD COLUMN registration_token_digest BLOB;

CREATE TABLE initial_access_tokens (
    id BLOB(16) PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    digest BLOB NOT NULL UNIQUE,
    max_uses INTEGER CHECK (max_uses IS NULL OR max_uses > 0),
    uses INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0),
    expires_at INTEGER,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
