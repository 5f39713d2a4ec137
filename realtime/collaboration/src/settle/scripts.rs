//! The settle store's Redis scripts: each step that must not interleave with another
//! process's is one script. Each is hashed once, when first used.

use std::sync::LazyLock;

/// Schedules a room (ARGV[1]) due at ARGV[2] unless it ended; ARGV[3] the room, ARGV[4] the
/// process that left it ('' for none), ARGV[5] the keys' lifetime in seconds.
pub(super) static SCHEDULE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], 'room', ARGV[3], 'node', ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
",
    )
});

/// Marks the room ended (for ARGV[6] seconds) and due at ARGV[2] with its ending (ARGV[4]);
/// nothing if it had ended already (the first ending is the one recorded).
pub(super) static END: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('SET', KEYS[3], '1', 'EX', ARGV[6])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HDEL', KEYS[2], 'node')
redis.call('HSET', KEYS[2], 'room', ARGV[3], 'ending', ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
",
    )
});

/// Claims a room: if it is due at ARGV[2] (or ARGV[4] is '1': claim it now, due or not), its
/// score becomes the lease's end (ARGV[3]) and its data is returned. A room whose data expired
/// cannot be recorded and is dropped.
pub(super) static CLAIM: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return false end
if ARGV[4] ~= '1' and tonumber(score) > tonumber(ARGV[2]) then return false end
local data = redis.call('HMGET', KEYS[2], 'room', 'ending', 'node')
if not data[1] then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return false
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return data
",
    )
});

/// Forgets a settled room, unless it was scheduled again since the claim (score ARGV[2]).
pub(super) static SETTLED: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return 1
",
    )
});

/// Makes a claimed room (score ARGV[2]) due again at ARGV[3], unless it was scheduled again
/// since the claim.
pub(super) static RETRY: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
",
    )
});
