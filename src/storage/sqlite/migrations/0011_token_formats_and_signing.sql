-- Per-client OpenID Connect and access token choices (issue 6).
-- id_token_signed_response_alg (OpenID Connect Dynamic Client Registration
-- §2): ES256, RS256 or EdDSA; '' for the server's default (ES256).
-- access_token_format: 'opaque' (the default) or 'jwt' (RFC 9068 JWT
-- access tokens that resource servers can validate locally).
ALTER TABLE clients ADD COLUMN id_token_signed_response_alg TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN access_token_format TEXT NOT NULL DEFAULT 'opaque'
    CHECK (access_token_format IN ('opaque', 'jwt'));
