-- TrafficStore.get: KEYS[1] a value hash, ARGV[1] now (epoch ms). An expired value is dropped.
local stored = redis.call('HMGET', KEYS[1], 'v', 'x')
if not stored[1] then
  return false
end
if tonumber(stored[2]) <= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  return false
end
return stored[1]
