// Structured JSON logging over spdlog: every line is one JSON object with
// ts, level, msg and any extra fields, so log shippers need no parsing rules.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace agenthost::log {

enum class Level { debug, info, warn, error };

// One extra field of a log line; numbers are written unquoted.
struct Field {
    Field(std::string_view key, std::string_view value) : key(key), text(value) {}
    Field(std::string_view key, const std::string& value) : key(key), text(value) {}
    Field(std::string_view key, const char* value) : key(key), text(value) {}
    Field(std::string_view key, long long value) : key(key), text(std::to_string(value)), number(true) {}
    Field(std::string_view key, int value) : Field(key, static_cast<long long>(value)) {}
    Field(std::string_view key, unsigned value) : Field(key, static_cast<long long>(value)) {}
    Field(std::string_view key, unsigned long value) : Field(key, static_cast<long long>(value)) {}
    Field(std::string_view key, double value);
    std::string key;
    std::string text;
    bool number = false;
};

// Sets up the process-wide logger (stdout, JSON lines, UTC timestamps).
void init(Level level);
// Flushes and stops the logger; nothing may log afterwards.
void shutdown();
bool parse_level(std::string_view name, Level& out);
bool enabled(Level level);

void write(Level level, std::string_view message, std::initializer_list<Field> fields = {});
inline void debug(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::debug, m, f); }
inline void info(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::info, m, f); }
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::warn, m, f); }
inline void error(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::error, m, f); }

// Escapes text for use inside a JSON string literal.
std::string json_escape(std::string_view text);

}  // namespace agenthost::log
