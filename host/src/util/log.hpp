// Structured JSON logging over spdlog: every line is one JSON object with
// ts, level, msg and any extra fields, so log shippers need no parsing rules.
#pragma once

#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace agenthost::log {

enum class Level { debug, info, warn, error };

// One extra field of a log line; numbers are written unquoted. Text is
// viewed, not copied: a Field lives only as long as the log call it is
// written in (the access log builds one line per request).
struct Field {
    Field(std::string_view key, std::string_view value) : key(key), text(value) {}
    Field(std::string_view key, const std::string& value) : key(key), text(value) {}
    Field(std::string_view key, const char* value) : key(key), text(value) {}
    Field(std::string_view key, long long value);
    Field(std::string_view key, int value) : Field(key, static_cast<long long>(value)) {}
    Field(std::string_view key, unsigned value) : Field(key, static_cast<long long>(value)) {}
    Field(std::string_view key, unsigned long value) : Field(key, static_cast<long long>(value)) {}
    Field(std::string_view key, double value);
    Field(const Field& other) : key(other.key), number(other.number), length_(other.length_) {
        std::memcpy(digits_, other.digits_, sizeof digits_);
        text = number ? std::string_view(digits_, length_) : other.text;
    }
    Field& operator=(const Field&) = delete;

    std::string_view key;
    std::string_view text;  // for numbers, digits_ below
    bool number = false;

  private:
    char digits_[32] = {};
    size_t length_ = 0;
};

// Sets up the process-wide logger (stdout, JSON lines, UTC timestamps).
void init(Level level);
// Flushes and stops the logger; nothing may log afterwards.
void shutdown();
// For a process about to _exit (which runs no destructors): writes what is
// queued and from then on writes every line at once, on the caller.
void drain_for_exit();
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
