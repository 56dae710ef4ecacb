// Creates the data directory and holds an exclusive lock on it for the
// process's lifetime, so two hosts never share one embedded database.
#pragma once

#include <string>

namespace agenthost::store {

class DataDirLock {
  public:
    // Throws std::runtime_error naming the directory (and the holder's pid
    // when known) if it cannot be created or is locked by another process.
    explicit DataDirLock(const std::string& directory);
    ~DataDirLock();
    DataDirLock(const DataDirLock&) = delete;
    DataDirLock& operator=(const DataDirLock&) = delete;

  private:
    int fd_ = -1;
};

}  // namespace agenthost::store
