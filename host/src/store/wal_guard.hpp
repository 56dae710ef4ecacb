// Keeps SQLite's write-ahead log bounded. SQLite checkpoints on its own
// (wal_autocheckpoint), but a passive checkpoint never waits for readers and
// never shrinks the file, so under sustained writes the WAL can outgrow the
// database many times over. The writer calls after_commit(); once the file
// passes its limit, a TRUNCATE checkpoint copies every frame back and resets
// the file to zero bytes.
#pragma once

#include <soci/soci.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace agenthost::store {

class WalGuard {
  public:
    // `database_path` is the SQLite file; its log is `database_path-wal`.
    // A limit of 0 turns the guard off.
    WalGuard(std::string database_path, std::uint64_t limit_bytes);

    // Cheap: looks at the file at most every few milliseconds.
    void after_commit(soci::session& session);

    // The log's size in bytes now (0 when there is none).
    std::uint64_t wal_bytes() const;

  private:
    std::string wal_path_;
    std::uint64_t limit_bytes_;
    std::chrono::steady_clock::time_point next_look_{};
};

}  // namespace agenthost::store
