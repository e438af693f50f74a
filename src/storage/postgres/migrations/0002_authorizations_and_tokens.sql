-- Authorizations, the authorization code flow (codes, sessions, refresh
-- tokens, browser sign-ins) and access tokens: the final shape of the SQLite
-- migrations 0001-0011 for these tables. Conventions as in 0001.
--
-- Deleting a user, a client or an authorization deletes what was issued under
-- it, and deleting a session deletes its refresh and access tokens (cascades).

CREATE TABLE authorizations (
    id bytea PRIMARY KEY CHECK (octet_length(id) = 16),
    user_id bytea NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id bytea REFERENCES clients (id) ON DELETE CASCADE,
    scope text[] NOT NULL,
    description text NOT NULL,
    is_api_key boolean NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    -- Cloudflare spec §8: optional scopes the user declined at consent.
    declined_scope text[] NOT NULL
);

CREATE INDEX authorizations_user_id ON authorizations (user_id, id);
CREATE INDEX authorizations_client_id ON authorizations (client_id);
CREATE INDEX authorizations_user_client ON authorizations (user_id, client_id);

CREATE TABLE browser_sessions (
    id bytea PRIMARY KEY CHECK (octet_length(id) = 16),
    digest bytea NOT NULL UNIQUE,
    user_id bytea NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    auth_time bigint NOT NULL,
    expires_at bigint NOT NULL,
    created_at bigint NOT NULL
);

CREATE INDEX browser_sessions_user_id ON browser_sessions (user_id);
CREATE INDEX browser_sessions_expires_at ON browser_sessions (expires_at);

-- A refresh-token family (Heroku spec §5).
CREATE TABLE sessions (
    id bytea PRIMARY KEY CHECK (octet_length(id) = 16),
    authorization_id bytea NOT NULL REFERENCES authorizations (id) ON DELETE CASCADE,
    user_id bytea NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id bytea REFERENCES clients (id) ON DELETE CASCADE,
    nonce text NOT NULL,
    description text NOT NULL,
    scope text[] NOT NULL,
    expires_at bigint,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);

CREATE INDEX sessions_user_id ON sessions (user_id, id);
CREATE INDEX sessions_authorization_id ON sessions (authorization_id, created_at, id);
CREATE INDEX sessions_client_id ON sessions (client_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at) WHERE expires_at IS NOT NULL;

-- successor_id names the token that replaced this one; not a foreign key,
-- because the grace rule deletes an unused successor and names another.
CREATE TABLE refresh_tokens (
    id bytea PRIMARY KEY CHECK (octet_length(id) = 16),
    session_id bytea NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    digest bytea NOT NULL UNIQUE,
    redacted text NOT NULL,
    spent_at bigint,
    successor_id bytea,
    created_at bigint NOT NULL
);

CREATE INDEX refresh_tokens_session_id ON refresh_tokens (session_id);

-- session_id is set by the exchange that consumed the code, and a replay
-- deletes that session; not a foreign key, as the session may be gone.
CREATE TABLE authorization_codes (
    id bytea PRIMARY KEY CHECK (octet_length(id) = 16),
    digest bytea NOT NULL UNIQUE,
    authorization_id bytea NOT NULL REFERENCES authorizations (id) ON DELETE CASCADE,
    client_id bytea NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    user_id bytea NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    redirect_uri text NOT NULL,
    code_challenge text NOT NULL,
    scope text[] NOT NULL,
    nonce text NOT NULL,
    auth_time bigint NOT NULL,
    expires_at bigint NOT NULL,
    created_at bigint NOT NULL,
    consumed_at bigint,
    session_id bytea
);

CREATE INDEX authorization_codes_authorization_id ON authorization_codes (authorization_id);
CREATE INDEX authorization_codes_client_id ON authorization_codes (client_id);
CREATE INDEX authorization_codes_user_id ON authorization_codes (user_id);
CREATE INDEX authorization_codes_expires_at ON authorization_codes (expires_at);

-- A client_credentials token has no authorization and no user. A token that
-- carries its own id (crypto::mint_token_with_id) is found by id and so needs
-- no digest index: by_digest is false for it, and only by_digest tokens are
-- in the unique digest index.
CREATE TABLE access_tokens (
    id bytea PRIMARY KEY CHECK (octet_length(id) = 16),
    authorization_id bytea REFERENCES authorizations (id) ON DELETE CASCADE,
    user_id bytea CHECK (octet_length(user_id) = 16),
    client_id bytea REFERENCES clients (id) ON DELETE CASCADE,
    digest bytea NOT NULL,
    redacted text NOT NULL,
    scope text[] NOT NULL,
    expires_at bigint,
    created_at bigint NOT NULL,
    session_id bytea REFERENCES sessions (id) ON DELETE CASCADE,
    by_digest boolean NOT NULL DEFAULT true
);

CREATE UNIQUE INDEX access_tokens_digest ON access_tokens (digest) WHERE by_digest;
CREATE INDEX access_tokens_authorization_id ON access_tokens (authorization_id, created_at, id)
    WHERE authorization_id IS NOT NULL;
CREATE INDEX access_tokens_client_id ON access_tokens (client_id);
CREATE INDEX access_tokens_expires_at ON access_tokens (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX access_tokens_session_id ON access_tokens (session_id) WHERE session_id IS NOT NULL;
