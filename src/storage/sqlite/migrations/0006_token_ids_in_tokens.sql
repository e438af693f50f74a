-- Access tokens that carry their own id (crypto::mint_token_with_id) are
-- found by id, the time-ordered primary key, so they need no index on their
-- digest: every insert into such an index dirties a random page, which made
-- the index the cost of issuing a token. Only tokens without an id in them
-- (all tokens issued before this migration, and Heroku-surface HRKU- tokens)
-- keep a unique digest index, now partial on by_digest = 1.
--
-- SQLite cannot drop a column's UNIQUE constraint, so access_tokens is
-- rebuilt as in migration 0002 (nothing references it; every copied row
-- satisfies the same references).

CREATE TABLE access_tokens_new (
    id BLOB(16) PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    authorization_id BLOB(16) REFERENCES authorizations (id) ON DELETE CASCADE,
    user_id BLOB(16) CHECK (user_id IS NULL OR length(user_id) = 16),
    client_id BLOB(16) REFERENCES clients (id) ON DELETE CASCADE
        CHECK (client_id IS NULL OR length(client_id) = 16),
    digest BLOB NOT NULL,
    redacted TEXT NOT NULL,
    scope TEXT NOT NULL,
    expires_at INTEGER,
    created_at INTEGER NOT NULL,
    session_id BLOB(16) REFERENCES sessions (id) ON DELETE CASCADE,
    by_digest INTEGER NOT NULL DEFAULT 1 CHECK (by_digest IN (0, 1))
) WITHOUT ROWID;

INSERT INTO access_tokens_new
    (id, authorization_id, user_id, client_id, digest, redacted, scope, expires_at, created_at,
     session_id, by_digest)
SELECT id, authorization_id, user_id, client_id, digest, redacted, scope, expires_at, created_at,
       session_id, 1
FROM access_tokens;

DROP TABLE access_tokens;
ALTER TABLE access_tokens_new RENAME TO access_tokens;

CREATE UNIQUE INDEX access_tokens_digest ON access_tokens (digest) WHERE by_digest = 1;
-- NULL authorization ids (client_credentials tokens) are not indexed.
CREATE INDEX access_tokens_authorization_id ON access_tokens (authorization_id)
    WHERE authorization_id IS NOT NULL;
CREATE INDEX access_tokens_client_id ON access_tokens (client_id);
CREATE INDEX access_tokens_expires_at ON access_tokens (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX access_tokens_session_id ON access_tokens (session_id) WHERE session_id IS NOT NULL;
