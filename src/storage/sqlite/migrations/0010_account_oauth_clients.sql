-- Cloudflare-compatible account OAuth clients (Cloudflare spec §1.3, §3, §4).
--
-- Accounts get members with roles; every user is the super administrator of
-- their personal account. Users may hold a global API key (X-Auth-Key),
-- kept as a keyed digest like every other secret.
--
-- Clients get the rest of their RFC 7591 metadata. Lists are JSON arrays of
-- strings like redirect_uris. Existing clients were made on the Heroku
-- surface or by registration: they are public (anyone may authorize them)
-- and answer with `code` exactly when they hold authorization_code.
-- verification_* describe the client_uri's DNS TXT verification and are all
-- NULL when it has none (verification_status is the wire spelling).

CREATE TABLE account_members (
    account_id BLOB(16) NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id BLOB(16) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('super_administrator', 'administrator',
                                       'oauth_client_read', 'oauth_client_write')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, user_id)
) WITHOUT ROWID;

CREATE INDEX account_members_user_id ON account_members (user_id);

INSERT INTO account_members (account_id, user_id, role, created_at)
SELECT account_id, id, 'super_administrator', created_at FROM users;

ALTER TABLE users ADD COLUMN api_key_digest BLOB;
CREATE UNIQUE INDEX users_api_key_digest ON users (api_key_digest)
    WHERE api_key_digest IS NOT NULL;

ALTER TABLE clients ADD COLUMN response_types TEXT NOT NULL DEFAULT '[]';
ALTER TABLE clients ADD COLUMN optional_scopes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE clients ADD COLUMN allowed_cors_origins TEXT NOT NULL DEFAULT '[]';
ALTER TABLE clients ADD COLUMN client_uri TEXT;
ALTER TABLE clients ADD COLUMN logo_uri TEXT;
ALTER TABLE clients ADD COLUMN policy_uri TEXT;
ALTER TABLE clients ADD COLUMN tos_uri TEXT;
ALTER TABLE clients ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public'
    CHECK (visibility IN ('public', 'private'));
ALTER TABLE clients ADD COLUMN promoted_at INTEGER;
ALTER TABLE clients ADD COLUMN verification_status TEXT
    CHECK (verification_status IS NULL OR
           verification_status IN ('pending', 'in_progress', 'verified', 'failed'));
ALTER TABLE clients ADD COLUMN verification_host TEXT;
ALTER TABLE clients ADD COLUMN verification_token TEXT;
ALTER TABLE clients ADD COLUMN verification_deadline INTEGER;
ALTER TABLE clients ADD COLUMN verification_checked_at INTEGER;

-- Cloudflare spec §8: the optional scopes a user declined at consent,
-- space-joined like scope.
ALTER TABLE authorizations ADD COLUMN declined_scope TEXT NOT NULL DEFAULT '';

UPDATE clients SET response_types = '["code"]'
WHERE (' ' || grant_types || ' ') LIKE '% authorization_code %';

-- The Cloudflare list is an account's clients, oldest first.
CREATE INDEX clients_account_created ON clients (account_id, created_at, id);
-- The verifier polls the clients whose check is still open.
CREATE INDEX clients_verification_open ON clients (verification_checked_at)
    WHERE verification_status IN ('pending', 'in_progress');
