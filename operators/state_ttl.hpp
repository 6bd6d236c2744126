#pragma once
// Flink's state TTL arithmetic (org.apache.flink.runtime.state.ttl.TtlUtils),
// shared by the operators that apply the pipeline's state_ttl.
#include <algorithm>
#include <cstdint>
#include <limits>

namespace ananas::ops {

// A restored entry whose snapshot carried no write time, until stamped with
// the first processing time the operator sees.
inline constexpr int64_t kUnstampedWrite = std::numeric_limits<int64_t>::min();

// When state written at `written` expires (TtlUtils.getExpirationTimestamp:
// no overflow past the largest time).
inline int64_t ttl_expiry(int64_t written, int64_t ttl_ms) {
  const int64_t room = written > 0 ? std::min(std::numeric_limits<int64_t>::max() - written, ttl_ms) : ttl_ms;
  return written + room;
}

// TtlUtils.expired: expiry <= now. An unstamped entry has not expired.
inline bool ttl_expired(int64_t written, int64_t ttl_ms, int64_t now_ms) {
  return written != kUnstampedWrite && ttl_expiry(written, ttl_ms) <= now_ms;
}

// The next sweep after one at `now_ms` whose oldest surviving entry was
// written at `oldest`: at its expiry, but at most four sweeps per TTL, since
// a sweep reads every entry (until then an expired entry is still never read).
inline int64_t ttl_next_sweep(int64_t oldest, int64_t ttl_ms, int64_t now_ms) {
  return std::max(ttl_expiry(oldest, ttl_ms), ttl_expiry(now_ms, std::max<int64_t>(1, ttl_ms / 4)));
}

}  // namespace ananas::ops
