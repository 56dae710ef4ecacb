#include "store/database.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <filesystem>
#include <regex>

namespace agenthost::store {
namespace {

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

// postgresql://user:secret@host/db -> postgresql://user:***@host/db
std::string hide_password(const std::string& url) {
    static const std::regex password(R"(^([a-z]+://[^:/@]+:)[^@]*@)");
    return std::regex_replace(url, password, "$1***@");
}

}  // namespace

DatabaseSettings resolve_database(const std::string& url, const std::string& data_dir) {
    DatabaseSettings settings;
    if (url.empty() || starts_with(url, "sqlite:")) {
        std::string path = url.empty() ? (std::filesystem::path(data_dir) / "agenthost.db").string()
                                        : url.substr(starts_with(url, "sqlite://") ? 9 : 7);
        if (path.empty()) throw std::invalid_argument("database url '" + url + "' names no SQLite file");
        settings.dialect = Dialect::sqlite;
        // SOCI's SQLite backend takes "db=PATH key=value ..."; quoting keeps
        // paths with spaces intact.
        settings.connect_string = "db=\"" + path + "\" timeout=10 shared_cache=false";
        settings.display = "sqlite:" + path;
        return settings;
    }
    if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
        settings.dialect = Dialect::postgresql;
        settings.connect_string = url;  // libpq understands the URI form
        settings.display = hide_password(url);
        return settings;
    }
    throw std::invalid_argument("database url must start with postgresql://, postgres:// or sqlite:, got '" +
                                hide_password(url) + "'");
}

std::unique_ptr<soci::session> open_session(const DatabaseSettings& settings) {
    try {
        if (settings.dialect == Dialect::sqlite) {
            auto session = std::make_unique<soci::session>(*soci::factory_sqlite3(), settings.connect_string);
            // WAL lets readers run beside the one writer; FULL makes every
            // (group) commit survive power loss, not only a process crash.
            *session << "PRAGMA journal_mode=WAL";
            *session << "PRAGMA synchronous=FULL";
            *session << "PRAGMA foreign_keys=ON";
            *session << "PRAGMA busy_timeout=10000";
            return session;
        }
        return std::make_unique<soci::session>(*soci::factory_postgresql(), settings.connect_string);
    } catch (const std::exception& e) {
        throw StoreUnavailable("cannot open " + settings.display + ": " + e.what());
    }
}

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace agenthost::store
