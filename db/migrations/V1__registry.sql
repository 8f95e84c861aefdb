-- Tiergate schema v1: the model registry, usage log and canary state.
-- Table and column names are kept from the system Tiergate replaces (see CONTRACT.md, "Database").
-- Flyway runs this once per schema (search_path = that schema) and records it; never edit it after release,
-- add V2__… instead.

-- ---------------------------------------------------------------------------------------------------------------
-- Registry: providers and models
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE llm_providers (
  provider_key text PRIMARY KEY,
  family       text        NOT NULL
                 CHECK (family IN ('openai-compatible', 'anthropic', 'ollama', 'gemini', 'cohere')),
  base_url     text        NOT NULL,
  -- The NAME of the environment variable holding the key (e.g. OPENAI_API_KEY), never the key itself.
  api_key_env  text,
  is_local     boolean     NOT NULL DEFAULT false,
  status       text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  -- Target of llm_models' locality foreign key below.
  CONSTRAINT llm_providers_key_locality UNIQUE (provider_key, is_local)
);

COMMENT ON COLUMN llm_providers.api_key_env IS 'name of the environment variable holding the API key; never the key';

CREATE TABLE llm_models (
  model_key           text PRIMARY KEY,
  display_name        text,
  provider_key        text          NOT NULL REFERENCES llm_providers (provider_key),
  -- The name the provider knows the model by; NULL means the same as model_key.
  upstream_model      text,
  leo_tier            text          NOT NULL CHECK (leo_tier IN ('haiku', 'sonnet', 'opus')),
  is_local            boolean       NOT NULL DEFAULT false,
  status              text          NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'retired')),
  -- The model serving its tier on its route (cloud or local); see the partial unique indexes below.
  is_tier_default     boolean       NOT NULL DEFAULT false,
  context_length      integer       CHECK (context_length IS NULL OR context_length > 0),
  price_input_per_1k  numeric(12,6) NOT NULL DEFAULT 0 CHECK (price_input_per_1k >= 0),
  price_output_per_1k numeric(12,6) NOT NULL DEFAULT 0 CHECK (price_output_per_1k >= 0),
  -- Model keys tried in order when this one fails before the first byte reached the client.
  fallbacks           text[]        NOT NULL DEFAULT '{}',
  -- Per-model switches, e.g. {"stripThinking": true}.
  options             jsonb         NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(options) = 'object'),
  created_at          timestamptz   NOT NULL DEFAULT now(),
  updated_at          timestamptz   NOT NULL DEFAULT now(),
  -- A model is local exactly when its provider is: a "cloud" model on a local provider (or the reverse) would
  -- route prompts where the operator did not mean them to go. ON UPDATE CASCADE follows a provider's change.
  CONSTRAINT llm_models_locality_matches_provider FOREIGN KEY (provider_key, is_local)
    REFERENCES llm_providers (provider_key, is_local) ON UPDATE CASCADE
);

CREATE INDEX llm_models_provider_key ON llm_models (provider_key);

-- At most one active default per tier and route.
CREATE UNIQUE INDEX llm_models_one_cloud_default_per_tier ON llm_models (leo_tier)
  WHERE is_tier_default AND status = 'active' AND NOT is_local;
CREATE UNIQUE INDEX llm_models_one_local_default_per_tier ON llm_models (leo_tier)
  WHERE is_tier_default AND status = 'active' AND is_local;

-- What the gateway reads: active models of active providers, with what it needs of the provider.
CREATE VIEW v_llm_model_registry AS
SELECT m.model_key,
       m.display_name,
       m.provider_key,
       coalesce(m.upstream_model, m.model_key) AS upstream_model,
       m.leo_tier,
       m.is_local,
       m.is_tier_default,
       m.context_length,
       m.price_input_per_1k,
       m.price_output_per_1k,
       m.fallbacks,
       m.options,
       p.family,
       p.base_url,
       p.api_key_env,
       p.is_local AS provider_is_local
  FROM llm_models m
  JOIN llm_providers p ON p.provider_key = m.provider_key
 WHERE m.status = 'active'
   AND p.status = 'active';

-- ---------------------------------------------------------------------------------------------------------------
-- Change notification and bookkeeping triggers
-- ---------------------------------------------------------------------------------------------------------------

-- Gateways LISTEN on 'tiergate_registry' and reload within about a second of any registry change.
CREATE FUNCTION tiergate_registry_changed() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tiergate_registry', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE FUNCTION tiergate_touch_updated_at() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE TRIGGER llm_providers_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON llm_providers
  FOR EACH STATEMENT EXECUTE FUNCTION tiergate_registry_changed();
CREATE TRIGGER llm_models_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON llm_models
  FOR EACH STATEMENT EXECUTE FUNCTION tiergate_registry_changed();

-- A model's locality is its provider's: operators adding an Ollama model need not repeat is_local, and a
-- contradicting value cannot slip in (the foreign key on llm_models enforces the same rule).
-- SET search_path FROM CURRENT pins this migration's schema, so the trigger works whatever the session's path.
CREATE FUNCTION tiergate_model_locality() RETURNS trigger
  LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  SELECT p.is_local INTO NEW.is_local FROM llm_providers p WHERE p.provider_key = NEW.provider_key;
  NEW.is_local := coalesce(NEW.is_local, false);
  RETURN NEW;
END;
$$;

CREATE TRIGGER llm_models_locality
  BEFORE INSERT OR UPDATE ON llm_models
  FOR EACH ROW EXECUTE FUNCTION tiergate_model_locality();

CREATE TRIGGER llm_providers_touch
  BEFORE UPDATE ON llm_providers
  FOR EACH ROW EXECUTE FUNCTION tiergate_touch_updated_at();
CREATE TRIGGER llm_models_touch
  BEFORE UPDATE ON llm_models
  FOR EACH ROW EXECUTE FUNCTION tiergate_touch_updated_at();

-- ---------------------------------------------------------------------------------------------------------------
-- Usage log (written in batches off the hot path)
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE model_usage_log (
  id                bigserial PRIMARY KEY,
  created_at        timestamptz NOT NULL DEFAULT now(),
  request_id        text,
  client_key_id     text,
  provider_key      text,
  model_key         text,
  leo_tier          text,
  route             text,
  prompt_tokens     integer,
  completion_tokens integer,
  tokens_estimated  boolean,
  cost_usd          numeric(14,8),
  status            integer,
  error_class       text,
  ttft_ms           double precision,
  duration_ms       double precision
);

CREATE INDEX model_usage_log_created_at ON model_usage_log (created_at);

-- ---------------------------------------------------------------------------------------------------------------
-- Canary: state (singleton), audit trail, per-request metrics
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE llm_canary_state (
  id         integer     PRIMARY KEY CHECK (id = 1),
  stage      integer     NOT NULL DEFAULT 0,
  status     text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'rolled_back')),
  thresholds jsonb       NOT NULL
               DEFAULT '{"maxErrorRate":0.05,"maxLatencyRatio":2.0,"maxConsecutiveFailures":3,"minSamples":10}',
  -- Optimistic concurrency: writers update WHERE version = the version they read, then bump it.
  version    bigint      NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);

INSERT INTO llm_canary_state (id) VALUES (1);

CREATE TABLE llm_canary_transitions (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  from_stage  integer,
  to_stage    integer,
  from_status text,
  to_status   text,
  action      text,
  actor       text,
  reason      text,
  gates       jsonb
);

CREATE INDEX llm_canary_transitions_at ON llm_canary_transitions (at);

CREATE TABLE llm_canary_metrics (
  id              bigserial PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  request_id      text,
  arm             text CHECK (arm IN ('local', 'cloud')),
  model_key       text,
  success         boolean,
  error_class     text,
  latency_ms      double precision,
  ttft_ms         double precision,
  content_failure text
);

CREATE INDEX llm_canary_metrics_at ON llm_canary_metrics (at);

-- ---------------------------------------------------------------------------------------------------------------
-- Seed: the default registry of conf/tiergate.json and the tier table of CONTRACT.md
-- ---------------------------------------------------------------------------------------------------------------

-- Base URLs are the defaults; the gateway applies *_BASE_URL environment overrides itself.
INSERT INTO llm_providers (provider_key, family, base_url, api_key_env, is_local) VALUES
  ('anthropic',  'anthropic',         'https://api.anthropic.com',                 'ANTHROPIC_API_KEY',  false),
  ('openai',     'openai-compatible', 'https://api.openai.com/v1',                 'OPENAI_API_KEY',     false),
  ('gemini',     'gemini',            'https://generativelanguage.googleapis.com', 'GEMINI_API_KEY',     false),
  ('cohere',     'cohere',            'https://api.cohere.com',                    'COHERE_API_KEY',     false),
  ('openrouter', 'openai-compatible', 'https://openrouter.ai/api/v1',              'OPENROUTER_API_KEY', false),
  ('vllm',       'openai-compatible', 'http://localhost:8000/v1',                  'VLLM_API_KEY',       true),
  ('lmstudio',   'openai-compatible', 'http://localhost:1234/v1',                  NULL,                 true),
  ('localai',    'openai-compatible', 'http://localhost:8090/v1',                  NULL,                 true),
  ('ollama',     'ollama',            'http://localhost:11434',                    NULL,                 true);

-- Prices are the providers' public list prices in USD per 1,000 tokens at the time of writing (late 2025); they
-- drive cost balancing and estimates, not billing. Update them with SQL when the providers change theirs.
-- openrouter/auto bills at whichever model it picks: estimated at mid-range (Claude Sonnet) rates.
-- Local models cost nothing per token.
INSERT INTO llm_models (model_key, display_name, provider_key, upstream_model, leo_tier, is_local, is_tier_default,
                        context_length, price_input_per_1k, price_output_per_1k, fallbacks, options) VALUES
  ('claude-haiku-3-5-20241022', 'Claude 3.5 Haiku', 'anthropic', 'claude-3-5-haiku-20241022', 'haiku', false, true,
   200000, 0.000800, 0.004000, '{}', '{}'),
  ('claude-sonnet-4-20250514', 'Claude Sonnet 4', 'anthropic', NULL, 'sonnet', false, true,
   200000, 0.003000, 0.015000, '{}', '{}'),
  ('claude-opus-4-5-20251101', 'Claude Opus 4.5', 'anthropic', NULL, 'opus', false, true,
   200000, 0.005000, 0.025000, '{}', '{}'),
  ('gpt-4o', 'GPT-4o', 'openai', NULL, 'sonnet', false, false,
   128000, 0.002500, 0.010000, '{}', '{}'),
  ('gpt-4o-mini', 'GPT-4o mini', 'openai', NULL, 'haiku', false, false,
   128000, 0.000150, 0.000600, '{}', '{}'),
  ('gemini-2.0-flash', 'Gemini 2.0 Flash', 'gemini', NULL, 'haiku', false, false,
   1048576, 0.000100, 0.000400, '{}', '{}'),
  ('command-r', 'Command R', 'cohere', NULL, 'sonnet', false, false,
   128000, 0.000150, 0.000600, '{}', '{}'),
  ('openrouter/auto', 'OpenRouter Auto', 'openrouter', NULL, 'sonnet', false, false,
   NULL, 0.003000, 0.015000, '{}', '{}'),
  ('llama3.2:3b', 'Llama 3.2 3B (Ollama)', 'ollama', NULL, 'haiku', true, false,
   131072, 0, 0, '{}', '{}'),
  ('qwen3-coder:30b', 'Qwen3 Coder 30B (Ollama)', 'ollama', NULL, 'haiku', true, true,
   262144, 0, 0, '{claude-haiku-3-5-20241022}', '{"stripThinking": true}');
