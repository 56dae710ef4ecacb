// Reading SOCI rows without caring how each backend typed a column: SQLite
// and PostgreSQL report INTEGER, BIGINT and RETURNING columns differently.
#pragma once

#include <soci/soci.h>

#include <string>

namespace agenthost::store {

// "" for NULL.
std::string text_at(const soci::row& row, size_t index);
// 0 for NULL.
long long integer_at(const soci::row& row, size_t index);

}  // namespace agenthost::store
