/**
The queue's atomic steps, each one Lua script run by the Redis server (its clock is the one every
lease is measured by, so that jobs' clocks never need agree). Keys as queueKeys() orders them.
*/

/** Server time in milliseconds, and every key of the queue's expiry pushed back. */
const prelude = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function keep(ttl)
	for _, key in ipairs(KEYS) do
		if redis.call('EXISTS', key) == 1 then redis.call('EXPIRE', key, ttl) end
	end
end
`;

/**
KEYS: meta files pending. ARGV: ttl, digest, what the run is (JSON: image, command, start), the files
in order. The first job puts the files; every one gets the digest of the list the queue has, to
compare with its own.
*/
export const seed = `${prelude}
local digest = redis.call('HGET', KEYS[1], 'digest')
if digest then
	keep(ARGV[1])
	return digest
end
redis.call('HSET', KEYS[1], 'digest', ARGV[2], 'about', ARGV[3], 'total', #ARGV - 3)
for i = 4, #ARGV, 1000 do
	local chunk = {}
	for j = i, math.min(i + 999, #ARGV) do chunk[#chunk + 1] = ARGV[j] end
	redis.call('RPUSH', KEYS[2], unpack(chunk))
	redis.call('RPUSH', KEYS[3], unpack(chunk))
end
keep(ARGV[1])
return ARGV[2]
`;

/**
KEYS: pending leases owners results. ARGV: ttl, job, lease ms, a file to take (a retried job's own),
or '' for the next, the changes channel. Leases that ran out first go back to the front of the queue
(those of a lost job), unless their file has a result; the channel tells the slots waiting. Returns {'file', file}, {'wait', ms until the next lease ends} when
only leased files are left, or {'done'}.
*/
export const take = `${prelude}
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for i = #expired, 1, -1 do
	redis.call('ZREM', KEYS[2], expired[i])
	if redis.call('HEXISTS', KEYS[4], expired[i]) == 0 then redis.call('LPUSH', KEYS[1], expired[i]) end
end
if #expired > 0 then redis.call('PUBLISH', ARGV[5], 'back') end
local file
if ARGV[4] ~= '' then
	file = ARGV[4]
	redis.call('LREM', KEYS[1], 0, file)
else
	file = redis.call('LPOP', KEYS[1])
end
if file then
	redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), file)
	redis.call('HSET', KEYS[3], file, ARGV[2])
	keep(ARGV[1])
	return {'file', file}
end
keep(ARGV[1])
local next = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if #next > 0 then return {'wait', tostring(tonumber(next[2]) - now)} end
return {'done'}
`;

/** KEYS: leases owners. ARGV: ttl, job, lease ms, file. The job's lease of the file lasts on; 0 when it is no longer the job's. */
export const renew = `${prelude}
if redis.call('HGET', KEYS[2], ARGV[4]) ~= ARGV[2] or not redis.call('ZSCORE', KEYS[1], ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
keep(ARGV[1])
return 1
`;

/**
KEYS: pending leases owners results repeated timings. ARGV: ttl, job, file, result, ms, replace,
timings ttl, the changes channel (told of every result, for the slots waiting). The first result of a file is kept; a later one is a repeated attempt, unless `replace`
(a retried job's own file), which keeps the new one and the earlier as repeated. The same result
again (a call resent after a reconnect) changes nothing. Returns 1 when this result is the file's.
*/
export const finish = `${prelude}
local file = ARGV[3]
if redis.call('HGET', KEYS[4], file) == ARGV[4] then return 1 end
if redis.call('HGET', KEYS[3], file) == ARGV[2] then redis.call('ZREM', KEYS[2], file) end
redis.call('LREM', KEYS[1], 0, file)
local kept = 1
if ARGV[6] == '1' then
	local earlier = redis.call('HGET', KEYS[4], file)
	if earlier then redis.call('RPUSH', KEYS[5], earlier) end
	redis.call('HSET', KEYS[4], file, ARGV[4])
else
	kept = redis.call('HSETNX', KEYS[4], file, ARGV[4])
	if kept == 0 then redis.call('RPUSH', KEYS[5], ARGV[4]) end
end
keep(ARGV[1])
redis.call('HSET', KEYS[6], file, ARGV[5])
redis.call('EXPIRE', KEYS[6], ARGV[7])
redis.call('PUBLISH', ARGV[8], file)
return kept
`;
