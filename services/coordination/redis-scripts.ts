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

/**
 * A versioned value is one string, "<version>:<value>" (a hash of two fields cost about 160
 * bytes more per key once the value outgrew the hash's compact encoding). Values written as a
 * hash {v, n} by earlier versions are still read: GET fails on them, and only then is TYPE asked
 * (asking it on every read was two commands per read). Defines readVersioned(key) -> value, version
 * (false, false when absent) and writeVersioned(key, version, value, ttl ms or 0).
 */
const VERSIONED = `local function readVersioned(k)
  local s = redis.pcall('GET', k)
  if type(s) == 'table' and s.err then
    -- WRONGTYPE: a hash from before; for any other type, fail the script with GET's own error.
    if redis.call('TYPE', k).ok ~= 'hash' then redis.call('GET', k) end
    local cur = redis.call('HMGET', k, 'v', 'n')
    return cur[1], cur[2]
  end
  if not s then return false, false end
  local at = string.find(s, ':', 1, true)
  return string.sub(s, at + 1), string.sub(s, 1, at - 1)
end
local function writeVersioned(k, version, value, ttl)
  if ttl > 0 then redis.call('SET', k, version .. ':' .. value, 'PX', ttl) else redis.call('SET', k, version .. ':' .. value) end
end`;

export const SCRIPTS = {
  /**
   * KEYS: versioned value, version counter. ARGV: expected version (0 = absent), value, ttl ms (0 = none).
   * Returns {1, version} or {0} (absent) or {0, version, value} (current).
   */
  coordCompareAndSet: {
    numberOfKeys: 2,
    lua: `${VERSIONED}
local value, current = readVersioned(KEYS[1])
local version = 0
if current then version = tonumber(current) end
if version ~= tonumber(ARGV[1]) then
  if current then return {0, current, value} end
  return {0}
end
local next = redis.call('INCR', KEYS[2])
writeVersioned(KEYS[1], next, ARGV[2], tonumber(ARGV[3]))
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
   * KEYS: bucket hash, lock, versioned value, plain value. ARGV: capacity, refill, cost, max delay ms
   * (capacity 0 = take no token), lock token, lease ms, read the plain value when the versioned one is absent (0|1).
   * Returns {0, retryAfterMs} refused, {2, delayMs} queued on credit (lock not tried), {3} busy,
   * or {1, value, version, plain} with the lock taken. Mirrors MemoryCoordination.openTurn.
   */
  coordOpenTurn: {
    numberOfKeys: 4,
    lua: `${VERSIONED}
if tonumber(ARGV[1]) > 0 then
${NOW}
${TAKE_TOKEN}
  if allowed == 0 then return {0, retry} end
  if delay > 0 then return {2, delay} end
end
if not redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[6], 'NX') then return {3} end
local value, version = readVersioned(KEYS[3])
local also = false
-- The marker only matters when there is no value (it tells expiry from first contact): not read on the common path.
if ARGV[7] == '1' and not version then also = redis.call('GET', KEYS[4]) end
return {1, value, version, also}`,
  },
  /**
   * KEYS: lock, versioned value, version counter, plain value. ARGV: lock token, write (0|1),
   * expected version, value, ttl ms (0 = none), set the plain value (0|1), plain value, its ttl ms.
   * Returns {-1} lease lost (nothing done), {0} / {0, version, value} conflict (lock released),
   * {1, version} written and released, {1} released.
   */
  coordCloseTurn: {
    numberOfKeys: 4,
    lua: `${VERSIONED}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {-1} end
if ARGV[2] == '1' then
  local value, current = readVersioned(KEYS[2])
  local version = 0
  if current then version = tonumber(current) end
  if version ~= tonumber(ARGV[3]) then
    redis.call('DEL', KEYS[1])
    if current then return {0, current, value} end
    return {0}
  end
  local next = redis.call('INCR', KEYS[3])
  writeVersioned(KEYS[2], next, ARGV[4], tonumber(ARGV[5]))
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
  /** KEYS: versioned value. Returns {value, version}, or {} when absent. */
  coordGetVersioned: {
    numberOfKeys: 1,
    lua: `${VERSIONED}
local value, version = readVersioned(KEYS[1])
if version then return {value, version} end
return {}`,
  },
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
  coordGetVersioned(valueKey: string): ScriptReply;
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
