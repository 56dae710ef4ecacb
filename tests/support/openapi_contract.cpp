#include "openapi_contract.hpp"

#include "http_client.hpp"

#include <catch2/catch.hpp>
#include <curl/curl.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

namespace agenthost::testing {
namespace {

using rapidjson::Value;

const std::thread::id kMainThread = std::this_thread::get_id();

std::string percent_decoded(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// Decoded, non-empty segments, as the host's router splits a path.
std::vector<std::string> segments_of(const std::string& path) {
    std::vector<std::string> segments;
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        if (end > start) segments.push_back(percent_decoded(path.substr(start, end - start)));
        start = end + 1;
    }
    return segments;
}

bool template_matches(const std::string& path_template, const std::vector<std::string>& path) {
    std::vector<std::string> pattern = segments_of(path_template);
    if (pattern.size() != path.size()) return false;
    for (size_t i = 0; i < path.size(); ++i)
        if (!(pattern[i].front() == '{' && pattern[i].back() == '}') && pattern[i] != path[i]) return false;
    return true;
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// A document and the validators built from it, per schema reference.
class Contract {
  public:
    explicit Contract(const std::string& text) { document_.Parse(text.c_str()); }
    bool valid() const { return !document_.HasParseError() && document_.IsObject() && document_.HasMember("paths"); }

    std::vector<std::string> check(const std::string& method, const std::string& path, long status,
                                   const std::string& content_type, const std::string& body) {
        std::vector<std::string> problems;
        std::string where = method + " " + path + " -> " + std::to_string(status) + ": ";
        const Value* operation = find_operation(lower(method), path);
        const Value* response = nullptr;
        if (operation == nullptr) {
            // The router's own 404/405 for paths and methods it does not
            // serve; with auth on, the access checks answer first.
            if (status != 401 && status != 403 && status != 404 && status != 405 && status != 429) {
                problems.push_back(where + "no operation in the document for this method and path");
                return problems;
            }
            response = resolve(document_["components"]["responses"]["NotFound"]);
        } else {
            const Value& responses = (*operation)["responses"];
            std::string code = std::to_string(status);
            if (!responses.HasMember(code.c_str())) {
                problems.push_back(where + "status not listed for the operation");
                return problems;
            }
            response = resolve(responses[code.c_str()]);
        }
        if (body.empty()) return problems;
        std::string media = lower(content_type.substr(0, content_type.find(';')));
        while (!media.empty() && media.back() == ' ') media.pop_back();
        if (!response->HasMember("content") || !(*response)["content"].HasMember(media.c_str())) {
            problems.push_back(where + "media type '" + media + "' not listed for this status");
            return problems;
        }
        if (media != "application/json") return problems;
        const Value& schema = (*response)["content"][media.c_str()]["schema"];
        rapidjson::Document instance;
        instance.Parse(body.c_str());
        if (instance.HasParseError()) {
            problems.push_back(where + "body is not JSON: " + body.substr(0, 200));
            return problems;
        }
        rapidjson::SchemaValidator validator(validator_for(schema));
        if (!instance.Accept(validator)) {
            rapidjson::StringBuffer pointer;
            validator.GetInvalidDocumentPointer().StringifyUriFragment(pointer);
            problems.push_back(where + "body breaks the schema's '" + validator.GetInvalidSchemaKeyword() + "' at " +
                               pointer.GetString() + ": " + body.substr(0, 300));
        }
        return problems;
    }

  private:
    // Literal paths first, then the first template that matches (as the
    // host's router does).
    const Value* find_operation(const std::string& method, const std::string& path) {
        const Value& paths = document_["paths"];
        std::vector<std::string> segments = segments_of(path);
        std::string normal = "/";
        for (size_t i = 0; i < segments.size(); ++i) normal += (i ? "/" : "") + segments[i];
        if (paths.HasMember(normal.c_str()) && paths[normal.c_str()].HasMember(method.c_str()))
            return &paths[normal.c_str()][method.c_str()];
        for (auto& entry : paths.GetObject())
            if (entry.value.HasMember(method.c_str()) && template_matches(entry.name.GetString(), segments))
                return &entry.value[method.c_str()];
        return nullptr;
    }

    const Value* resolve(const Value& value) {
        if (!value.HasMember("$ref")) return &value;
        std::string ref = value["$ref"].GetString();
        return rapidjson::Pointer(ref.substr(1).c_str()).Get(document_);
    }

    // A schema is compiled with a copy of the components it refers to,
    // transitively, at their own pointers, so its references resolve. Not
    // the whole document: hosts with other agents serve other documents,
    // and compiling a whole one is quadratic (RapidJSON looks schemas up
    // linearly); in the sanitizer build that was most of the suites'
    // test-side CPU. Compiled once per distinct closure, for every host.
    const rapidjson::SchemaDocument& validator_for(const Value& schema) {
        auto known = validators_.find(&schema);
        if (known != validators_.end()) return *known->second;
        rapidjson::Document root;
        root.CopyFrom(schema, root.GetAllocator());
        std::set<std::string> copied;
        copy_references(schema, root, copied);
        rapidjson::StringBuffer key_text;
        rapidjson::Writer<rapidjson::StringBuffer> writer(key_text);
        root.Accept(writer);
        std::unique_ptr<Compiled>& compiled = compiled_schemas()[key_text.GetString()];
        if (!compiled) {
            compiled = std::make_unique<Compiled>();
            compiled->root.Swap(root);
            compiled->schema = std::make_unique<rapidjson::SchemaDocument>(compiled->root);
        }
        return *(validators_[&schema] = compiled->schema.get());
    }

    void copy_references(const Value& value, rapidjson::Document& root, std::set<std::string>& copied) const {
        if (value.IsArray()) {
            for (const auto& item : value.GetArray()) copy_references(item, root, copied);
            return;
        }
        if (!value.IsObject()) return;
        for (const auto& member : value.GetObject()) {
            if (std::string(member.name.GetString()) != "$ref" || !member.value.IsString()) {
                copy_references(member.value, root, copied);
                continue;
            }
            std::string ref = member.value.GetString();
            if (ref.rfind("#/", 0) != 0 || !copied.insert(ref).second) continue;
            rapidjson::Pointer pointer(ref.substr(1).c_str());
            const Value* target = pointer.Get(document_);
            if (target == nullptr) continue;  // unresolved: the validator says so
            Value copy(*target, root.GetAllocator());
            pointer.Set(root, copy);
            copy_references(*target, root, copied);
        }
    }

    struct Compiled {
        rapidjson::Document root;
        std::unique_ptr<rapidjson::SchemaDocument> schema;
    };
    // Never destroyed, like contracts() below.
    static std::map<std::string, std::unique_ptr<Compiled>>& compiled_schemas() {
        static auto* all = new std::map<std::string, std::unique_ptr<Compiled>>();
        return *all;
    }
    rapidjson::Document document_;
    std::map<const Value*, const rapidjson::SchemaDocument*> validators_;
};

std::mutex contracts_mutex;
// By base URL of the running agenthosts; null until its document is read
// (a host that served none is asked again next time).
// Never destroyed: hosts that are function-local statics in the tests stop
// at exit, in an order relative to this map that no file controls.
std::map<std::string, std::shared_ptr<Contract>>& contracts() {
    static auto* all = new std::map<std::string, std::shared_ptr<Contract>>();
    return *all;
}
// By the document's text: the suites start some 175 hosts, most serving one
// of a few dozen documents, each parsed once.
std::map<std::string, std::shared_ptr<Contract>>& contracts_by_document() {
    static auto* all = new std::map<std::string, std::shared_ptr<Contract>>();
    return *all;
}

size_t collect(char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

std::shared_ptr<Contract> contract_of(const std::string& base_url) {
    {
        std::lock_guard<std::mutex> lock(contracts_mutex);
        auto found = contracts().find(base_url);
        if (found == contracts().end()) return nullptr;  // not an agenthost
        if (found->second) return found->second;
    }
    // Its own connection: the test's client keeps its connection statistics.
    std::string text;
    long status = 0;
    CURL* curl = curl_easy_init();
    std::string url = base_url + "/openapi.json";
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &text);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    if (code != CURLE_OK || status != 200) return nullptr;  // not an agenthost, or it is gone
    std::lock_guard<std::mutex> lock(contracts_mutex);
    std::shared_ptr<Contract>& contract = contracts_by_document()[text];
    if (!contract) contract = std::make_shared<Contract>(text);
    if (!contract->valid()) return nullptr;
    auto found = contracts().find(base_url);
    if (found == contracts().end()) return nullptr;  // the host stopped meanwhile
    if (!found->second) found->second = contract;
    return found->second;
}

std::mutex late_mutex;
std::vector<std::string>& late_failures() {
    static std::vector<std::string> all;
    return all;
}

}  // namespace

std::vector<std::string> openapi_violations(const std::string& document, const std::string& method,
                                            const std::string& path, long status, const std::string& content_type,
                                            const std::string& body) {
    Contract contract(document);
    if (!contract.valid()) return {"the document is not an OpenAPI document"};
    return contract.check(method, path, status, content_type, body);
}

void expect_openapi_at(const std::string& base_url) {
    std::lock_guard<std::mutex> lock(contracts_mutex);
    contracts()[base_url] = nullptr;
}

void forget_openapi_at(const std::string& base_url) {
    std::lock_guard<std::mutex> lock(contracts_mutex);
    contracts().erase(base_url);
}

void check_against_openapi(const std::string& base_url, const std::string& method, const std::string& path,
                           const HttpResult& result) {
    // No answer; CORS preflights, answered before routing.
    if (result.status == 0 || method == "OPTIONS" || method == "HEAD") return;
    std::shared_ptr<Contract> contract = contract_of(base_url);
    if (!contract) return;
    std::string bare = path.substr(0, path.find('?'));
    std::vector<std::string> problems;
    {
        // Validators are built lazily and cached: one checker at a time.
        std::lock_guard<std::mutex> lock(contracts_mutex);
        problems = contract->check(method, bare, result.status, result.header("content-type"), result.body);
    }
    for (const auto& problem : problems) {
        std::string message = "response does not match GET /openapi.json: " + problem;
        if (std::this_thread::get_id() == kMainThread) {
            FAIL_CHECK(message);
        } else {
            std::fprintf(stderr, "%s\n", message.c_str());
            std::lock_guard<std::mutex> lock(late_mutex);
            late_failures().push_back(message);
        }
    }
}

}  // namespace agenthost::testing

// Read by catch_main.cpp after the run: mismatches seen on other threads.
extern "C" int agenthost_test_late_failures() {
    using namespace agenthost::testing;
    std::lock_guard<std::mutex> lock(late_mutex);
    for (const auto& failure : late_failures()) std::fprintf(stderr, "late failure: %s\n", failure.c_str());
    return static_cast<int>(late_failures().size());
}
