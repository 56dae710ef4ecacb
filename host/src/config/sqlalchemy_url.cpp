#include "config/sqlalchemy_url.hpp"

#include <stdexcept>

namespace agenthost {
namespace {

namespace fs = std::filesystem;

// "./app.db" against /srv gives /srv/app.db rather than /srv/./app.db. With
// a ".." the path is left as it is: folding it would be wrong past a symlink.
fs::path absolute_file(const fs::path& file, const fs::path& working_dir) {
    fs::path path = file.is_absolute() ? file : working_dir / file;
    for (const auto& part : path)
        if (part == "..") return path;
    return path.lexically_normal();
}

}  // namespace

std::string database_url_from_sqlalchemy(const std::string& url, const fs::path& working_dir) {
    size_t scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return url;  // not SQLAlchemy's form ("sqlite:PATH")
    std::string scheme = url.substr(0, scheme_end);
    std::string dialect = scheme.substr(0, scheme.find('+'));
    std::string rest = url.substr(scheme_end + 3);
    if (dialect == "postgresql" || dialect == "postgres") return dialect + "://" + rest;
    if (dialect != "sqlite") return url;

    // sqlite://<no host>/<path>: the slash after the empty host separates,
    // so three slashes start a relative path and four an absolute one. A
    // query ("?check_same_thread=false") holds Python driver options.
    std::string file = rest.substr(0, rest.find('?'));
    if (file.empty() || file == "/" || file == "/:memory:")
        throw std::invalid_argument("'" + url +
                                    "' is an in-memory SQLite database, which would lose every run at exit; "
                                    "name a file, such as sqlite:///./agenthost.db");
    if (file[0] != '/')
        throw std::invalid_argument("'" + url + "' names a host; a SQLite URL is sqlite:///relative/path.db or "
                                    "sqlite:////absolute/path.db");
    return "sqlite:" + absolute_file(file.substr(1), working_dir).string();
}

}  // namespace agenthost
