#include "store/database.hpp"

#include "util/percent_decode.hpp"

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

// libpq keyword values in single quotes, with ' and \ escaped.
std::string keyword(const std::string& name, const std::string& value) {
    std::string out = name + "='";
    for (char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "' ";
}

// SOCI 4.0's PostgreSQL backend rewrites its connect string and mangles the
// URI form, so postgresql://user:pw@host:port/db?k=v becomes libpq's
// keyword=value form here.
std::string libpq_keywords(const std::string& url) {
    std::string rest = url.substr(url.find("://") + 3);
    std::string query;
    if (size_t q = rest.find('?'); q != std::string::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    std::string out;
    if (size_t at = rest.rfind('@'); at != std::string::npos) {
        std::string credentials = rest.substr(0, at);
        rest = rest.substr(at + 1);
        size_t colon = credentials.find(':');
        out += keyword("user", percent_decode(credentials.substr(0, colon)));
        if (colon != std::string::npos) out += keyword("password", percent_decode(credentials.substr(colon + 1)));
    }
    std::string hostport = rest.substr(0, rest.find('/'));
    if (rest.find('/') != std::string::npos) {
        std::string dbname = percent_decode(rest.substr(rest.find('/') + 1));
        if (!dbname.empty()) out += keyword("dbname", dbname);
    }
    if (!hostport.empty()) {
        size_t colon = hostport.rfind(':');
        bool bracketed = !hostport.empty() && hostport.front() == '[';  // [::1]:5432
        if (colon != std::string::npos && (!bracketed || hostport[colon - 1] == ']')) {
            out += keyword("port", hostport.substr(colon + 1));
            hostport = hostport.substr(0, colon);
        }
        if (bracketed) hostport = hostport.substr(1, hostport.size() - 2);
        out += keyword("host", percent_decode(hostport));
    }
    size_t start = 0;
    while (start < query.size()) {
        size_t end = query.find('&', start);
        if (end == std::string::npos) end = query.size();
        std::string pair = query.substr(start, end - start);
        size_t equals = pair.find('=');
        if (equals != std::string::npos)
            out += keyword(percent_decode(pair.substr(0, equals)), percent_decode(pair.substr(equals + 1)));
        start = end + 1;
    }
    if (out.find("connect_timeout=") == std::string::npos) out += keyword("connect_timeout", "5");
    return out;
}

}  // namespace

DatabaseSettings resolve_database(const std::string& given, const std::string& data_dir) {
    DatabaseSettings settings;
    // SQLAlchemy's driver suffix (the seeds' DATABASE_URL may carry one,
    // "postgresql+psycopg2://..."): libpq needs none.
    std::string url = given;
    if (starts_with(url, "postgresql+") || starts_with(url, "postgres+")) {
        size_t plus = url.find('+'), scheme_end = url.find("://");
        if (scheme_end != std::string::npos && plus < scheme_end) url.erase(plus, scheme_end - plus);
    }
    if (url.empty() || starts_with(url, "sqlite:")) {
        std::string path = url.empty() ? (std::filesystem::path(data_dir) / "agenthost.db").string()
                                        : url.substr(starts_with(url, "sqlite://") ? 9 : 7);
        if (path.empty()) throw std::invalid_argument("database url '" + url + "' names no SQLite file");
        // Opened against the working directory either way; absolute, the
        // "store open" log line says which file that was.
        if (path != ":memory:") path = std::filesystem::absolute(path).string();
        settings.dialect = Dialect::sqlite;
        settings.sqlite_path = path;
        // SOCI's SQLite backend takes "db=PATH key=value ..."; quoting keeps
        // paths with spaces intact.
        settings.connect_string = "db=\"" + path + "\" timeout=10 shared_cache=false";
        settings.display = "sqlite:" + path;
        return settings;
    }
    if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
        settings.dialect = Dialect::postgresql;
        settings.connect_string = libpq_keywords(url);
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
            *session << (settings.sqlite_synchronous == "normal" ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
            *session << "PRAGMA foreign_keys=ON";
            *session << "PRAGMA busy_timeout=10000";
            // After a checkpoint resets the log, SQLite truncates the file
            // to this size instead of keeping its high-water mark on disk.
            *session << "PRAGMA journal_size_limit=" + std::to_string(settings.wal_limit_bytes ? settings.wal_limit_bytes / 4 : 16u << 20);
            return session;
        }
        return std::make_unique<soci::session>(*soci::factory_postgresql(), settings.connect_string);
    } catch (const std::exception& e) {
        throw StoreUnavailable("cannot open " + settings.display + ": " + describe_error(e));
    }
}

std::string describe_error(const std::exception& error) {
    std::string text = error.what();
    size_t cut = text.find(" while executing ");
    if (cut != std::string::npos) text.erase(cut);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

bool is_storage_outage(const std::exception& error) {
    if (const auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
        switch (sqlite->result() & 0xff) {
            case 5:   // SQLITE_BUSY
            case 6:   // SQLITE_LOCKED
            case 7:   // SQLITE_NOMEM
            case 8:   // SQLITE_READONLY
            case 10:  // SQLITE_IOERR
            case 13:  // SQLITE_FULL
            case 14:  // SQLITE_CANTOPEN
            case 15:  // SQLITE_PROTOCOL
                return true;
            default:
                return false;
        }
    }
    if (const auto* postgres = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
        // Connection (08), insufficient resources such as a full disk (53),
        // operator intervention (57), system (58), internal (XX).
        std::string state = postgres->sqlstate();
        for (const char* outage : {"08", "53", "57", "58", "XX"})
            if (state.compare(0, 2, outage) == 0) return true;
        return postgres->get_error_category() == soci::soci_error::connection_error;
    }
    return false;
}

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace agenthost::store
