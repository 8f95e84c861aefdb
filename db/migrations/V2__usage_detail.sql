-- Issue 7: what GET /admin/usage and the access log need from each usage row besides tokens and cost.
ALTER TABLE model_usage_log
  ADD COLUMN client_format text,
  ADD COLUMN partial       boolean NOT NULL DEFAULT false,
  ADD COLUMN fallback      boolean NOT NULL DEFAULT false,
  ADD COLUMN retries       integer NOT NULL DEFAULT 0,
  ADD COLUMN overhead_ms   double precision,
  ADD COLUMN bytes_out     bigint;

COMMENT ON COLUMN model_usage_log.partial IS 'a stream that sent content but did not finish; tokens are those relayed';
COMMENT ON COLUMN model_usage_log.tokens_estimated IS 'token counts are the gateway''s estimate, not the provider''s';
COMMENT ON COLUMN model_usage_log.client_key_id IS 'id of the client key (key-1, …; anonymous without client auth), never the key';
