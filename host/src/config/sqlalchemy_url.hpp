// The seeds' DATABASE_URL is a SQLAlchemy URL, and SQLAlchemy reads
// "sqlite:///app.db" as app.db in the working directory ("sqlite:////abs.db"
// for an absolute path) and names drivers in the scheme
// ("sqlite+aiosqlite://", "postgresql+asyncpg://"). agenthost's own
// database.url reads "sqlite://PATH" as PATH, so "sqlite:///var/lib/x.db"
// opens /var/lib/x.db; this turns the SQLAlchemy form into that one.
#pragma once

#include <filesystem>
#include <string>

namespace agenthost {

// `url` as agenthost's database.url: a SQLite file as "sqlite:" and an
// absolute path (relative ones resolved against `working_dir`), PostgreSQL
// without the driver suffix; anything else unchanged (for resolve_database
// to accept or refuse). Throws std::invalid_argument for a SQLite URL that
// names no file (in-memory: every run would vanish at exit) or a host.
std::string database_url_from_sqlalchemy(const std::string& url, const std::filesystem::path& working_dir);

}  // namespace agenthost
