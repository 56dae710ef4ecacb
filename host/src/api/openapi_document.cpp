#include "api/openapi_document.hpp"

#include "api/openapi_examples.hpp"
#include "api/openapi_operations.hpp"
#include "auth/route_access.hpp"
#include "auth/scopes.hpp"
#include "http/router.hpp"
#include "json/embedded_schemas.hpp"
#include "json/json_util.hpp"
#include "json/schema_catalog.hpp"

#include <map>
#include <set>

namespace agenthost::api {
namespace {

using rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;

std::string key_of(const std::string& method, const std::string& pattern) { return method + " " + pattern; }

// "responses/run-page" -> "RunPage", "requests/agent-invoke" -> "AgentInvokeRequest".
std::string component_name(const std::string& schema) {
    size_t slash = schema.rfind('/');
    std::string base = slash == std::string::npos ? schema : schema.substr(slash + 1);
    std::string name;
    bool upper = true;
    for (char c : base) {
        if (c == '-' || c == '_') {
            upper = true;
            continue;
        }
        name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    if (schema.rfind("requests/", 0) == 0) name += "Request";
    return name;
}

std::string component_ref(const std::string& name) { return "#/components/schemas/" + name; }

Value text(const std::string& value, Allocator& allocator) { return json::string_value(value, allocator); }

Value ref_to(const std::string& name, Allocator& allocator) {
    Value ref(rapidjson::kObjectType);
    ref.AddMember("$ref", text(component_ref(name), allocator), allocator);
    return ref;
}

// Points a schema's references into components: "run.schema.json" (a file
// beside it in schemas/responses) and "#/..." (inside the schema itself,
// which now lives at `self`).
void rewrite_refs(Value& schema, const std::string& self, Allocator& allocator) {
    if (schema.IsArray()) {
        for (auto& item : schema.GetArray()) rewrite_refs(item, self, allocator);
        return;
    }
    if (!schema.IsObject()) return;
    for (auto& member : schema.GetObject()) {
        if (std::string(member.name.GetString()) == "$ref" && member.value.IsString()) {
            std::string target = member.value.GetString();
            const std::string suffix = ".schema.json";
            if (target.rfind("#/", 0) == 0) target = component_ref(self) + target.substr(1);
            else if (target.size() > suffix.size() && target.compare(target.size() - suffix.size(), suffix.size(), suffix) == 0)
                target = component_ref(component_name("responses/" + target.substr(0, target.size() - suffix.size())));
            member.value = text(target, allocator);
        } else {
            rewrite_refs(member.value, self, allocator);
        }
    }
}

Value component_schema(const Value& source, const std::string& name, Allocator& allocator) {
    Value schema(source, allocator);
    if (schema.IsObject()) schema.RemoveMember("$schema");  // the document's dialect (2020-12) applies
    rewrite_refs(schema, name, allocator);
    return schema;
}

Value media(const char* body, Allocator& allocator, std::string& type) {
    Value content(rapidjson::kObjectType);
    std::string kind = body;
    Value schema(rapidjson::kObjectType);
    if (kind == "sse") type = "text/event-stream";
    else if (kind == "text") type = "text/plain";
    else if (kind == "html") type = "text/html";
    else if (kind == "javascript") type = "text/javascript";
    else if (kind == "css") type = "text/css";
    else type = "application/json";
    if (type == "application/json") schema = ref_to(component_name(kind), allocator);
    else schema.AddMember("type", "string", allocator);
    content.AddMember("schema", schema, allocator);
    return content;
}

// The errors every route of a kind can answer, besides its own.
struct SharedError {
    int status;
    const char* name;
    const char* description;
};
const std::vector<SharedError>& shared_errors() {
    static const std::vector<SharedError> all = {
        {400, "BadRequest", "Malformed JSON or query parameter, or a path parameter that is not UTF-8 (InvalidPath)."},
        {401, "Unauthorized", "No valid credential (only when auth is on)."},
        {403, "Forbidden", "The credential lacks the route's scope."},
        {404, "NotFound", "Not found (another tenant's objects are not found either)."},
        {413, "PayloadTooLarge", "The body is larger than server.max_request_bytes."},
        {415, "UnsupportedMediaType", "The body is not application/json."},
        {422, "ValidationError", "The body or a parameter breaks its schema; details name the fields."},
        {429, "TooManyRequests", "Rate limit or tenant quota exceeded; Retry-After says when to retry."},
        {500, "InternalError", "The host or the agent failed."},
        {503, "Unavailable", "The database is unavailable; Retry-After says when to retry."},
    };
    return all;
}

std::string operation_id(const std::string& method, const std::string& pattern) {
    std::string id;
    for (char c : method) id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (char c : pattern) {
        if (std::isalnum(static_cast<unsigned char>(c))) id += c;
        else if (!id.empty() && id.back() != '_') id += '_';
    }
    while (!id.empty() && id.back() == '_') id.pop_back();
    return id;
}

class DocumentBuilder {
  public:
    explicit DocumentBuilder(const OpenApiSources& sources) : sources_(sources), a_(document_.GetAllocator()) {
        document_.SetObject();
        examples_ = curl_examples(sources.readme);
    }

    std::string build() {
        document_.AddMember("openapi", "3.1.0", a_);
        document_.AddMember("info", info(), a_);
        Value servers(rapidjson::kArrayType);
        Value server(rapidjson::kObjectType);
        server.AddMember("url", "/", a_);
        server.AddMember("description", "This host", a_);
        servers.PushBack(server, a_);
        document_.AddMember("servers", servers, a_);
        Value security(rapidjson::kArrayType);
        for (const char* scheme : {"apiKey", "bearer"}) {
            Value requirement(rapidjson::kObjectType);
            requirement.AddMember(text(scheme, a_), Value(rapidjson::kArrayType), a_);
            security.PushBack(requirement, a_);
        }
        document_.AddMember("security", security, a_);
        Value paths = this->paths();
        document_.AddMember("tags", tags(), a_);
        document_.AddMember("paths", paths, a_);
        document_.AddMember("components", components(), a_);
        return json::serialize(document_);
    }

  private:
    Value info() {
        Value info(rapidjson::kObjectType);
        info.AddMember("title", "agenthost", a_);
        info.AddMember("version", text(sources_.version, a_), a_);
        info.AddMember("summary", "A host for AI agents: runs, streams, workflows, approvals and webhooks.", a_);
        info.AddMember("description",
                       "Every route this host serves, its compatible aliases included. Errors use one envelope "
                       "(`Error`). Credentials (an API key or a JWT) are checked only when auth is configured; "
                       "`/health`, `/ready`, this document and its viewers stay open. Agents enabled on this host "
                       "are documented under the routes that invoke them, with their input schemas.",
                       a_);
        Value license(rapidjson::kObjectType);
        license.AddMember("name", "Proprietary", a_);
        license.AddMember("identifier", "LicenseRef-agenthost", a_);
        info.AddMember("license", license, a_);
        return info;
    }

    Value tags() {
        static const std::map<std::string, std::string> descriptions = {
            {"health", "Probes and metrics."},
            {"agents", "The agents and plugins this host has."},
            {"runs", "Invoking agents: every invocation is a durable run."},
            {"threads", "Threads: their runs share a memory, kept as checkpoints (state, history, forks)."},
            {"streaming", "Server-sent events of a run's event log, resumable with Last-Event-ID."},
            {"workflows", "Workflows of several agents, and human approval."},
            {"deployments", "Seed 000: deployment projects, operations with logs polled by since_index, state locks."},
            {"github", "Seed 000: repositories to analyse."},
            {"assistant", "Seed 000: questions answered from a project's analysis, artifacts and logs."},
            {"webhooks", "Result delivery to webhooks, and inbound signed webhooks."},
            {"admin", "API keys and usage."},
            {"docs", "This document, Swagger UI and ReDoc."},
            {"console", "The web console: agents, runs, approvals, workflows, webhooks, plugins and health in a browser."},
            {"seed 003", "Seed 003's thread and agent-run paths (aliases of /runs)."},
            {"seed 004", "Seed 004's processing requests (a pipeline of agents over one text)."},
            {"undocumented", "Routes this host serves that the document does not describe yet."},
        };
        Value tags(rapidjson::kArrayType);
        for (const auto& name : tag_names_) {
            Value tag(rapidjson::kObjectType);
            tag.AddMember("name", text(name, a_), a_);
            auto description = descriptions.find(name);
            if (description != descriptions.end()) tag.AddMember("description", text(description->second, a_), a_);
            tags.PushBack(tag, a_);
        }
        return tags;
    }

    Value paths() {
        std::map<std::string, const OperationDoc*> docs;
        for (const auto& doc : operation_docs()) docs[key_of(doc.method, doc.pattern)] = &doc;
        Value paths(rapidjson::kObjectType);
        for (const auto& [method, pattern] : sources_.routes) {
            std::string path = openapi_path(pattern);
            if (!paths.HasMember(path.c_str())) paths.AddMember(text(path, a_), Value(rapidjson::kObjectType), a_);
            auto found = docs.find(key_of(method, pattern));
            Value op;
            if (found != docs.end()) {
                op = operation(*found->second);
            } else {
                // Served but not described in operation_docs(): listed all
                // the same, marked, and refused by the tests.
                OperationDoc bare{method.c_str(), pattern.c_str(), "undocumented", "Undocumented route", nullptr,
                                  {{200, "", "Not documented."}}};
                op = operation(bare);
                op.AddMember("x-undocumented", true, a_);
            }
            paths[path.c_str()].AddMember(text(operation_id(method, ""), a_), op, a_);
        }
        return paths;
    }

    Value operation(const OperationDoc& doc) {
        Value op(rapidjson::kObjectType);
        tag_names_.insert(doc.tag);
        Value tags(rapidjson::kArrayType);
        tags.PushBack(text(doc.tag, a_), a_);
        op.AddMember("tags", tags, a_);
        op.AddMember("summary", text(doc.summary, a_), a_);
        op.AddMember("operationId", text(operation_id(doc.method, doc.pattern), a_), a_);
        auth::RouteAccess access = auth::route_access(doc.method, http::split_path(doc.pattern));
        if (access.open) op.AddMember("security", Value(rapidjson::kArrayType), a_);
        else op.AddMember("x-required-scope", text(auth::scope_name(access.scope), a_), a_);

        Value parameters(rapidjson::kArrayType);
        bool has_path_params = false;
        for (const auto& segment : http::split_path(doc.pattern)) {
            if (segment.empty() || segment[0] != ':') continue;
            has_path_params = true;
            parameters.PushBack(parameter("path", segment.substr(1), "string", "", true), a_);
        }
        for (const auto& p : doc.parameters) parameters.PushBack(parameter(p.in, p.name, p.type, p.description, false), a_);
        if (!parameters.Empty()) op.AddMember("parameters", parameters, a_);
        if (doc.request != nullptr) op.AddMember("requestBody", request_body(doc), a_);

        std::set<int> statuses;
        Value responses(rapidjson::kObjectType);
        for (const auto& response : doc.responses) {
            std::string status = std::to_string(response.status);
            statuses.insert(response.status);
            if (!responses.HasMember(status.c_str())) {
                Value entry(rapidjson::kObjectType);
                entry.AddMember("description", text(response.description, a_), a_);
                responses.AddMember(text(status, a_), entry, a_);
            }
            Value& entry = responses[status.c_str()];
            if (*response.body == '\0') continue;
            if (!entry.HasMember("content")) entry.AddMember("content", Value(rapidjson::kObjectType), a_);
            std::string type;
            Value content = media(response.body, a_, type);
            entry["content"].AddMember(text(type, a_), content, a_);
        }
        bool takes_input = doc.request != nullptr || !doc.parameters.empty();
        for (const auto& error : shared_errors()) {
            if (statuses.count(error.status) != 0) continue;
            bool applies = error.status == 500 ||
                           (!access.open && (error.status == 401 || error.status == 403 || error.status == 429 ||
                                             error.status == 503)) ||
                           (takes_input && (error.status == 400 || error.status == 422)) ||
                           (has_path_params && error.status == 400) ||
                           (doc.request != nullptr && (error.status == 413 || error.status == 415)) ||
                           (has_path_params && error.status == 404);
            if (!applies) continue;
            Value ref(rapidjson::kObjectType);
            ref.AddMember("$ref", text(std::string("#/components/responses/") + error.name, a_), a_);
            responses.AddMember(text(std::to_string(error.status), a_), ref, a_);
        }
        op.AddMember("responses", responses, a_);
        return op;
    }

    Value parameter(const std::string& in, const std::string& name, const std::string& type,
                    const std::string& description, bool required) {
        Value p(rapidjson::kObjectType);
        p.AddMember("name", text(name, a_), a_);
        p.AddMember("in", text(in, a_), a_);
        if (!description.empty()) p.AddMember("description", text(description, a_), a_);
        p.AddMember("required", required, a_);
        Value schema(rapidjson::kObjectType);
        schema.AddMember("type", text(type, a_), a_);
        p.AddMember("schema", schema, a_);
        return p;
    }

    Value request_body(const OperationDoc& doc) {
        std::string base = component_name(doc.request);
        Value schema = ref_to(base, a_);
        if (doc.invoke_variants && !sources_.agents.empty()) {
            // One variant per enabled agent, with its input schema as
            // `context`; the last one routes the task (no agent_name).
            Value variants(rapidjson::kArrayType);
            for (const auto& agent : sources_.agents) {
                Value named(rapidjson::kObjectType);
                named.AddMember("type", "object", a_);
                Value required(rapidjson::kArrayType);
                required.PushBack("agent_name", a_);
                named.AddMember("required", required, a_);
                Value properties(rapidjson::kObjectType);
                Value agent_name(rapidjson::kObjectType);
                Value names(rapidjson::kArrayType);
                names.PushBack(text(agent.name, a_), a_);
                agent_name.AddMember("enum", names, a_);
                properties.AddMember("agent_name", agent_name, a_);
                properties.AddMember("context", ref_to(agent_context_name(agent.name), a_), a_);
                named.AddMember("properties", properties, a_);
                Value all_of(rapidjson::kArrayType);
                all_of.PushBack(ref_to(base, a_), a_);
                all_of.PushBack(named, a_);
                Value variant(rapidjson::kObjectType);
                variant.AddMember("title", text(agent.name, a_), a_);
                if (!agent.description.empty()) variant.AddMember("description", text(agent.description, a_), a_);
                variant.AddMember("allOf", all_of, a_);
                variants.PushBack(variant, a_);
            }
            Value routed = ref_to(base, a_);
            variants.PushBack(routed, a_);
            schema = Value(rapidjson::kObjectType);
            schema.AddMember("anyOf", variants, a_);
        }
        Value media_type(rapidjson::kObjectType);
        media_type.AddMember("schema", schema, a_);
        Value examples = readme_examples(doc);
        if (examples.MemberCount() > 0) media_type.AddMember("examples", examples, a_);
        Value content(rapidjson::kObjectType);
        content.AddMember("application/json", media_type, a_);
        Value body(rapidjson::kObjectType);
        body.AddMember("required", true, a_);
        body.AddMember("content", content, a_);
        return body;
    }

    // The README's curl bodies for this route.
    Value readme_examples(const OperationDoc& doc) {
        Value examples(rapidjson::kObjectType);
        std::vector<std::string> pattern = http::split_path(doc.pattern);
        int index = 0;
        for (const auto& example : examples_) {
            if (example.method != doc.method || example.body.empty()) continue;
            std::vector<std::string> path = http::split_path(example.path);
            if (path.size() != pattern.size()) continue;
            bool matches = true;
            for (size_t i = 0; i < path.size() && matches; ++i)
                matches = (!pattern[i].empty() && pattern[i][0] == ':') || pattern[i] == path[i];
            std::string error;
            auto body = json::parse(example.body, error);
            // The README also shows requests the host refuses (to show the
            // error): only valid bodies are examples.
            if (!matches || !body || !json::host_schema(doc.request).validate(*body).empty()) continue;
            Value entry(rapidjson::kObjectType);
            std::string agent = json::get_string(*body, "agent_name");
            entry.AddMember("summary", text("From the README" + (agent.empty() ? "" : ": " + agent), a_), a_);
            entry.AddMember("value", Value(*body, a_), a_);
            examples.AddMember(text("readme_" + std::to_string(++index), a_), entry, a_);
        }
        return examples;
    }

    static std::string agent_context_name(const std::string& agent) { return "AgentContext_" + agent; }

    Value components() {
        Value schemas(rapidjson::kObjectType);
        for (const auto& [name, source] : json::embedded_schemas()) {
            if (name.rfind("requests/", 0) != 0 && name.rfind("responses/", 0) != 0) continue;
            std::string error;
            auto parsed = json::parse(source, error);
            if (!parsed) continue;  // the embedded schemas are parsed by tests
            std::string component = component_name(name);
            schemas.AddMember(text(component, a_), component_schema(*parsed, component, a_), a_);
        }
        for (const auto& agent : sources_.agents) {
            std::string component = agent_context_name(agent.name);
            Value schema(rapidjson::kObjectType);
            if (agent.input_schema != nullptr) schema = component_schema(*agent.input_schema, component, a_);
            else schema.AddMember("type", "object", a_);
            schemas.AddMember(text(component, a_), schema, a_);
        }
        Value responses(rapidjson::kObjectType);
        for (const auto& error : shared_errors()) {
            Value response(rapidjson::kObjectType);
            response.AddMember("description", text(error.description, a_), a_);
            Value content(rapidjson::kObjectType);
            std::string type;
            content.AddMember("application/json", media("error", a_, type), a_);
            response.AddMember("content", content, a_);
            responses.AddMember(text(error.name, a_), response, a_);
        }
        Value schemes(rapidjson::kObjectType);
        Value api_key(rapidjson::kObjectType);
        api_key.AddMember("type", "apiKey", a_);
        api_key.AddMember("in", "header", a_);
        api_key.AddMember("name", "X-API-Key", a_);
        api_key.AddMember("description", "An API key (agentctl keys create, or POST /admin/keys).", a_);
        schemes.AddMember("apiKey", api_key, a_);
        Value bearer(rapidjson::kObjectType);
        bearer.AddMember("type", "http", a_);
        bearer.AddMember("scheme", "bearer", a_);
        bearer.AddMember("bearerFormat", "API key or JWT", a_);
        bearer.AddMember("description",
                         "An API key, or a JWT verified with auth.jwt (HS256 secret, or RS256/ES256 keys from a "
                         "JWKS); its scopes come from auth.jwt.scopes_claim.",
                         a_);
        schemes.AddMember("bearer", bearer, a_);
        Value components(rapidjson::kObjectType);
        components.AddMember("schemas", schemas, a_);
        components.AddMember("responses", responses, a_);
        components.AddMember("securitySchemes", schemes, a_);
        return components;
    }

    const OpenApiSources& sources_;
    rapidjson::Document document_;
    Allocator& a_;
    std::vector<CurlExample> examples_;
    std::set<std::string> tag_names_;
};

}  // namespace

std::string openapi_path(const std::string& pattern) {
    std::string path;
    for (const auto& segment : http::split_path(pattern))
        path += "/" + (segment[0] == ':' ? "{" + segment.substr(1) + "}" : segment);
    return path.empty() ? "/" : path;
}

std::string openapi_document(const OpenApiSources& sources) { return DocumentBuilder(sources).build(); }

std::vector<std::string> undocumented_routes(const RouteTable& routes) {
    std::set<std::string> routed;
    for (const auto& [method, pattern] : routes) routed.insert(key_of(method, pattern));
    std::set<std::string> documented;
    for (const auto& doc : operation_docs()) documented.insert(key_of(doc.method, doc.pattern));
    std::vector<std::string> undocumented;
    for (const auto& route : routed)
        if (documented.count(route) == 0) undocumented.push_back(route);
    return undocumented;
}

}  // namespace agenthost::api
