-- Decides one SMS request once per message id, on the request's own time (its event time): an
-- exact rolling window of LIMIT sends per WINDOW ms, the same outcome however late or out of order
-- the request arrives (the claim function is prepended at load time).
-- KEYS[1] dedup mark   dedup:{<ns>.sms.<phone>}:<scope>:<message id>
-- KEYS[2] window       {<ns>.sms.<phone>}:window      (sorted set: message id -> sent at, ms)
-- KEYS[3] outcome      {<ns>.sms.<phone>}:out:<message id>
--                      ("sent:<ms>:0" | "throttled:<ms>:<wait s>", then ":late" or ":ahead" when
--                      the event time was outside the accepted range and arrival time decided)
-- KEYS[4] recent log   {<ns>.sms.<phone>}:log         (list of "<message id>:<outcome>", newest first)
-- ARGV[1] dedup TTL s, ARGV[2] message id, ARGV[3] limit, ARGV[4] window ms, ARGV[5] log length,
-- ARGV[6] event time ms, ARGV[7] max lateness ms, ARGV[8] max clock skew ahead ms
-- Returns {1, outcome} when decided now, {0, outcome or ''} for a message id decided before.
local ttl = tonumber(ARGV[1])
local limit = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local lateness = tonumber(ARGV[7])
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
local at = tonumber(ARGV[6])
local why = ''
if at == nil or at > now + tonumber(ARGV[8]) then
  at, why = now, ':ahead'
elseif at < now - lateness then
  at, why = now, ':late'
end
-- Sends older than any request still accepted can never share a window with one again.
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - lateness - window))
-- A send at s occupies [s, s + window). The request at `at` may be sent only if every window that
-- contains it still holds fewer than `limit` sends. Those windows start in [at - window + 1, at];
-- moving the start right, a window gains a send when its end reaches one, so the fullest is the
-- first of the range or one that ends exactly at a send at or after `at`. Only sends within
-- window - 1 of `at` can share a window with it.
local near = redis.call('ZRANGEBYSCORE', KEYS[2], at - window + 1, at + window - 1, 'WITHSCORES')
local times = {}
for i = 2, #near, 2 do
  times[#times + 1] = tonumber(near[i])
end
local function count(from)
  local n = 0
  for _, s in ipairs(times) do
    if s >= from and s <= from + window - 1 then
      n = n + 1
    end
  end
  return n
end
local starts = {at - window + 1}
for _, s in ipairs(times) do
  if s >= at then
    starts[#starts + 1] = s - window + 1
  end
end
-- The oldest send of a full window: the request could go once that send left it.
local fullFrom = nil
for _, from in ipairs(starts) do
  if count(from) >= limit then
    for _, s in ipairs(times) do
      if s >= from then
        if fullFrom == nil or s < fullFrom then
          fullFrom = s
        end
        break
      end
    end
  end
end
local outcome
if fullFrom == nil then
  redis.call('ZADD', KEYS[2], at, ARGV[2])
  -- The window lives while any of its sends can still share a window with an accepted request.
  local keep = math.max(at + window - now, 1) + lateness
  if redis.call('PTTL', KEYS[2]) < keep then
    redis.call('PEXPIRE', KEYS[2], keep)
  end
  outcome = 'sent:' .. at .. ':0' .. why
else
  local wait = math.ceil((fullFrom + window - at) / 1000)
  if wait < 1 then
    wait = 1
  end
  outcome = 'throttled:' .. at .. ':' .. wait .. why
end
redis.call('SET', KEYS[3], outcome, 'EX', ttl)
redis.call('LPUSH', KEYS[4], ARGV[2] .. ':' .. outcome)
redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[5]) - 1)
redis.call('EXPIRE', KEYS[4], ttl)
return {1, outcome}
