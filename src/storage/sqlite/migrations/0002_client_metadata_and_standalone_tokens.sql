-- Client metadata (RFC 7591) and access tokens that stand on their own.
-- grant_types and scopes are space-joined like scope. Existing clients were
-- all made on the Heroku surface: authorization_code + refresh_token,
-- client_secret_basic, a stable refresh token.
--
-- A client_credentials token has no authorization and no user, so
-- access_tokens is rebuilt with both nullable (SQLite cannot drop NOT NULL),
-- and client_id now references clients so such a token dies with its client.
-- migrate() runs this inside one transaction with foreign_keys=ON, which
-- cannot be switched off there; that is safe because no table references
-- access_tokens (dropping it cascades nowhere) and every copied row satisfies
-- the new references. A token whose client no longer exists could not have
-- been used (deleting a client revokes its tokens) and is not copied.

ALTER TABLE clients ADD COLUMN grant_types TEXT NOT NULL
    DEFAULT 'authorization_code refresh_token';
ALTER TABLE clients ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN token_endpoint_auth_method TEXT NOT NULL
    DEFAULT 'client_secret_basic';
ALTER TABLE clients ADD COLUMN refresh_policy TEXT NOT NULL DEFAULT 'stable';

CREATE TABLE access_tokens_new (
    id BLOB(16) PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    authorization_id BLOB(16) REFERENCES authorizations (id) ON DELETE CASCADE,
    user_id BLOB(16) CHECK (user_id IS NULL OR length(user_id) = 16),
    client_id BLOB(16) REFERENCES clients (id) ON DELETE CASCADE
        CHECK (client_id IS NULL OR length(client_id) = 16),
    digest BLOB NOT NULL UNIQUE,
    redacted TEXT NOT NULL,
    scope TEXT NOT NULL,
    expires_at INTEGER,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO access_tokens_new
    (id, authorization_id, user_id, client_id, digest, redacted, scope, expires_at, created_at)
SELECT id, authorization_id, user_id, client_id, digest, redacted, scope, expires_at, created_at
FROM access_tokens
WHERE client_id IS NULL OR client_id IN (SELECT id FROM clients);

DROP TABLE access_tokens;
ALTER TABLE access_tokens_new RENAME TO access_tokens;

CREATE INDEX access_tokens_authorization_id ON access_tokens (authorization_id);
CREATE INDEX access_tokens_client_id ON access_tokens (client_id);
