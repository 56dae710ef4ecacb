#include "memory_store/item_request.hpp"

#include "json/json_util.hpp"
#include "json/storable_text.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace agenthost::memory_store {
namespace {

[[noreturn]] void refuse(const std::string& field, const std::string& message) {
    throw InvalidStoreRequest(field, field + ": " + message);
}

void check_text(const std::string& text, const std::string& field) {
    if (const char* reason = json::unstorable_text_reason(text); reason != nullptr && *reason != '\0')
        refuse(field, reason);
}

void check_label(const std::string& label, const std::string& field) {
    if (label.empty()) refuse(field, "a namespace label may not be empty");
    if (label.size() > kMaxLabelBytes)
        refuse(field, "a namespace label may hold at most " + std::to_string(kMaxLabelBytes) + " bytes");
    if (label.find('.') != std::string::npos)
        refuse(field, "a namespace label may not contain '.' (clients send namespaces dot-joined)");
    check_text(label, field);
}

Namespace from_labels(std::vector<std::string> labels) {
    Namespace ns;
    for (size_t i = 0; i < labels.size(); ++i) {
        if (i > 0) ns.joined += '.';
        ns.joined += labels[i];
    }
    ns.labels = std::move(labels);
    return ns;
}

size_t read_count(const rapidjson::Value& body, const char* name, size_t fallback, size_t minimum, size_t maximum) {
    const rapidjson::Value* value = json::get_member(body, name);
    if (value == nullptr || value->IsNull()) return fallback;
    std::string field = std::string("/") + name;
    if (!value->IsInt64() || value->GetInt64() < static_cast<int64_t>(minimum) ||
        value->GetInt64() > static_cast<int64_t>(maximum))
        refuse(field, "must be a whole number from " + std::to_string(minimum) + " to " + std::to_string(maximum));
    return static_cast<size_t>(value->GetInt64());
}

std::vector<std::string> read_labels(const rapidjson::Value* value, const std::string& field, bool allow_empty) {
    if (value == nullptr || !value->IsArray()) refuse(field, "must be an array of strings");
    if (!allow_empty && value->Empty()) refuse(field, "must name at least one label");
    if (value->Size() > kMaxLabels) refuse(field, "may have at most " + std::to_string(kMaxLabels) + " labels");
    std::vector<std::string> labels;
    for (rapidjson::SizeType i = 0; i < value->Size(); ++i) {
        std::string at = field + "/" + std::to_string(i);
        if (!(*value)[i].IsString()) refuse(at, "a namespace label must be a string");
        std::string label((*value)[i].GetString(), (*value)[i].GetStringLength());
        check_label(label, at);
        labels.push_back(std::move(label));
    }
    return labels;
}

bool is_operator_object(const rapidjson::Value& value) {
    if (!value.IsObject() || value.MemberCount() == 0) return false;
    for (const auto& member : value.GetObject())
        if (member.name.GetStringLength() == 0 || member.name.GetString()[0] != '$') return false;
    return true;
}

// Orders two numbers or two strings; nullopt when they cannot be compared.
std::optional<int> compare(const rapidjson::Value& a, const rapidjson::Value& b) {
    if (a.IsNumber() && b.IsNumber()) {
        double x = a.GetDouble(), y = b.GetDouble();
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a.IsString() && b.IsString()) {
        int order = std::string_view(a.GetString(), a.GetStringLength())
                        .compare(std::string_view(b.GetString(), b.GetStringLength()));
        return order < 0 ? -1 : order > 0 ? 1 : 0;
    }
    return std::nullopt;
}

bool equal(const rapidjson::Value& a, const rapidjson::Value& b) {
    // 1 and 1.0 are the same number to a client.
    if (a.IsNumber() && b.IsNumber()) return a.GetDouble() == b.GetDouble();
    return a == b;
}

void collect_strings(const rapidjson::Value& value, std::string& out) {
    if (value.IsString()) {
        if (!out.empty()) out += '\n';
        out.append(value.GetString(), value.GetStringLength());
    } else if (value.IsArray()) {
        for (const auto& element : value.GetArray()) collect_strings(element, out);
    } else if (value.IsObject()) {
        for (const auto& member : value.GetObject()) collect_strings(member.value, out);
    }
}

}  // namespace

Namespace read_namespace(const rapidjson::Value* value, const std::string& field, bool allow_empty) {
    return from_labels(read_labels(value, field, allow_empty));
}

Namespace read_dotted_namespace(const std::string& dotted, const std::string& field) {
    if (dotted.empty()) refuse(field, "must name at least one label (labels joined with '.')");
    std::vector<std::string> labels;
    size_t start = 0;
    for (;;) {
        size_t dot = dotted.find('.', start);
        std::string label = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        check_label(label, field);
        labels.push_back(std::move(label));
        if (labels.size() > kMaxLabels) refuse(field, "may have at most " + std::to_string(kMaxLabels) + " labels");
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return from_labels(std::move(labels));
}

std::string read_key(const rapidjson::Value* value, const std::string& field) {
    if (value == nullptr || !value->IsString()) refuse(field, "must be a string");
    std::string key(value->GetString(), value->GetStringLength());
    if (key.empty()) refuse(field, "may not be empty");
    if (key.size() > kMaxKeyBytes) refuse(field, "may hold at most " + std::to_string(kMaxKeyBytes) + " bytes");
    check_text(key, field);
    return key;
}

ItemRef read_item_ref(const rapidjson::Value& body) {
    if (!body.IsObject()) refuse("", "must be a JSON object");
    ItemRef item;
    item.ns = read_namespace(json::get_member(body, "namespace"), "/namespace", false);
    item.key = read_key(json::get_member(body, "key"), "/key");
    return item;
}

PutRequest read_put(const rapidjson::Value& body) {
    PutRequest put;
    put.item = read_item_ref(body);
    const rapidjson::Value* value = json::get_member(body, "value");
    if (value == nullptr || !value->IsObject()) refuse("/value", "must be a JSON object");
    if (auto bad = json::unstorable_strings(*value, "/value"); !bad.empty()) refuse(bad.front().field, bad.front().message);
    put.value_json = json::serialize(*value);
    if (put.value_json.size() > kMaxValueBytes)
        refuse("/value", "a store item's value may hold at most " + std::to_string(kMaxValueBytes / 1024) +
                             " KiB (this one is " + std::to_string(put.value_json.size()) + " bytes)");
    put.search_text = searchable_text(*value);
    const rapidjson::Value* ttl = json::get_member(body, "ttl");
    if (ttl != nullptr && !ttl->IsNull()) {
        if (!ttl->IsNumber() || !(ttl->GetDouble() > 0) || ttl->GetDouble() > kMaxTtlMinutes)
            refuse("/ttl", "must be a number of minutes above 0 and at most ten years, or null for no expiry");
        put.ttl_ms = std::max<long long>(1, std::llround(ttl->GetDouble() * 60000.0));
    }
    return put;
}

SearchRequest read_search(const rapidjson::Value& body) {
    if (!body.IsObject()) refuse("", "must be a JSON object");
    SearchRequest search;
    const rapidjson::Value* prefix = json::get_member(body, "namespace_prefix");
    if (prefix != nullptr && !prefix->IsNull()) search.prefix = read_namespace(prefix, "/namespace_prefix", true);
    const rapidjson::Value* filter = json::get_member(body, "filter");
    if (filter != nullptr && !filter->IsNull()) {
        if (!filter->IsObject()) refuse("/filter", "must be an object of value fields to match");
        for (const auto& member : filter->GetObject()) {
            std::string field(member.name.GetString(), member.name.GetStringLength());
            std::string at = "/filter/" + field;
            if (!is_operator_object(member.value)) {
                FieldCondition condition{field, "$eq", {}};
                condition.operand.CopyFrom(member.value, condition.operand.GetAllocator());
                search.filter.push_back(std::move(condition));
                continue;
            }
            for (const auto& op : member.value.GetObject()) {
                std::string name(op.name.GetString(), op.name.GetStringLength());
                if (name != "$eq" && name != "$ne" && name != "$gt" && name != "$gte" && name != "$lt" && name != "$lte")
                    refuse(at, "unknown operator '" + name + "' (use $eq, $ne, $gt, $gte, $lt or $lte)");
                FieldCondition condition{field, name, {}};
                condition.operand.CopyFrom(op.value, condition.operand.GetAllocator());
                search.filter.push_back(std::move(condition));
            }
        }
    }
    const rapidjson::Value* query = json::get_member(body, "query");
    if (query != nullptr && !query->IsNull()) {
        if (!query->IsString()) refuse("/query", "must be a string");
        std::string text(query->GetString(), query->GetStringLength());
        if (text.size() > 4096) refuse("/query", "may hold at most 4096 bytes");
        search.words = query_words(text);
        search.has_query = !text.empty();
    }
    search.refresh_ttl = read_refresh_ttl(body);
    search.limit = read_count(body, "limit", 10, 1, kMaxSearchLimit);
    search.offset = read_count(body, "offset", 0, 0, kMaxOffset);
    return search;
}

NamespacesRequest read_namespaces(const rapidjson::Value& body) {
    if (!body.IsObject()) refuse("", "must be a JSON object");
    NamespacesRequest request;
    const rapidjson::Value* prefix = json::get_member(body, "prefix");
    if (prefix != nullptr && !prefix->IsNull()) request.prefix = read_namespace(prefix, "/prefix", true);
    const rapidjson::Value* suffix = json::get_member(body, "suffix");
    if (suffix != nullptr && !suffix->IsNull()) request.suffix = read_labels(suffix, "/suffix", true);
    request.max_depth = read_count(body, "max_depth", 0, 1, kMaxLabels);
    request.limit = read_count(body, "limit", 100, 1, kMaxSearchLimit);
    request.offset = read_count(body, "offset", 0, 0, kMaxOffset);
    return request;
}

bool read_refresh_ttl(const rapidjson::Value& body) {
    const rapidjson::Value* value = json::get_member(body, "refresh_ttl");
    if (value == nullptr || value->IsNull()) return false;
    if (!value->IsBool()) refuse("/refresh_ttl", "must be true or false");
    return value->GetBool();
}

std::vector<std::string> query_words(const std::string& query) {
    std::vector<std::string> words;
    std::string word;
    auto flush = [&] {
        if (!word.empty() && words.size() < kMaxQueryWords) words.push_back(word.substr(0, 64));
        word.clear();
    };
    for (char c : query) {
        unsigned char byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || byte >= 0x80) word += static_cast<char>(byte >= 0x80 ? c : std::tolower(byte));
        else flush();
    }
    flush();
    return words;
}

std::string searchable_text(const rapidjson::Value& value) {
    std::string text;
    collect_strings(value, text);
    return text;
}

bool matches_filter(const rapidjson::Value& value, const std::vector<FieldCondition>& filter) {
    if (!value.IsObject()) return filter.empty();
    for (const FieldCondition& condition : filter) {
        auto found = value.FindMember(rapidjson::StringRef(condition.field.data(), condition.field.size()));
        const bool present = found != value.MemberEnd();
        if (condition.op == "$eq") {
            if (!present || !equal(found->value, condition.operand)) return false;
        } else if (condition.op == "$ne") {
            if (present && equal(found->value, condition.operand)) return false;
        } else {
            if (!present) return false;
            auto order = compare(found->value, condition.operand);
            if (!order) return false;
            if (condition.op == "$gt" && !(*order > 0)) return false;
            if (condition.op == "$gte" && !(*order >= 0)) return false;
            if (condition.op == "$lt" && !(*order < 0)) return false;
            if (condition.op == "$lte" && !(*order <= 0)) return false;
        }
    }
    return true;
}

}  // namespace agenthost::memory_store
