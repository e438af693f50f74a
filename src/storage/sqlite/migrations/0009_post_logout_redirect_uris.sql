-- OpenID Connect RP-Initiated Logout 1.0 §3.1: the URIs a client may have
-- the browser sent back to after logout, as a JSON array of strings like
-- redirect_uris. Existing clients have none.
ALTER TABLE clients ADD COLUMN post_logout_redirect_uris TEXT NOT NULL DEFAULT '[]';
