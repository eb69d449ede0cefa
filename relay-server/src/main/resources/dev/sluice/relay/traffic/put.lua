-- TrafficStore.put: KEYS[1] a value hash, ARGV[1] the value, ARGV[2] expiresAt, ARGV[3] now
-- (epoch ms, the caller's clock). The key expires after the time left (PEXPIRE), as in admit.lua.
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'x', ARGV[2])
redis.call('PEXPIRE', KEYS[1], string.format('%d', math.max(1, tonumber(ARGV[2]) - tonumber(ARGV[3]))))
return 0
