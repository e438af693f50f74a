-- Accounts, users, clients, authorizations and access tokens, and settings.
-- Ids are 16-byte BLOBs (Id::bytes()), whose memcmp order is the uuid text
-- order. Timestamps are Unix seconds. Secrets and tokens are stored only as
-- keyed digests (BLOB). Scopes are space-joined; redirect_uris is a JSON array.

CREATE TABLE accounts (
    id BLOB(16) PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
    id BLOB(16) PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    account_id BLOB(16) NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX users_account_id ON users (account_id);

CREATE TABLE clients (
    id BLOB(16) PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    account_id BLOB(16) NOT NULL CHECK (length(account_id) = 16),
    owner_id BLOB(16) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,
    secret_digest BLOB NOT NULL,
    previous_secret_digest BLOB,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX clients_owner_id ON clients (owner_id, id);
CREATE INDEX clients_owner_name ON clients (owner_id, name, id);

CREATE TABLE authorizations (
    id BLOB(16) PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    user_id BLOB(16) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id BLOB(16) REFERENCES clients (id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    description TEXT NOT NULL,
    is_api_key INTEGER NOT NULL CHECK (is_api_key IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX authorizations_user_id ON authorizations (user_id, id);
CREATE INDEX authorizations_client_id ON authorizations (client_id);

CREATE TABLE access_tokens (
    id BLOB(16) PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    authorization_id BLOB(16) NOT NULL REFERENCES authorizations (id) ON DELETE CASCADE,
    user_id BLOB(16) NOT NULL CHECK (length(user_id) = 16),
    client_id BLOB(16) CHECK (client_id IS NULL OR length(client_id) = 16),
    digest BLOB NOT NULL UNIQUE,
    redacted TEXT NOT NULL,
    scope TEXT NOT NULL,
    expires_at INTEGER,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX access_tokens_authorization_id ON access_tokens (authorization_id);
CREATE INDEX access_tokens_client_id ON access_tokens (client_id);

CREATE TABLE settings (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;
