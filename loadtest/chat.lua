-- wrk script for loadtest/bench.sh: a small non-streaming OpenAI chat completion.
wrk.method = "POST"
wrk.body = '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}'
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("BENCH_KEY")
if key then
  wrk.headers["Authorization"] = "Bearer " .. key
end
