-- TrafficStore.refund: gives quota back, never below zero.
-- KEYS[i]: a counter hash; ARGV[1]: now, epoch ms; ARGV[i + 1]: the amount given back to KEYS[i].
local now = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local stored = redis.call('HMGET', key, 'n', 'x')
  if stored[1] and tonumber(stored[2]) > now then
    local left = math.max(0, tonumber(stored[1]) - tonumber(ARGV[i + 1]))
    redis.call('HSET', key, 'n', string.format('%d', left))
  end
end
return 0
