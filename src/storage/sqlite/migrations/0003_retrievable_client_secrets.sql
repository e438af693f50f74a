-- Heroku spec §9 D1: a deployment may keep an AEAD-encrypted copy of each
-- client secret beside its digest, so the owner can read it again. NULL when
-- the option is off (the default) and for public clients.
ALTER TABLE clients ADD COLUMN secret_ciphertext BLOB;
