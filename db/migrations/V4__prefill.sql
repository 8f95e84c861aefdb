-- Issue 10: mid-stream continuation. A model whose options say {"prefill": true} continues a trailing assistant
-- message, so it can finish an answer another model's stream broke off. Anthropic's Messages API and Ollama's chat
-- do; OpenAI's Chat Completions, Gemini and Cohere are left unmarked. Only the seeded models are marked here; rows
-- an operator added keep the options they have.
UPDATE llm_models
   SET options = options || '{"prefill": true}'::jsonb, updated_at = now()
 WHERE model_key IN ('claude-haiku-3-5-20241022', 'claude-sonnet-4-20250514', 'claude-opus-4-5-20251101',
                     'llama3.2:3b', 'qwen3-coder:30b')
   AND NOT options ? 'prefill';
