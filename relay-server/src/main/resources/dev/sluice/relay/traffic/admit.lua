-- TrafficStore.admit: every charge if each fits, else none.
-- KEYS[i]: the Redis key of charge i (a counter hash for a quota, a bucket hash for a bucket).
-- ARGV[1]: now, epoch ms (the caller's clock, never Redis TIME). Then five per charge:
--   quota:  'q', amount, cap, resetsAt ms, 0
--   bucket: 'b', amount, rate count, rate period ms, burst
-- Returns {0} when admitted, {1, i, retryAt ms} when charge i did not fit.
-- Keys expire after the time left until their expiry (PEXPIRE), never at the instant
-- (PEXPIREAT): Redis would judge it by its own clock, which may be ahead of the caller's.
--
-- The bucket arithmetic is that of dev.sluice.routing.traffic.TokenBuckets (routing-engine),
-- operation for operation and in doubles as there: change both together.
local now = tonumber(ARGV[1])
local EPSILON = 1e-9
local pending = {}

for i, key in ipairs(KEYS) do
  local at = 2 + (i - 1) * 5
  local kind, amount = ARGV[at], tonumber(ARGV[at + 1])
  local a, b, c = tonumber(ARGV[at + 2]), tonumber(ARGV[at + 3]), tonumber(ARGV[at + 4])
  local s = pending[key]
  if kind == 'q' then
    local cap, resetsAt = a, b
    if s == nil then
      local stored = redis.call('HMGET', key, 'n', 'x')
      local used = 0
      if stored[1] and tonumber(stored[2]) > now then
        used = tonumber(stored[1])
      end
      s = { kind = 'q', used = used }
    end
    if s.used + amount > cap then
      return { 1, i, resetsAt }
    end
    s.used = s.used + amount
    s.expires = resetsAt
  else
    local count, period, burst = a, b, c
    if s == nil then
      local stored = redis.call('HMGET', key, 't', 'u')
      if stored[1] then
        s = { kind = 'b', tokens = tonumber(stored[1]), updated = tonumber(stored[2]) }
      else
        s = { kind = 'b', tokens = burst, updated = now }
      end
    end
    -- TokenBuckets.refill
    local elapsed = math.max(0, now - s.updated)
    s.tokens = math.min(burst, s.tokens + elapsed * count / period)
    s.updated = math.max(now, s.updated)
    -- TokenBuckets.fits, retryAt, take, fullAt
    local needed = math.min(amount, burst)
    if s.tokens + EPSILON < needed then
      return { 1, i, s.updated + math.ceil((needed - s.tokens) * period / count) }
    end
    s.tokens = s.tokens - amount
    s.expires = s.updated + math.ceil((burst - s.tokens) * period / count)
  end
  pending[key] = s
end

for key, s in pairs(pending) do
  if s.kind == 'q' then
    redis.call('HSET', key, 'n', string.format('%d', s.used), 'x', string.format('%d', s.expires))
  else
    redis.call('HSET', key, 't', string.format('%.17g', s.tokens), 'u', string.format('%d', s.updated))
  end
  redis.call('PEXPIRE', key, string.format('%d', math.max(1, s.expires - now)))
end
return { 0 }
