-- The janitor deletes expired access tokens in small batches, oldest first.
CREATE INDEX access_tokens_expires_at ON access_tokens (expires_at)
    WHERE expires_at IS NOT NULL;
