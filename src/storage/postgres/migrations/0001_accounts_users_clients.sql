-- Accounts and their members, users, OAuth clients, settings and initial
-- access tokens: the final shape of the SQLite migrations 0001-0011 for these
-- tables, in PostgreSQL's dialect.
--
-- Ids are 16-byte bytea (Id::bytes()), whose byte order is the uuid text
-- order. Timestamps are Unix seconds in bigint. Secrets and tokens are kept
-- only as keyed digests (bytea). Lists (redirect URIs, grant types, scopes...)
-- are text[] in the order given. Text that lists are paged or sorted by is
-- COLLATE "C": byte order, whatever the database's locale.

CREATE TABLE accounts (
    id bytea PRIMARY KEY CHECK (octet_length(id) = 16),
    name text NOT NULL,
    created_at bigint NOT NULL
);

CREATE TABLE users (
    id bytea PRIMARY KEY CHECK (octet_length(id) = 16),
    email text NOT NULL UNIQUE,
    name text NOT NULL,
    password_hash text NOT NULL,
    account_id bytea NOT NULL REFERENCES accounts (id),
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    -- Cloudflare spec §1.3: the digest of the user's global API key.
    api_key_digest bytea
);

CREATE INDEX users_account_id ON users (account_id);
CREATE UNIQUE INDEX users_api_key_digest ON users (api_key_digest)
    WHERE api_key_digest IS NOT NULL;

-- Every user is the super administrator of their personal account.
CREATE TABLE account_members (
    account_id bytea NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id bytea NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('super_administrator', 'administrator',
                                       'oauth_client_read', 'oauth_client_write')),
    created_at bigint NOT NULL,
    PRIMARY KEY (account_id, user_id)
);

CREATE INDEX account_members_user_id ON account_members (user_id);

-- RFC 7591 metadata in wire spelling. verification_* describe the client_uri's
-- DNS TXT verification (Cloudflare spec §4.6) and are all NULL when it has
-- none. registration_token_digest is set only for clients registered through
-- POST /oauth/register (RFC 7592).
CREATE TABLE clients (
    id bytea PRIMARY KEY CHECK (octet_length(id) = 16),
    account_id bytea NOT NULL CHECK (octet_length(account_id) = 16),
    owner_id bytea NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name text COLLATE "C" NOT NULL,
    redirect_uris text[] NOT NULL,
    secret_digest bytea NOT NULL,
    previous_secret_digest bytea,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    grant_types text[] NOT NULL,
    scopes text[] NOT NULL,
    token_endpoint_auth_method text NOT NULL,
    refresh_policy text NOT NULL,
    secret_ciphertext bytea,
    registration_token_digest bytea,
    post_logout_redirect_uris text[] NOT NULL,
    response_types text[] NOT NULL,
    optional_scopes text[] NOT NULL,
    allowed_cors_origins text[] NOT NULL,
    client_uri text,
    logo_uri text,
    policy_uri text,
    tos_uri text,
    visibility text NOT NULL CHECK (visibility IN ('public', 'private')),
    promoted_at bigint,
    verification_status text
        CHECK (verification_status IN ('pending', 'in_progress', 'verified', 'failed')),
    verification_host text,
    verification_token text,
    verification_deadline bigint,
    verification_checked_at bigint,
    id_token_signed_response_alg text NOT NULL,
    access_token_format text NOT NULL CHECK (access_token_format IN ('opaque', 'jwt'))
);

-- The Heroku list pages an owner's clients by id or by name.
CREATE INDEX clients_owner_id ON clients (owner_id, id);
CREATE INDEX clients_owner_name ON clients (owner_id, name, id);
-- The Cloudflare list is an account's clients, oldest first.
CREATE INDEX clients_account_created ON clients (account_id, created_at, id);
-- The verifier polls the clients whose check is still open, never checked first.
CREATE INDEX clients_verification_open ON clients (verification_checked_at NULLS FIRST, id)
    WHERE verification_status IN ('pending', 'in_progress');

CREATE TABLE settings (
    name text PRIMARY KEY,
    value text NOT NULL
);

-- RFC 7591 §3: how often a token may be used (NULL: without limit), how
-- often it was, and when it expires (NULL: never).
CREATE TABLE initial_access_tokens (
    id bytea PRIMARY KEY CHECK (octet_length(id) = 16),
    digest bytea NOT NULL UNIQUE,
    max_uses bigint CHECK (max_uses > 0),
    uses bigint NOT NULL DEFAULT 0 CHECK (uses >= 0),
    expires_at bigint,
    created_at bigint NOT NULL
);
