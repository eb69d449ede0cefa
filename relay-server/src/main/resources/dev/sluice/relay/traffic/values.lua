-- TrafficStore.values: KEYS value hashes (one SCAN page), ARGV[1] now (epoch ms).
-- Returns {key, value, key, value…} of those not expired.
local now = tonumber(ARGV[1])
local out = {}
for _, key in ipairs(KEYS) do
  local stored = redis.call('HMGET', key, 'v', 'x')
  if stored[1] and tonumber(stored[2]) > now then
    out[#out + 1] = key
    out[#out + 1] = stored[1]
  end
end
return out
