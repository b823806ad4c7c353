// Lua for the operations that must read and write in one step. Redis runs a script without
// interleaving other commands, which is what makes each of these atomic across processes.
// Redis 7 replicates script effects (not the script), so TIME may be called before writes:
// token buckets use the server's clock so that every process agrees on "now".

/** Server time in fractional milliseconds. */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000`;

/**
 * The token-bucket step, shared by coordTakeToken and coordOpenTurn. Expects KEYS[1] = bucket,
 * ARGV[1..4] = capacity, refill per second, cost, max delay ms; leaves allowed, retry, delay.
 */
const TAKE_TOKEN = `local capacity = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local maxDelay = tonumber(ARGV[4])
local s = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'blocked')
local blocked = 0
if s[3] then blocked = tonumber(s[3]) end
local tokens = capacity
if s[1] then
  local elapsed = math.max(0, now - tonumber(s[2]))
  tokens = math.min(capacity, tonumber(s[1]) + elapsed * refill / 1000)
end
local allowed = 0
local retry = 0
local delay = 0
local wait = 0
if tokens < cost then wait = math.ceil((cost - tokens) * 1000 / refill) end
if blocked <= now and tokens >= cost then
  tokens = tokens - cost
  allowed = 1
elseif blocked <= now and wait <= maxDelay then
  tokens = tokens - cost
  allowed = 1
  delay = wait
else
  retry = math.max(wait, math.ceil(blocked - now))
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', now))
local idle = math.max(math.ceil((capacity - math.min(0, tokens)) * 1000 / refill), math.ceil(blocked - now), 1)
redis.call('PEXPIRE', KEYS[1], idle)`;

export const SCRIPTS = {
  /**
   * KEYS: value hash, version counter. ARGV: expected version (0 = absent), value, ttl ms (0 = none).
   * Returns {1, version} or {0} (absent) or {0, version, value} (current).
   */
  coordCompareAndSet: {
    numberOfKeys: 2,
    lua: `local cur = redis.call('HMGET', KEYS[1], 'v', 'n')
local version = 0
if cur[2] then version = tonumber(cur[2]) end
if version ~= tonumber(ARGV[1]) then
  if cur[2] then return {0, cur[2], cur[1]} end
  return {0}
end
local next = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'n', next)
local ttl = tonumber(ARGV[3])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) else redis.call('PERSIST', KEYS[1]) end
return {1, next}`,
  },
  /** KEYS: lock. ARGV: token, lease ms. 1 when the token still held the lock and the lease was reset. */
  coordExtendLock: {
    numberOfKeys: 1,
    lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`,
  },
  /** KEYS: lock. ARGV: token. 1 when the token still held the lock and it was deleted. */
  coordReleaseLock: {
    numberOfKeys: 1,
    lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
  },
  /**
   * KEYS: bucket hash {tokens, at, blocked}. ARGV: capacity, refill per second, cost, max delay ms.
   * Returns {allowed 0|1, retryAfterMs, delayMs}. Mirrors takeFromBucket in token-bucket.ts.
   */
  coordTakeToken: {
    numberOfKeys: 1,
    lua: `${NOW}
${TAKE_TOKEN}
return {allowed, retry, delay}`,
  },
  /**
   * KEYS: bucket hash, lock, value hash, plain value. ARGV: capacity, refill, cost, max delay ms
   * (capacity 0 = take no token), lock token, lease ms, read the plain value (0|1).
   * Returns {0, retryAfterMs} refused, {2, delayMs} queued on credit (lock not tried), {3} busy,
   * or {1, value, version, plain} with the lock taken. Mirrors MemoryCoordination.openTurn.
   */
  coordOpenTurn: {
    numberOfKeys: 4,
    lua: `if tonumber(ARGV[1]) > 0 then
${NOW}
${TAKE_TOKEN}
  if allowed == 0 then return {0, retry} end
  if delay > 0 then return {2, delay} end
end
if not redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[6], 'NX') then return {3} end
local cur = redis.call('HMGET', KEYS[3], 'v', 'n')
local also = false
if ARGV[7] == '1' then also = redis.call('GET', KEYS[4]) end
return {1, cur[1], cur[2], also}`,
  },
  /**
   * KEYS: lock, value hash, version counter, plain value. ARGV: lock token, write (0|1),
   * expected version, value, ttl ms (0 = none), set the plain value (0|1), plain value, its ttl ms.
   * Returns {-1} lease lost (nothing done), {0} / {0, version, value} conflict (lock released),
   * {1, version} written and released, {1} released.
   */
  coordCloseTurn: {
    numberOfKeys: 4,
    lua: `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {-1} end
if ARGV[2] == '1' then
  local cur = redis.call('HMGET', KEYS[2], 'v', 'n')
  local version = 0
  if cur[2] then version = tonumber(cur[2]) end
  if version ~= tonumber(ARGV[3]) then
    redis.call('DEL', KEYS[1])
    if cur[2] then return {0, cur[2], cur[1]} end
    return {0}
  end
  local next = redis.call('INCR', KEYS[3])
  redis.call('HSET', KEYS[2], 'v', ARGV[4], 'n', next)
  local ttl = tonumber(ARGV[5])
  if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) else redis.call('PERSIST', KEYS[2]) end
  if ARGV[6] == '1' then
    local pttl = tonumber(ARGV[8])
    if pttl > 0 then redis.call('SET', KEYS[4], ARGV[7], 'PX', pttl) else redis.call('SET', KEYS[4], ARGV[7]) end
  end
  redis.call('DEL', KEYS[1])
  return {1, next}
end
redis.call('DEL', KEYS[1])
return {1}`,
  },
  /** KEYS: bucket hash. ARGV: block ms. Extends, never shortens, an existing block. */
  coordBlockBucket: {
    numberOfKeys: 1,
    lua: `${NOW}
local ms = tonumber(ARGV[1])
local untilAt = now + ms
local prev = redis.call('HGET', KEYS[1], 'blocked')
if prev and tonumber(prev) >= untilAt then return 0 end
redis.call('HSET', KEYS[1], 'blocked', string.format('%.17g', untilAt))
if redis.call('PTTL', KEYS[1]) < ms then redis.call('PEXPIRE', KEYS[1], ms) end
return 1`,
  },
} as const;

type ScriptReply = Promise<unknown>;

/** The commands ioredis adds for SCRIPTS via defineCommand (it sends EVALSHA, falling back to EVAL). */
export interface ScriptCommands {
  coordCompareAndSet(valueKey: string, seqKey: string, expected: number, value: string, ttlMs: number): ScriptReply;
  coordExtendLock(lockKey: string, token: string, leaseMs: number): ScriptReply;
  coordReleaseLock(lockKey: string, token: string): ScriptReply;
  coordTakeToken(bucketKey: string, capacity: number, refillPerSecond: number, cost: number, maxDelayMs: number): ScriptReply;
  coordBlockBucket(bucketKey: string, ms: number): ScriptReply;
  coordOpenTurn(
    bucketKey: string,
    lockKey: string,
    valueKey: string,
    plainKey: string,
    capacity: number,
    refillPerSecond: number,
    cost: number,
    maxDelayMs: number,
    token: string,
    leaseMs: number,
    readPlain: 0 | 1,
  ): ScriptReply;
  coordCloseTurn(
    lockKey: string,
    valueKey: string,
    seqKey: string,
    plainKey: string,
    token: string,
    write: 0 | 1,
    expected: number,
    value: string,
    ttlMs: number,
    setPlain: 0 | 1,
    plainValue: string,
    plainTtlMs: number,
  ): ScriptReply;
}
