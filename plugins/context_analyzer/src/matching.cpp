#include <map>

#include "analyzer.hpp"

namespace ctx {
namespace detail {

namespace {
constexpr std::size_t kMaxMatchedLine = 4096;

}  // namespace

Match first_match(const std::vector<const SourceFile*>& files, const std::regex& pattern, int group) {
    for (const SourceFile* file : files) {
        for (std::size_t i = 0; i < file->lines.size(); ++i) {
            const std::string& line = file->lines[i];
            if (line.size() > kMaxMatchedLine) continue;
            std::smatch match;
            if (std::regex_search(line, match, pattern)) return {match[group].str(), file, static_cast<int>(i + 1)};
        }
    }
    return {};
}

std::vector<Match> all_matches(const std::vector<const SourceFile*>& files, const std::regex& pattern, int group) {
    std::vector<Match> out;
    for (const SourceFile* file : files) {
        for (std::size_t i = 0; i < file->lines.size(); ++i) {
            const std::string& line = file->lines[i];
            if (line.size() > kMaxMatchedLine) continue;
            for (auto it = std::sregex_iterator(line.begin(), line.end(), pattern); it != std::sregex_iterator(); ++it)
                out.push_back({(*it)[group].str(), file, static_cast<int>(i + 1)});
        }
    }
    return out;
}

devkit::Finding finding(const Match& match, std::string_view service_path) {
    if (match.file == nullptr) return {};
    return finding(match.value, *match.file, match.line, service_path);
}

devkit::Finding finding(std::string value, const SourceFile& file, int line, std::string_view service_path,
                        std::string note) {
    devkit::Finding out;
    out.value = std::move(value);
    out.file = file.path;  // from the repository root, so it opens as given
    (void)service_path;
    out.line = line;
    out.note = std::move(note);
    return out;
}

int line_of(const SourceFile& file, std::string_view needle) {
    for (std::size_t i = 0; i < file.lines.size(); ++i)
        if (file.lines[i].find(needle) != std::string::npos) return static_cast<int>(i + 1);
    return 0;
}

bool has_suffix(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string base_name(std::string_view path) {
    auto slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace detail

const SourceFile* ServiceFiles::file(std::string_view name_in_service) const {
    const std::string wanted = path == "." ? std::string(name_in_service) : path + "/" + std::string(name_in_service);
    for (const SourceFile* file : files)
        if (file->path == wanted) return file;
    return nullptr;
}

std::vector<const SourceFile*> ServiceFiles::with_suffix(std::string_view suffix) const {
    std::vector<const SourceFile*> out;
    for (const SourceFile* file : files)
        if (detail::has_suffix(file->path, suffix)) out.push_back(file);
    return out;
}

std::vector<devkit::Finding> backing_services(const std::vector<Dependency>& dependencies,
                                              std::string_view service_path) {
    // Dependency name (exact, or a Go module path prefix) -> what it talks to.
    static const std::vector<std::pair<std::string, std::string>> table = {
        {"psycopg2", "postgresql"}, {"psycopg2-binary", "postgresql"}, {"psycopg", "postgresql"},
        {"asyncpg", "postgresql"}, {"pg", "postgresql"}, {"pg-promise", "postgres"}, {"postgres", "postgresql"},
        {"github.com/lib/pq", "postgresql"}, {"github.com/jackc/pgx", "postgresql"}, {"postgresql", "postgresql"},
        {"r2dbc-postgresql", "postgresql"}, {"mysqlclient", "mysql"}, {"pymysql", "mysql"}, {"mysql2", "mysql"},
        {"mysql", "mysql"}, {"github.com/go-sql-driver/mysql", "mysql"}, {"mysql-connector-j", "mysql"},
        {"mysql-connector-java", "mysql"}, {"redis", "redis"}, {"ioredis", "redis"}, {"aioredis", "redis"},
        {"github.com/redis/go-redis", "redis"}, {"github.com/go-redis/redis", "redis"},
        {"spring-boot-starter-data-redis", "redis"}, {"jedis", "redis"}, {"pymongo", "mongodb"},
        {"motor", "mongodb"}, {"mongoose", "mongodb"}, {"mongodb", "mongodb"},
        {"go.mongodb.org/mongo-driver", "mongodb"}, {"spring-boot-starter-data-mongodb", "mongodb"},
        {"pika", "rabbitmq"}, {"amqplib", "rabbitmq"}, {"spring-boot-starter-amqp", "rabbitmq"},
        {"kafka-python", "kafka"}, {"confluent-kafka", "kafka"}, {"kafkajs", "kafka"},
        {"github.com/shopify/sarama", "kafka"}, {"github.com/ibm/sarama", "kafka"}, {"spring-kafka", "kafka"},
        {"elasticsearch", "elasticsearch"}, {"@elastic/elasticsearch", "elasticsearch"}};
    std::vector<devkit::Finding> out;
    std::map<std::string, bool> seen;
    for (const auto& dependency : dependencies) {
        for (const auto& [name, service] : table) {
            bool matches = dependency.name == name ||
                           (name.find('/') != std::string::npos && dependency.name.rfind(name, 0) == 0);
            if (!matches) continue;
            std::string kind = service == "postgres" ? "postgresql" : service;
            if (seen[kind]) break;
            seen[kind] = true;
            devkit::Finding finding;
            finding.value = kind;
            finding.file = dependency.file;
            finding.line = dependency.line;
            finding.note = "dependency " + dependency.name;
            out.push_back(finding);
            break;
        }
    }
    (void)service_path;
    return out;
}

}  // namespace ctx
