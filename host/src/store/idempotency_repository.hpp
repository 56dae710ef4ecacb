// The SQL for Idempotency-Key records: which resource a creating request
// made, so that its retries answer the same resource.
#pragma once

#include "store/database.hpp"

#include <optional>
#include <string>

namespace agenthost::store {

struct IdempotencyRecord {
    std::string scope;        // whose key it is ("" with auth off)
    std::string key;          // the client's Idempotency-Key
    std::string fingerprint;  // SHA-256 of method, path and body
    std::string endpoint;     // e.g. "POST /runs"
    std::string resource_id;  // the run, processing request or workflow made
    int status_code = 0;      // what the first answer's status was
    long long created_at_ms = 0;
};

class IdempotencyRepository {
  public:
    // Fails (a unique violation) when the key is already taken: the
    // transaction that would have created a second resource rolls back. A
    // record of the key older than `expired_before_ms` is replaced.
    void insert(soci::session& session, const IdempotencyRecord& record, long long expired_before_ms) const;
    // The record for the key if it was stored at or after `not_before_ms`.
    std::optional<IdempotencyRecord> find(soci::session& session, const std::string& scope, const std::string& key,
                                          long long not_before_ms) const;
    size_t delete_before(soci::session& session, long long before_ms) const;
};

}  // namespace agenthost::store
