-- Reads one phone's limiter state on Redis server time (no writes).
-- KEYS[1] window, KEYS[2] recent log; ARGV[1] window ms, ARGV[2] log entries to return
-- Returns {now ms, sends in window, oldest send in window ms or -1, log entries...}
local window = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local live = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - window), '+inf', 'WITHSCORES')
local oldest = -1
if #live > 0 then
  oldest = tonumber(live[2])
end
local out = {now, #live / 2, oldest}
local log = redis.call('LRANGE', KEYS[2], 0, tonumber(ARGV[2]) - 1)
for i = 1, #log do
  out[#out + 1] = log[i]
end
return out
