-- Issue 8: client keys. Only the SHA-256 of each key is stored (hex); the key itself is shown once to whoever
-- creates it and never kept. The gateway reads the active rows into memory (re-read on every change, notified like
-- the registry) and looks a presented key up by its hash there: a presented key never reaches SQL.
--
--   INSERT INTO tiergate_client_keys (key_id, name, key_sha256, allowed_tiers, requests_per_minute)
--   VALUES ('ci', 'CI runners', encode(sha256('the-key'::bytea), 'hex'), '{haiku,sonnet}', 600);
CREATE TABLE tiergate_client_keys (
  key_id                 text        PRIMARY KEY CHECK (key_id ~ '^[A-Za-z0-9._-]{1,64}$'),
  name                   text        NOT NULL,
  key_sha256             text        NOT NULL UNIQUE CHECK (key_sha256 ~ '^[0-9a-f]{64}$'),
  -- Empty = every tier / provider.
  allowed_tiers          text[]      NOT NULL DEFAULT '{}'
                           CHECK (allowed_tiers <@ ARRAY['haiku', 'sonnet', 'opus']::text[]),
  allowed_providers      text[]      NOT NULL DEFAULT '{}',
  -- 0 = no limit.
  requests_per_minute    integer     NOT NULL DEFAULT 0 CHECK (requests_per_minute >= 0),
  tokens_per_minute      bigint      NOT NULL DEFAULT 0 CHECK (tokens_per_minute >= 0),
  max_concurrent_streams integer     NOT NULL DEFAULT 0 CHECK (max_concurrent_streams >= 0),
  status                 text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER tiergate_client_keys_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tiergate_client_keys
  FOR EACH STATEMENT EXECUTE FUNCTION tiergate_registry_changed();
CREATE TRIGGER tiergate_client_keys_touched
  BEFORE UPDATE ON tiergate_client_keys
  FOR EACH ROW EXECUTE FUNCTION tiergate_touch_updated_at();
