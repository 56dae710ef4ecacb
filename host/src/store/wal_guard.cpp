#include "store/wal_guard.hpp"

#include "store/database.hpp"
#include "util/log.hpp"

#include <sys/stat.h>

namespace agenthost::store {

WalGuard::WalGuard(std::string database_path, std::uint64_t limit_bytes)
    : wal_path_(database_path.empty() ? std::string() : database_path + "-wal"), limit_bytes_(limit_bytes) {}

std::uint64_t WalGuard::wal_bytes() const {
    struct stat info {};
    if (wal_path_.empty() || ::stat(wal_path_.c_str(), &info) != 0) return 0;
    return static_cast<std::uint64_t>(info.st_size);
}

void WalGuard::after_commit(soci::session& session) {
    if (limit_bytes_ == 0 || wal_path_.empty()) return;
    // One stat per group commit: about a microsecond, and under load a
    // commit carries hundreds of writes, so the WAL cannot run far past the
    // limit between two looks.
    auto now = std::chrono::steady_clock::now();
    if (now < next_look_) return;
    std::uint64_t before = wal_bytes();
    if (before < limit_bytes_) return;
    int busy = 0, frames = 0, copied = 0;
    try {
        // TRUNCATE waits for readers still on older frames. Pooled reads are
        // short, so a fifth of a second is plenty; the writer must not stall
        // for the session's usual ten seconds behind a slow reader.
        session << "PRAGMA busy_timeout=200";
        session << "PRAGMA wal_checkpoint(TRUNCATE)", soci::into(busy), soci::into(frames), soci::into(copied);
        session << "PRAGMA busy_timeout=10000";
    } catch (const std::exception& e) {
        busy = 1;
        log::warn("WAL checkpoint failed", {{"error", describe_error(e)}});
        try {
            session << "PRAGMA busy_timeout=10000";
        } catch (const std::exception&) {
        }
    }
    // Readers in the way: SQLite's passive checkpoints go on meanwhile; try
    // again in a second rather than after every commit.
    if (busy != 0) next_look_ = now + std::chrono::seconds(1);
    log::debug("WAL checkpointed", {{"wal_bytes_before", static_cast<long long>(before)},
                                    {"wal_bytes_after", static_cast<long long>(wal_bytes())},
                                    {"frames", frames},
                                    {"copied", copied},
                                    {"busy", busy}});
}

}  // namespace agenthost::store
