// A fresh, empty database for one store test: a temporary SQLite file, or a
// new database on the PostgreSQL server named by AGENTHOST_TEST_DATABASE_URL.
// The backend is chosen at build time (one test binary per backend).
#pragma once

#include "store/store.hpp"

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace agenthost::testing {

// Store logs at info are noise in test output; warnings stay.
inline void quiet_store_logs() { spdlog::set_level(spdlog::level::warn); }

class TestDatabase {
  public:
    TestDatabase();
    ~TestDatabase();
    const store::DatabaseSettings& settings() const { return settings_; }
    std::unique_ptr<store::Store> open() const { return store::Store::open(settings_); }

  private:
    store::DatabaseSettings settings_;
    std::string cleanup_;  // SQLite: the directory; PostgreSQL: the database
};

}  // namespace agenthost::testing
