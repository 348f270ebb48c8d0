-- Applies one video view once per message id (the claim function is prepended at load time).
-- KEYS[1] dedup mark   dedup:{<ns>.views}:<scope>:<message id>
-- KEYS[2] counters     {<ns>.views}:count   (hash: video id -> views)
-- KEYS[3] ranking      {<ns>.views}:top     (sorted set: video id -> views)
-- ARGV[1] dedup TTL in seconds, ARGV[2] video id
-- Returns 1 when applied now, 0 for a message id applied before.
if not claim(KEYS[1], ARGV[1]) then
  return 0
end
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
redis.call('ZINCRBY', KEYS[3], 1, ARGV[2])
return 1
