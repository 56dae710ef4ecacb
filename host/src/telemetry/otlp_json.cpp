#include "telemetry/otlp_json.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

namespace agenthost::telemetry {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void key(Writer& w, const char* name) { w.Key(name); }

// Well-formed UTF-8 of `text`: each byte that starts no valid sequence
// becomes U+FFFD, so an odd error message cannot make the batch invalid
// JSON (which a collector refuses whole).
std::string valid_utf8(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        auto byte = [&](size_t at) { return static_cast<unsigned char>(text[at]); };
        unsigned char c = byte(i);
        size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        bool ok = length > 0 && i + length <= text.size();
        for (size_t k = 1; ok && k < length; ++k) ok = (byte(i + k) & 0xc0) == 0x80;
        if (ok && length == 2) ok = c >= 0xc2;  // overlong
        if (ok && length == 3) {
            unsigned cp = ((c & 0x0fu) << 12) | ((byte(i + 1) & 0x3fu) << 6) | (byte(i + 2) & 0x3fu);
            ok = cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff);
        }
        if (ok && length == 4) {
            unsigned cp = ((c & 0x07u) << 18) | ((byte(i + 1) & 0x3fu) << 12) | ((byte(i + 2) & 0x3fu) << 6) |
                          (byte(i + 3) & 0x3fu);
            ok = cp >= 0x10000 && cp <= 0x10ffff;
        }
        if (ok) {
            out.append(text, i, length);
            i += length;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

void string(Writer& w, const std::string& text) {
    std::string clean = valid_utf8(text);
    w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}

void attributes(Writer& w, const std::vector<Attribute>& list) {
    w.StartArray();
    for (const Attribute& attribute : list) {
        w.StartObject();
        key(w, "key");
        string(w, attribute.key);
        key(w, "value");
        w.StartObject();
        if (const auto* text = std::get_if<std::string>(&attribute.value)) {
            key(w, "stringValue");
            string(w, *text);
        } else if (const auto* number = std::get_if<long long>(&attribute.value)) {
            key(w, "intValue");
            string(w, std::to_string(*number));
        } else if (const auto* real = std::get_if<double>(&attribute.value)) {
            // JSON has no NaN or infinity; such a value is sent as text.
            if (std::isfinite(*real)) {
                key(w, "doubleValue");
                w.Double(*real);
            } else {
                key(w, "stringValue");
                string(w, std::to_string(*real));
            }
        } else {
            key(w, "boolValue");
            w.Bool(std::get<bool>(attribute.value));
        }
        w.EndObject();
        w.EndObject();
    }
    w.EndArray();
}

}  // namespace

std::string encode_traces(const std::vector<Attribute>& resource, const std::string& scope_version,
                          const std::vector<SpanData>& spans) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    key(w, "resourceSpans");
    w.StartArray();
    w.StartObject();
    key(w, "resource");
    w.StartObject();
    key(w, "attributes");
    attributes(w, resource);
    w.EndObject();
    key(w, "scopeSpans");
    w.StartArray();
    w.StartObject();
    key(w, "scope");
    w.StartObject();
    key(w, "name");
    w.String("agenthost");
    key(w, "version");
    string(w, scope_version);
    w.EndObject();
    key(w, "spans");
    w.StartArray();
    for (const SpanData& span : spans) {
        w.StartObject();
        key(w, "traceId");
        string(w, span.context.trace_id_hex());
        key(w, "spanId");
        string(w, span.context.span_id_hex());
        if (span.has_parent) {
            key(w, "parentSpanId");
            string(w, to_hex(span.parent_span_id.data(), span.parent_span_id.size()));
        }
        key(w, "flags");
        w.Uint(span.context.sampled ? 1 : 0);
        key(w, "name");
        string(w, span.name);
        key(w, "kind");
        w.Int(static_cast<int>(span.kind));
        key(w, "startTimeUnixNano");
        string(w, std::to_string(span.start_unix_ns));
        key(w, "endTimeUnixNano");
        string(w, std::to_string(span.end_unix_ns));
        key(w, "attributes");
        attributes(w, span.attributes);
        key(w, "status");
        w.StartObject();
        key(w, "code");
        w.Int(span.status_code);
        if (!span.status_message.empty()) {
            key(w, "message");
            string(w, span.status_message);
        }
        w.EndObject();
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    w.EndArray();
    w.EndObject();
    w.EndArray();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace agenthost::telemetry
