// `url` sources: a text (or JSON-lines) document over HTTP, read like a
// file that grows. The cursor is the byte offset read up to and the ETag
// of the last answer: the next GET asks Range: bytes=<offset>- with
// If-None-Match, so a server that supports them sends only what is new
// (206) or nothing (304); one that does not sends it whole (200) and the
// known part is skipped. A document shorter than the offset was replaced
// and is read again from its start.
#include "json/json_util.hpp"
#include "signals/log_source.hpp"
#include "signals/source_http.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace agenthost::signals {
namespace {

struct UrlCursor {
    long long offset = 0;
    std::string etag;
};

UrlCursor read_cursor(const std::string& cursor_json) {
    UrlCursor cursor;
    std::string error;
    auto document = json::parse(cursor_json, error);
    if (document && document->IsObject()) {
        cursor.offset = json::get_int64(*document, "offset");
        cursor.etag = json::get_string(*document, "etag");
    }
    return cursor;
}

std::string write_cursor(const UrlCursor& cursor) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> out(buffer);
    out.StartObject();
    out.Key("offset");
    out.Int64(cursor.offset);
    out.Key("etag");
    out.String(cursor.etag.c_str(), static_cast<rapidjson::SizeType>(cursor.etag.size()));
    out.EndObject();
    return buffer.GetString();
}

// The total size in "bytes 0-99/1234" or "bytes */1234"; -1 when unknown.
long long total_of(const std::string& content_range) {
    size_t slash = content_range.rfind('/');
    if (slash == std::string::npos || slash + 1 >= content_range.size() || content_range[slash + 1] == '*') return -1;
    try {
        return std::stoll(content_range.substr(slash + 1));
    } catch (const std::exception&) {
        return -1;
    }
}

// The first byte in "bytes 100-199/1234"; -1 when unreadable.
long long first_of(const std::string& content_range) {
    size_t space = content_range.find(' ');
    if (space == std::string::npos) return -1;
    try {
        return std::stoll(content_range.substr(space + 1));
    } catch (const std::exception&) {
        return -1;
    }
}

}  // namespace

PullBatch pull_url(const LogSourceConfig& source, const std::string& cursor_json, const PullSettings& settings) {
    bool first = cursor_json.empty();
    UrlCursor cursor = read_cursor(cursor_json);
    std::vector<std::pair<std::string, std::string>> headers = {{"Accept", "text/plain, application/x-ndjson, */*"}};
    if (cursor.offset > 0) headers.emplace_back("Range", "bytes=" + std::to_string(cursor.offset) + "-");
    if (cursor.offset > 0 && !cursor.etag.empty()) headers.emplace_back("If-None-Match", cursor.etag);
    // The first pull from the end only needs the size: the whole answer may
    // be large, so it is allowed up to 64 MiB and then dropped.
    size_t limit = first ? std::max<size_t>(settings.max_bytes, 64u << 20) : settings.max_bytes;
    SourceAnswer answer = source_request("GET", source.url, headers, "", settings, limit);
    PullBatch batch;
    std::string fresh;
    if (answer.status == 304) {
        batch.cursor_json = write_cursor(cursor);
        return batch;
    }
    if (answer.status == 416) {
        // Nothing past the offset; a total below it means it was replaced.
        long long total = total_of(answer.header("content-range"));
        if (total >= 0 && total < cursor.offset) {
            cursor = {0, ""};
            batch.more = true;
        }
        batch.cursor_json = write_cursor(cursor);
        return batch;
    }
    if (answer.status == 206) {
        long long from = first_of(answer.header("content-range"));
        if (from != cursor.offset) throw PullError("GET " + source.url + " answered a range starting at " +
                                                   std::to_string(from) + ", not " + std::to_string(cursor.offset));
        fresh = std::move(answer.body);
    } else if (answer.status == 200) {
        if (first) {
            cursor.offset = source.start_at == "beginning" ? 0 : static_cast<long long>(answer.body.size());
        } else if (static_cast<long long>(answer.body.size()) < cursor.offset) {
            cursor.offset = 0;  // replaced by something shorter
        }
        fresh = answer.body.substr(static_cast<size_t>(cursor.offset));
    } else {
        throw PullError("GET " + source.url + " answered " + describe_answer(answer));
    }
    if (fresh.size() > settings.max_bytes) {
        fresh.resize(settings.max_bytes);
        batch.more = true;
    }
    size_t consumed = 0;
    for (auto& text : complete_lines(fresh, false, consumed)) batch.lines.push_back({std::move(text), 0, "{}"});
    if (consumed == 0 && fresh.size() == settings.max_bytes) {
        // One line longer than a pull: taken as it is.
        batch.lines.clear();
        for (auto& text : complete_lines(fresh, true, consumed)) batch.lines.push_back({std::move(text), 0, "{}"});
    }
    cursor.offset += static_cast<long long>(consumed);
    cursor.etag = answer.header("etag");
    batch.cursor_json = write_cursor(cursor);
    return batch;
}

}  // namespace agenthost::signals
