// Numbered schema migrations, applied in order at start, each in its own
// transaction and recorded in schema_migrations, for SQLite and PostgreSQL.
#pragma once

#include "store/database.hpp"

namespace agenthost::store {

// Applies every migration newer than the database's version. Several hosts
// starting at once on PostgreSQL serialise on an advisory lock. Throws
// StoreUnavailable when the database refuses, or when it was migrated by a
// newer host than this one (never run against a schema we do not know).
void migrate(soci::session& session, Dialect dialect);

int latest_schema_version();

}  // namespace agenthost::store
