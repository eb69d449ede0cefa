-- TrafficStore.add: KEYS[1] a counter hash, ARGV[1] delta, ARGV[2] expiresAt, ARGV[3] now
-- (epoch ms, the caller's clock). A counter expired at now counts from zero. The key expires after
-- the time left (PEXPIRE), as in admit.lua.
local now = tonumber(ARGV[3])
local stored = redis.call('HMGET', KEYS[1], 'n', 'x')
local n = tonumber(ARGV[1])
if stored[1] and tonumber(stored[2]) > now then
  n = n + tonumber(stored[1])
end
redis.call('HSET', KEYS[1], 'n', string.format('%d', n), 'x', ARGV[2])
redis.call('PEXPIRE', KEYS[1], string.format('%d', math.max(1, tonumber(ARGV[2]) - now)))
return n
