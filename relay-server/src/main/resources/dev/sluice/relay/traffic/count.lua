-- TrafficStore.count: KEYS[1] a counter hash, ARGV[1] now (epoch ms). An expired counter is dropped.
local stored = redis.call('HMGET', KEYS[1], 'n', 'x')
if not stored[1] then
  return 0
end
if tonumber(stored[2]) <= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  return 0
end
return tonumber(stored[1])
