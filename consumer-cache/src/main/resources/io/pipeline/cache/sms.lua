-- Decides one SMS request once per message id: exact sliding window of LIMIT sends per WINDOW ms
-- on Redis server time (the claim function is prepended at load time).
-- KEYS[1] dedup mark   dedup:{<ns>.sms.<phone>}:<scope>:<message id>
-- KEYS[2] window       {<ns>.sms.<phone>}:window      (sorted set: message id -> sent at, ms)
-- KEYS[3] outcome      {<ns>.sms.<phone>}:out:<message id>  ("sent:<ms>:0" | "throttled:<ms>:<wait s>")
-- KEYS[4] recent log   {<ns>.sms.<phone>}:log         (list of "<message id>:<outcome>", newest first)
-- ARGV[1] dedup TTL s, ARGV[2] message id, ARGV[3] limit, ARGV[4] window ms, ARGV[5] log length
-- Returns {1, outcome} when decided now, {0, outcome or ''} for a message id decided before.
local ttl = tonumber(ARGV[1])
local limit = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local fresh = claim(KEYS[1], ttl)
local previous = redis.call('GET', KEYS[3])
if previous then
  -- Decided before (this scope or another one): a redelivery never takes a second slot.
  return {0, previous}
end
if not fresh then
  return {0, ''}
end
-- A send at time s occupies the window during [s, s + window).
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
local outcome
if redis.call('ZCARD', KEYS[2]) < limit then
  redis.call('ZADD', KEYS[2], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[2], window)
  outcome = 'sent:' .. now .. ':0'
else
  local oldest = tonumber(redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')[2])
  local wait = math.ceil((oldest + window - now) / 1000)
  if wait < 1 then
    wait = 1
  end
  outcome = 'throttled:' .. now .. ':' .. wait
end
redis.call('SET', KEYS[3], outcome, 'EX', ttl)
redis.call('LPUSH', KEYS[4], ARGV[2] .. ':' .. outcome)
redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[5]) - 1)
redis.call('EXPIRE', KEYS[4], ttl)
return {1, outcome}
