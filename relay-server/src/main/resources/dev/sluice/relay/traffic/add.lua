-- TrafficStore.add: KEYS[1] a counter hash, ARGV[1] delta, ARGV[2] expiresAt (epoch ms).
local n = redis.call('HINCRBY', KEYS[1], 'n', ARGV[1])
redis.call('HSET', KEYS[1], 'x', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return n
