// An OpenAPI 3.x document: its structure checked (every problem named by
// location), its component schemas declared as models, and each operation
// read with path-level parameters merged in.
#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include <apispec/api_reader.hpp>
#include <apispec/errors.hpp>
#include <apispec/identifiers.hpp>
#include <apispec/json_pointer.hpp>
#include <apispec/ref_resolver.hpp>
#include <apispec/schema_model.hpp>

namespace apispec {
namespace {

const char* const http_methods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

std::string text(const rapidjson::Value& value) { return std::string(value.GetString(), value.GetStringLength()); }

const rapidjson::Value& require_object(const rapidjson::Value& parent, const char* name, const std::string& location,
                                       const std::string& what) {
    auto found = parent.FindMember(name);
    if (found == parent.MemberEnd()) throw SpecError(child(location, name), "missing: " + what);
    if (!found->value.IsObject()) throw SpecError(child(location, name), "must be an object (" + what + ")");
    return found->value;
}

std::string require_string(const rapidjson::Value& parent, const char* name, const std::string& location,
                           const std::string& hint = "") {
    auto found = parent.FindMember(name);
    if (found == parent.MemberEnd()) throw SpecError(child(location, name), "missing: a string is required" + hint);
    if (!found->value.IsString()) throw SpecError(child(location, name), "must be a string" + hint);
    return text(found->value);
}

std::string optional_string(const rapidjson::Value& parent, const char* name, const std::string& location) {
    auto found = parent.FindMember(name);
    if (found == parent.MemberEnd()) return "";
    if (!found->value.IsString()) throw SpecError(child(location, name), "must be a string");
    return text(found->value);
}

// JSON media types: application/json, application/problem+json, */*.
bool is_json_media(const std::string& media) {
    const std::string base = media.substr(0, media.find(';'));
    return base == "application/json" || base == "*/*" ||
           (base.size() > 5 && base.compare(base.size() - 5, 5, "+json") == 0);
}

// How a request body of media type `media` travels.
Payload payload_of(const std::string& media) {
    std::string base = media.substr(0, media.find(';'));
    std::transform(base.begin(), base.end(), base.begin(), ::tolower);
    if (is_json_media(base)) return Payload::json;
    if (base == "application/x-www-form-urlencoded") return Payload::form;
    if (base.rfind("multipart/", 0) == 0) return Payload::multipart;
    if (base.rfind("text/", 0) == 0) return Payload::text;
    return Payload::binary;  // application/octet-stream, image/png, application/pdf, ...
}

// The variables of a path template, in order: /pets/{petId}/toys/{toyId}.
std::vector<std::string> template_variables(const std::string& path) {
    std::vector<std::string> names;
    static const std::regex variable("\\{([^{}]+)\\}");
    for (auto it = std::sregex_iterator(path.begin(), path.end(), variable); it != std::sregex_iterator(); ++it)
        names.push_back((*it)[1].str());
    return names;
}

// getPetsByPetId for GET /pets/{petId}, when the operation has no id.
std::string derived_operation_id(const std::string& method, const std::string& path) {
    std::string id = method;
    std::vector<std::string> variables;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = path.find('/', start);
        const std::string segment = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!segment.empty() && segment.front() == '{')
            variables.push_back(segment);
        else if (!segment.empty())
            id += "_" + segment;
        if (end == std::string::npos) break;
        start = end + 1;
    }
    for (std::size_t i = 0; i < variables.size(); ++i) id += (i == 0 ? "_by_" : "_and_") + variables[i];
    return camel_case(id);
}

class OpenApiReader {
  public:
    OpenApiReader(const rapidjson::Value& root, Api& api)
        : root_(root), resolver_(root), api_(api), schemas_(resolver_, api) {}

    void read() {
        read_header();
        resolver_.check_all();
        declare_components();
        schemas_.define_declared();
        read_paths();
    }

  private:
    void read_header() {
        const auto& openapi = root_["openapi"];
        if (!openapi.IsString()) throw SpecError("/openapi", "must be a string such as \"3.0.3\"");
        api_.spec_version = text(openapi);
        if (!std::regex_match(api_.spec_version, std::regex("^3\\.[0-9]+(\\.[0-9]+)?(-.*)?$")))
            throw SpecError("/openapi", "version '" + api_.spec_version +
                                            "' is not OpenAPI 3.x; only OpenAPI 3.0 and 3.1 documents are supported");
        const rapidjson::Value& info = require_object(root_, "info", "", "info with title and version");
        api_.title = require_string(info, "title", "/info");
        api_.version = require_string(info, "version", "/info", " (quote numbers in YAML: version: \"1.0\")");
        api_.description = optional_string(info, "description", "/info");
        if (auto servers = root_.FindMember("servers"); servers != root_.MemberEnd()) {
            if (!servers->value.IsArray()) throw SpecError("/servers", "must be an array of server objects");
            if (!servers->value.Empty() && servers->value[0].IsObject())
                api_.server_url = optional_string(servers->value[0], "url", "/servers/0");
            // Server variables ({region}) and relative URLs ("/v1") need a
            // human to complete them: the client then requires a base URL.
            if (!api_.server_url.empty() &&
                (api_.server_url.find('{') != std::string::npos || api_.server_url.find("://") == std::string::npos)) {
                api_.warnings.push_back("servers[0].url '" + api_.server_url +
                                        "' is relative or has variables; the generated clients require a base URL");
                api_.server_url.clear();
            }
        }
    }

    void declare_components() {
        auto components = root_.FindMember("components");
        if (components == root_.MemberEnd()) return;
        if (!components->value.IsObject()) throw SpecError("/components", "must be an object");
        auto schemas = components->value.FindMember("schemas");
        if (schemas == components->value.MemberEnd()) return;
        if (!schemas->value.IsObject())
            throw SpecError("/components/schemas", "must be an object mapping names to schemas");
        for (const auto& entry : schemas->value.GetObject()) {
            const std::string name = text(entry.name);
            const std::string location = child("/components/schemas", name);
            if (!entry.value.IsObject() && !entry.value.IsBool())
                throw SpecError(location, "a schema must be an object");
            schemas_.declare(location, name);
        }
    }

    void read_paths() {
        auto paths = root_.FindMember("paths");
        if (paths == root_.MemberEnd()) {
            // 3.1 made paths optional (a document of webhooks or components).
            if (api_.spec_version.rfind("3.0", 0) == 0)
                throw SpecError("/paths", "missing: an OpenAPI 3.0 document needs paths (it may be {})");
            return;
        }
        if (!paths->value.IsObject()) throw SpecError("/paths", "must be an object mapping paths to path items");
        std::map<std::string, std::string> ids;  // operationId -> location
        for (const auto& entry : paths->value.GetObject()) {
            const std::string path = text(entry.name);
            const std::string location = child("/paths", path);
            if (path.empty() || path[0] != '/') throw SpecError(location, "a path must start with '/'");
            if (std::count(path.begin(), path.end(), '{') != std::count(path.begin(), path.end(), '}'))
                throw SpecError(location, "unbalanced braces in the path template " + path);
            auto [item, item_location] = resolver_.follow(entry.value, location);
            if (!item->IsObject()) throw SpecError(item_location, "a path item must be an object");
            const std::vector<std::pair<const rapidjson::Value*, std::string>> shared =
                parameter_list(*item, item_location);
            for (const auto& member : item->GetObject()) {
                const std::string method = text(member.name);
                if (std::find(std::begin(http_methods), std::end(http_methods), method) == std::end(http_methods))
                    continue;
                const std::string op_location = child(item_location, method);
                if (!member.value.IsObject()) throw SpecError(op_location, "an operation must be an object");
                Operation operation = read_operation(member.value, op_location, method, path, shared);
                auto [previous, inserted] = ids.emplace(operation.operation_id, op_location);
                if (!inserted)
                    throw SpecError(op_location + "/operationId", "duplicate operationId '" + operation.operation_id +
                                                                      "' (also at " + previous->second + ")");
                api_.operations.push_back(std::move(operation));
            }
        }
    }

    // The parameters listed at `location`/parameters, each resolved.
    std::vector<std::pair<const rapidjson::Value*, std::string>> parameter_list(const rapidjson::Value& owner,
                                                                                const std::string& location) {
        std::vector<std::pair<const rapidjson::Value*, std::string>> list;
        auto found = owner.FindMember("parameters");
        if (found == owner.MemberEnd()) return list;
        if (!found->value.IsArray()) throw SpecError(location + "/parameters", "must be an array of parameters");
        for (rapidjson::SizeType i = 0; i < found->value.Size(); ++i) {
            const std::string where = child(location + "/parameters", i);
            auto resolved = resolver_.follow(found->value[i], where);
            if (!resolved.first->IsObject()) throw SpecError(resolved.second, "a parameter must be an object");
            list.push_back(resolved);
        }
        return list;
    }

    Operation read_operation(const rapidjson::Value& node, const std::string& location, const std::string& method,
                             const std::string& path,
                             const std::vector<std::pair<const rapidjson::Value*, std::string>>& shared) {
        Operation operation;
        operation.location = location;
        operation.method = method;
        std::transform(operation.method.begin(), operation.method.end(), operation.method.begin(), ::toupper);
        operation.path = path;
        operation.operation_id = optional_string(node, "operationId", location);
        if (operation.operation_id.empty()) operation.operation_id = derived_operation_id(method, path);
        operation.summary = optional_string(node, "summary", location);
        if (operation.summary.empty()) operation.summary = optional_string(node, "description", location);
        if (auto deprecated = node.FindMember("deprecated"); deprecated != node.MemberEnd())
            operation.deprecated = deprecated->value.IsTrue();
        const std::string type_prefix = pascal_case(operation.operation_id);

        // Operation-level parameters override path-level ones with the same name and location.
        std::vector<std::pair<const rapidjson::Value*, std::string>> all = shared;
        for (const auto& own : parameter_list(node, location)) {
            auto same = std::find_if(all.begin(), all.end(), [&](const auto& existing) {
                return parameter_key(*existing.first, existing.second) == parameter_key(*own.first, own.second);
            });
            if (same != all.end())
                *same = own;
            else
                all.push_back(own);
        }
        std::set<std::string> path_names;
        for (const auto& [value, where] : all) {
            std::optional<Parameter> parameter = read_parameter(*value, where, type_prefix, operation.operation_id);
            if (!parameter) continue;
            if (parameter->in == Parameter::In::path) path_names.insert(parameter->name);
            operation.parameters.push_back(std::move(*parameter));
        }
        const std::vector<std::string> variables = template_variables(path);
        for (const auto& variable : variables)
            if (path_names.count(variable) == 0)
                throw SpecError(location + "/parameters", "path " + path + " has the variable {" + variable +
                                                              "} but no path parameter named '" + variable + "'");
        for (const auto& name : path_names)
            if (std::find(variables.begin(), variables.end(), name) == variables.end())
                throw SpecError(location + "/parameters",
                                "path parameter '" + name + "' does not appear in the path " + path);

        read_request_body(node, location, type_prefix, operation);
        read_response(node, location, type_prefix, operation);
        return operation;
    }

    static std::string parameter_key(const rapidjson::Value& parameter, const std::string& location) {
        return optional_string(parameter, "in", location) + ":" + optional_string(parameter, "name", location);
    }

    std::optional<Parameter> read_parameter(const rapidjson::Value& node, const std::string& location,
                                            const std::string& type_prefix, const std::string& operation_id) {
        Parameter parameter;
        parameter.name = require_string(node, "name", location);
        const std::string in = require_string(node, "in", location);
        if (in == "path") {
            parameter.in = Parameter::In::path;
        } else if (in == "query") {
            parameter.in = Parameter::In::query;
        } else if (in == "header") {
            parameter.in = Parameter::In::header;
        } else if (in == "cookie") {
            api_.warnings.push_back("operation " + operation_id + ": cookie parameter '" + parameter.name +
                                    "' is not generated; set the Cookie header through the client's headers");
            return std::nullopt;
        } else {
            throw SpecError(location + "/in", "must be path, query, header or cookie, not '" + in + "'");
        }
        if (auto required = node.FindMember("required"); required != node.MemberEnd()) {
            if (!required->value.IsBool()) throw SpecError(location + "/required", "must be a boolean");
            parameter.required = required->value.GetBool();
        }
        if (parameter.in == Parameter::In::path && !parameter.required) {
            api_.warnings.push_back(location + ": path parameter '" + parameter.name +
                                    "' must be required (OpenAPI 3); treated as required");
            parameter.required = true;
        }
        parameter.description = optional_string(node, "description", location);
        if (auto explode = node.FindMember("explode"); explode != node.MemberEnd()) {
            if (!explode->value.IsBool()) throw SpecError(location + "/explode", "must be a boolean");
            parameter.explode = explode->value.GetBool();
        }
        const std::string hint = type_prefix + pascal_case(parameter.name);
        if (auto schema = node.FindMember("schema"); schema != node.MemberEnd()) {
            parameter.type = schemas_.type_of(schema->value, location + "/schema", hint);
        } else if (auto content = node.FindMember("content");
                   content != node.MemberEnd() && content->value.IsObject() && content->value.MemberCount() > 0) {
            const auto& media = *content->value.MemberBegin();
            const std::string where = child(location + "/content", text(media.name)) + "/schema";
            auto schema_member = media.value.IsObject() ? media.value.FindMember("schema") : media.value.MemberEnd();
            parameter.type = media.value.IsObject() && schema_member != media.value.MemberEnd()
                                 ? schemas_.type_of(schema_member->value, where, hint)
                                 : std::make_shared<Type>();
        } else {
            throw SpecError(location, "a parameter needs a schema (or content)");
        }
        return parameter;
    }

    // Chooses the media type to generate for: JSON first, then a form,
    // multipart, plain text, and last raw bytes. Returns the media type name
    // and its object, or nothing.
    std::optional<std::pair<std::string, const rapidjson::Value*>> pick_media(const rapidjson::Value& content,
                                                                              const std::string& location) {
        if (!content.IsObject()) throw SpecError(location, "content must be an object mapping media types");
        static const Payload preference[] = {Payload::json, Payload::form, Payload::multipart, Payload::text,
                                             Payload::binary};
        std::optional<std::pair<std::string, const rapidjson::Value*>> best;
        auto rank = [](Payload payload) {
            return std::find(std::begin(preference), std::end(preference), payload) - std::begin(preference);
        };
        for (const auto& media : content.GetObject()) {
            const std::string name = text(media.name);
            if (!media.value.IsObject()) throw SpecError(child(location, name), "a media type must be an object");
            if (!best || rank(payload_of(name)) < rank(payload_of(best->first))) best = std::make_pair(name, &media.value);
        }
        return best;
    }

    // Whether a body type has named fields: an object model (or a map).
    bool is_fielded(const Type& type) const {
        if (type.kind == Type::Kind::map || type.kind == Type::Kind::any) return true;
        if (type.kind != Type::Kind::model) return false;
        const Model* model = api_.find_model(type.model);
        if (model == nullptr) return false;
        if (model->kind == Model::Kind::alias) return is_fielded(*model->target);
        return model->kind == Model::Kind::object;
    }

    void read_request_body(const rapidjson::Value& node, const std::string& location, const std::string& type_prefix,
                           Operation& operation) {
        auto found = node.FindMember("requestBody");
        if (found == node.MemberEnd()) return;
        auto [body, where] = resolver_.follow(found->value, location + "/requestBody");
        if (!body->IsObject()) throw SpecError(where, "requestBody must be an object");
        if (auto required = body->FindMember("required"); required != body->MemberEnd())
            operation.body_required = required->value.IsTrue();
        auto content = body->FindMember("content");
        if (content == body->MemberEnd()) throw SpecError(where + "/content", "missing: a request body needs content");
        auto media = pick_media(content->value, where + "/content");
        if (!media) return;
        const std::string media_location = child(where + "/content", media->first);
        auto schema = media->second->FindMember("schema");
        operation.body = schema != media->second->MemberEnd()
                             ? schemas_.type_of(schema->value, media_location + "/schema", type_prefix + "Request")
                             : std::make_shared<Type>();
        operation.body_media_type = media->first;
        operation.body_payload = payload_of(media->first);
        switch (operation.body_payload) {
            case Payload::json:
                if (media->first == "*/*") operation.body_media_type = "application/json";
                break;
            case Payload::text:
                operation.body = std::make_shared<Type>(Type{Type::Kind::string, false, "", nullptr, {}, {}});
                break;
            case Payload::binary:
                operation.body = std::make_shared<Type>(Type{Type::Kind::binary, false, "", nullptr, {}, {}});
                break;
            case Payload::form:
            case Payload::multipart:
                // Fields come from an object schema; anything else has no
                // field names to send it under.
                if (!is_fielded(*operation.body)) {
                    api_.warnings.push_back("operation " + operation.operation_id + ": the " + media->first +
                                            " body's schema is not an object; the generated method sends JSON");
                    operation.body_payload = Payload::json;
                    operation.body_media_type = "application/json";
                }
                break;
            case Payload::none:
                break;
        }
    }

    void read_response(const rapidjson::Value& node, const std::string& location, const std::string& type_prefix,
                       Operation& operation) {
        auto found = node.FindMember("responses");
        if (found == node.MemberEnd())
            throw SpecError(location + "/responses", "missing: an operation needs responses");
        if (!found->value.IsObject()) throw SpecError(location + "/responses", "must be an object");
        // The lowest explicit 2xx code wins, then the 2XX range.
        std::string chosen;
        for (const auto& response : found->value.GetObject()) {
            const std::string code = text(response.name);
            const bool explicit_2xx =
                code.size() == 3 && code[0] == '2' && std::isdigit(code[1]) && std::isdigit(code[2]);
            if (explicit_2xx && (chosen.empty() || chosen == "2XX" || chosen == "2xx" || code < chosen)) chosen = code;
            if ((code == "2XX" || code == "2xx") && chosen.empty()) chosen = code;
        }
        if (chosen.empty()) {
            api_.warnings.push_back("operation " + operation.operation_id +
                                    ": no 2xx response is described; the method returns nothing");
            return;
        }
        const std::string where = child(location + "/responses", chosen);
        auto [response, response_location] = resolver_.follow(found->value[chosen.c_str()], where);
        if (!response->IsObject()) throw SpecError(response_location, "a response must be an object");
        auto content = response->FindMember("content");
        if (content == response->MemberEnd() || content->value.ObjectEmpty()) return;
        auto media = pick_media(content->value, response_location + "/content");
        if (!media) return;
        const std::string media_location = child(response_location + "/content", media->first);
        if (is_json_media(media->first)) {
            auto schema = media->second->FindMember("schema");
            operation.response_payload = Payload::json;
            operation.response =
                schema != media->second->MemberEnd()
                    ? schemas_.type_of(schema->value, media_location + "/schema", type_prefix + "Response")
                    : std::make_shared<Type>();
        } else {
            // Text and binary bodies come back as text; a typed binary
            // download is a known limitation, stated in the warnings.
            operation.response_payload = Payload::text;
            operation.response = std::make_shared<Type>(Type{Type::Kind::string, false, "", nullptr, {}, {}});
            if (media->first.rfind("text/", 0) != 0)
                api_.warnings.push_back("operation " + operation.operation_id + ": response media type " +
                                        media->first + " is returned as text");
        }
    }

    const rapidjson::Value& root_;
    RefResolver resolver_;
    Api& api_;
    SchemaConverter schemas_;
};

}  // namespace

Api read_openapi(const rapidjson::Value& root) {
    Api api;
    api.source = Api::Source::openapi;
    OpenApiReader reader(root, api);
    reader.read();
    return api;
}

}  // namespace apispec
