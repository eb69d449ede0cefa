-- TrafficStore.putIfAbsent: KEYS[1] a value hash, ARGV[1] the value, ARGV[2] expiresAt (epoch ms).
-- Returns the value set now.
local set = redis.call('HGET', KEYS[1], 'v')
if set then
  return set
end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'x', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return ARGV[1]
