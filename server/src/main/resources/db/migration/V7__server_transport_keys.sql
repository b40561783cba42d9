-- Transport keys the server generates itself (plugin 'portcullis'): their private half, sealed by
-- a secret store like a secret's payload, so every node can unwrap what clients wrap.
ALTER TABLE transport_keys ADD COLUMN private_key BYTEA;
ALTER TABLE transport_keys ADD COLUMN store_id TEXT;
