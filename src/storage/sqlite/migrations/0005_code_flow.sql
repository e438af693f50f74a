-- The authorization code flow: browser sign-ins, sessions (refresh-token
-- families, Heroku spec §5), refresh tokens and authorization codes. As
-- before, ids are 16-byte BLOBs, times Unix seconds, and secrets keyed
-- digests. Deleting an authorization deletes its codes and sessions, and
-- deleting a session deletes its refresh and access tokens (cascades).

CREATE TABLE browser_sessions (
    id BLOB(16) PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    digest BLOB NOT NULL UNIQUE,
    user_id BLOB(16) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    auth_time INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX browser_sessions_user_id ON browser_sessions (user_id);
CREATE INDEX browser_sessions_expires_at ON browser_sessions (expires_at);

CREATE TABLE sessions (
    id BLOB(16) PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    authorization_id BLOB(16) NOT NULL REFERENCES authorizations (id) ON DELETE CASCADE,
    user_id BLOB(16) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id BLOB(16) REFERENCES clients (id) ON DELETE CASCADE,
    nonce TEXT NOT NULL,
    description TEXT NOT NULL,
    scope TEXT NOT NULL,
    expires_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX sessions_user_id ON sessions (user_id, id);
CREATE INDEX sessions_authorization_id ON sessions (authorization_id);
CREATE INDEX sessions_client_id ON sessions (client_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at) WHERE expires_at IS NOT NULL;

-- successor_id names the token that replaced this one; it is not a foreign
-- key because the grace rule deletes an unused successor and names another.
CREATE TABLE refresh_tokens (
    id BLOB(16) PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    session_id BLOB(16) NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    digest BLOB NOT NULL UNIQUE,
    redacted TEXT NOT NULL,
    spent_at INTEGER,
    successor_id BLOB(16),
    created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX refresh_tokens_session_id ON refresh_tokens (session_id);

-- session_id is set by the exchange that consumed the code; a replay deletes
-- that session. It is not a foreign key: the session may be gone already.
CREATE TABLE authorization_codes (
    id BLOB(16) PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    digest BLOB NOT NULL UNIQUE,
    authorization_id BLOB(16) NOT NULL REFERENCES authorizations (id) ON DELETE CASCADE,
    client_id BLOB(16) NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    user_id BLOB(16) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    scope TEXT NOT NULL,
    nonce TEXT NOT NULL,
    auth_time INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    consumed_at INTEGER,
    session_id BLOB(16)
) WITHOUT ROWID;

CREATE INDEX authorization_codes_authorization_id ON authorization_codes (authorization_id);
CREATE INDEX authorization_codes_client_id ON authorization_codes (client_id);
CREATE INDEX authorization_codes_user_id ON authorization_codes (user_id);
CREATE INDEX authorization_codes_expires_at ON authorization_codes (expires_at);

CREATE INDEX authorizations_user_client ON authorizations (user_id, client_id);

-- An access token issued under a session dies with it. SQLite allows adding a
-- column with a REFERENCES clause because its default is NULL.
ALTER TABLE access_tokens ADD COLUMN session_id BLOB(16) REFERENCES sessions (id)
    ON DELETE CASCADE;
CREATE INDEX access_tokens_session_id ON access_tokens (session_id)
    WHERE session_id IS NOT NULL;
