-- TrafficStore.putIfAbsent: KEYS[1] a value hash, ARGV[1] the value, ARGV[2] expiresAt, ARGV[3]
-- now (epoch ms, the caller's clock). A value expired at now is absent. Returns the value set now,
-- which expires at expiresAt whether it was set before or not: after the time left (PEXPIRE), as in
-- admit.lua.
local now = tonumber(ARGV[3])
local stored = redis.call('HMGET', KEYS[1], 'v', 'x')
local value = ARGV[1]
if stored[1] and tonumber(stored[2]) > now then
  value = stored[1]
end
redis.call('HSET', KEYS[1], 'v', value, 'x', ARGV[2])
redis.call('PEXPIRE', KEYS[1], string.format('%d', math.max(1, tonumber(ARGV[2]) - now)))
return value
