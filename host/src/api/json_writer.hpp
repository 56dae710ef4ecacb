// Response bodies are written straight to text with RapidJSON's Writer:
// no DOM for answers the host builds itself.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>
#include <vector>

namespace agenthost::api {

class JsonWriter {
  public:
    JsonWriter() : writer_(buffer_) {}
    rapidjson::Writer<rapidjson::StringBuffer>& operator*() { return writer_; }
    rapidjson::Writer<rapidjson::StringBuffer>* operator->() { return &writer_; }

    void key(std::string_view name) { writer_.Key(name.data(), static_cast<rapidjson::SizeType>(name.size())); }
    void string(std::string_view value) {
        writer_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    }
    void field(std::string_view name, std::string_view value) {
        key(name);
        string(value);
    }
    void field(std::string_view name, const char* value) { field(name, std::string_view(value)); }
    void field(std::string_view name, const std::string& value) { field(name, std::string_view(value)); }
    void field(std::string_view name, bool value) {
        key(name);
        writer_.Bool(value);
    }
    void field(std::string_view name, double value) {
        key(name);
        writer_.Double(value);
    }
    void field(std::string_view name, size_t value) {
        key(name);
        writer_.Uint64(value);
    }
    // Embeds already-serialised JSON as the member's value.
    void raw_field(std::string_view name, std::string_view json) {
        key(name);
        writer_.RawValue(json.data(), json.size(), rapidjson::kObjectType);
    }
    // Embeds already-serialised JSON as the next value (array element or
    // after key()).
    void raw(std::string_view json) { writer_.RawValue(json.data(), json.size(), rapidjson::kObjectType); }
    void string_array(std::string_view name, const std::vector<std::string>& values) {
        key(name);
        writer_.StartArray();
        for (const auto& value : values) string(value);
        writer_.EndArray();
    }

    std::string str() const { return std::string(buffer_.GetString(), buffer_.GetSize()); }

  private:
    rapidjson::StringBuffer buffer_;
    rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace agenthost::api
