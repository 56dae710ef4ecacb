#include "util/log.hpp"

#include "util/log_writer.hpp"
#include "util/utf8.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

namespace agenthost::log {
namespace {

spdlog::level::level_enum to_spdlog(Level level) {
    switch (level) {
        case Level::debug: return spdlog::level::debug;
        case Level::info: return spdlog::level::info;
        case Level::warn: return spdlog::level::warn;
        case Level::error: return spdlog::level::err;
    }
    return spdlog::level::info;
}

// The writer thread in front of the logger (log_writer.hpp); empty before
// init() and after shutdown(), when lines go to spdlog directly.
std::unique_ptr<LineWriter>& writer() {
    static std::unique_ptr<LineWriter> instance;
    return instance;
}

// Runs on the writer thread: spdlog formats each line with the time it was
// logged, then one flush puts the whole batch out in as few writes as the
// stream buffer allows.
void write_batch(spdlog::logger& logger, std::vector<PendingLine>& batch) {
    for (PendingLine& line : batch)
        logger.log(line.time, spdlog::source_loc{}, static_cast<spdlog::level::level_enum>(line.level),
                   spdlog::string_view_t(line.text.data(), line.text.size()));
    logger.flush();
}

}  // namespace

Field::Field(std::string_view key, long long value) : key(key), number(true) {
    length_ = static_cast<size_t>(std::snprintf(digits_, sizeof digits_, "%lld", value));
    text = std::string_view(digits_, length_);
}

Field::Field(std::string_view key, double value) : key(key), number(true) {
    length_ = static_cast<size_t>(std::snprintf(digits_, sizeof digits_, "%.6g", value));
    text = std::string_view(digits_, std::min(length_, sizeof digits_ - 1));
}

void init(Level level) {
    // spdlog's stdout sink fflush()es after every line: a write(2) per
    // request. std::cout through an ostream sink stays buffered instead.
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(std::cout, false);
    auto logger = std::make_shared<spdlog::logger>("agenthost", sink);
    // The message part is already a run of JSON members (see write()).
    logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v})", spdlog::pattern_time_type::utc);
    logger->set_level(to_spdlog(level));
    spdlog::set_default_logger(logger);
    // Formatting and writing happen on the writer thread, a batch per write:
    // lines reach stdout within 200 ms, warnings and errors at once (they
    // wake the writer), and nothing is dropped (see log_writer.hpp).
    LineWriter::Options options;
    options.urgent_level = static_cast<int>(spdlog::level::warn);
    options.report_waits = [](size_t count) {
        std::string text = "\"msg\":\"logging fell behind: callers waited for the log writer\",\"waits\":" +
                           std::to_string(count);
        return PendingLine{std::chrono::system_clock::now(), static_cast<int>(spdlog::level::warn), std::move(text)};
    };
    writer() = std::make_unique<LineWriter>([logger](std::vector<PendingLine>& batch) { write_batch(*logger, batch); },
                                            std::move(options));
}

void shutdown() {
    // Everything queued is written; the logger itself stays, because a line
    // logged later (a thread or a destructor finishing after main's
    // shutdown) is then written at once. spdlog::shutdown() would drop the
    // default logger, and such a line would call through a null pointer.
    writer().reset();
    spdlog::default_logger_raw()->flush();
}

void drain_for_exit() {
    if (auto& queue = writer()) queue->stop();
    spdlog::default_logger_raw()->flush();
}

bool parse_level(std::string_view name, Level& out) {
    if (name == "debug" || name == "trace") out = Level::debug;
    else if (name == "info") out = Level::info;
    else if (name == "warn" || name == "warning") out = Level::warn;
    else if (name == "error" || name == "critical") out = Level::error;
    else return false;
    return true;
}

bool enabled(Level level) { return spdlog::default_logger_raw()->should_log(to_spdlog(level)); }

namespace {

// Appends `text` escaped for a JSON string literal; runs without anything
// to escape (nearly every path, id and message) are appended whole.
// Also keeps the line well-formed UTF-8 whatever bytes a field holds (a
// request path, a plugin's message, a provider's error): text with an
// ill-formed sequence is written with U+FFFD in its place, so a log shipper
// that parses each line as JSON never drops one. ASCII text never pays for
// the check.
void append_escaped(std::string& out, std::string_view text) {
    const size_t start = out.size();
    bool checked = false;
    size_t clean_from = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            if (!checked) {
                checked = true;
                if (!is_valid_utf8(text)) {
                    out.resize(start);
                    append_escaped(out, with_invalid_utf8_replaced(text));
                    return;
                }
            }
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text.data() + clean_from, i - clean_from);
        clean_from = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default: {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                out += buffer;
            }
        }
    }
    out.append(text.data() + clean_from, text.size() - clean_from);
}

}  // namespace

std::string json_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 8);
    append_escaped(out, text);
    return out;
}

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
    auto* logger = spdlog::default_logger_raw();
    auto spd_level = to_spdlog(level);
    if (!logger->should_log(spd_level)) return;
    // One allocation for the line: sized for the common case of nothing to
    // escape.
    size_t size = message.size() + 10;
    for (const Field& field : fields) size += field.key.size() + field.text.size() + 6;
    std::string line;
    line.reserve(size);
    line += "\"msg\":\"";
    append_escaped(line, message);
    line += '"';
    for (const Field& field : fields) {
        line += ",\"";
        append_escaped(line, field.key);
        line += "\":";
        if (field.number) {
            line += field.text;
        } else {
            line += '"';
            append_escaped(line, field.text);
            line += '"';
        }
    }
    if (auto& queue = writer()) queue->push(PendingLine{std::chrono::system_clock::now(), spd_level, std::move(line)});
    else logger->log(spd_level, spdlog::string_view_t(line.data(), line.size()));
}

}  // namespace agenthost::log
