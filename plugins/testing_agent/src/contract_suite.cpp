#include "contract_suite.hpp"
#include "json_member.hpp"

#include <apispec/identifiers.hpp>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <map>
#include <set>

#include "contract_support_py.hpp"
#include "example_data.hpp"

namespace testgen {
namespace {

std::string quoted(const std::string& text) {
    rapidjson::Value v(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
    return python_literal(v);
}

std::string set_literal(const std::vector<int>& statuses) {
    std::string out = "{";
    for (std::size_t i = 0; i < statuses.size(); ++i) out += (i ? ", " : "") + std::to_string(statuses[i]);
    return out + "}";
}

// Declared statuses from `low` to `high` (a "4XX" range counts as all of them).
std::vector<int> declared_in(const OperationSpec& op, int low, int high) {
    std::set<int> out;
    for (const auto& r : op.responses) {
        if (r.status.size() == 3 && std::isdigit(static_cast<unsigned char>(r.status[0])) &&
            (r.status[1] == 'X' || r.status[1] == 'x')) {
            const int base = (r.status[0] - '0') * 100;
            for (int s = std::max(base, low); s <= std::min(base + 99, high); ++s) out.insert(s);
        } else if (!r.status.empty() && std::all_of(r.status.begin(), r.status.end(), ::isdigit)) {
            const int s = std::stoi(r.status);
            if (s >= low && s <= high) out.insert(s);
        }
    }
    return {out.begin(), out.end()};
}

std::vector<int> client_errors(const OperationSpec& op, std::initializer_list<int> preferred) {
    std::vector<int> declared = declared_in(op, 400, 499);
    std::vector<int> chosen;
    for (int s : preferred)
        if (std::find(declared.begin(), declared.end(), s) != declared.end()) chosen.push_back(s);
    if (!chosen.empty()) return chosen;
    std::vector<int> any;  // the spec says nothing specific: any client error will do
    for (int s = 400; s <= 499; ++s) any.push_back(s);
    return any;
}

std::string set_or_range(const std::vector<int>& statuses) {
    if (statuses.size() == 100 && statuses.front() == 400) return "set(range(400, 500))";
    return set_literal(statuses);
}

// Whether objects of `schema` have the member `name` (properties, or those
// of allOf parts).
bool has_property(const rapidjson::Document& root, const rapidjson::Value* schema, const std::string& name, int depth) {
    schema = deref(root, schema);
    if (schema == nullptr || depth > 16) return false;
    const rapidjson::Value* properties = member(schema, "properties");
    if (properties != nullptr && properties->IsObject() && properties->HasMember(name.c_str())) return true;
    const rapidjson::Value* all = member(schema, "allOf");
    if (all != nullptr && all->IsArray())
        for (const auto& part : all->GetArray())
            if (has_property(root, &part, name, depth + 1)) return true;
    return false;
}

struct Creator {
    const OperationSpec* op = nullptr;
    std::string id_member;
};

// The POST on the parent collection whose 2xx answer carries the id the
// path parameter takes (/pets + {petId} -> POST /pets answering {id: ...}).
Creator creator_for(const OpenApiInput& input, const OperationSpec& op, const std::string& param) {
    const std::string& path = op.operation.path;
    const std::string tail = "/{" + param + "}";
    if (path.size() <= tail.size() || path.compare(path.size() - tail.size(), tail.size(), tail) != 0) return {};
    const std::string parent = path.substr(0, path.size() - tail.size());
    for (const auto& candidate : input.operations) {
        if (candidate.operation.method != "POST" || candidate.operation.path != parent) continue;
        for (const auto& r : candidate.responses) {
            if (r.status.empty() || r.status[0] != '2') continue;
            for (const auto& p : {param, std::string("id")})
                if (has_property(input.document, r.schema, p, 0)) return {&candidate, p};
        }
    }
    return {};
}

struct Writer {
    const OpenApiInput& input;
    rapidjson::Document scratch;
    std::string text;
    apispec::NameScope names;
    ContractSuite& suite;
    ExampleMaker maker{input.document};

    std::string example(const rapidjson::Value* schema) {
        return python_literal(maker.example(schema, scratch.GetAllocator()));
    }

    std::string param_example(const OperationSpec::Param& p) {
        if (p.example != nullptr) return python_literal(*p.example);
        return example(p.schema);
    }

    // The arguments of call() for `op` with `path_values` for its path parameters.
    std::string call_args(const OperationSpec& op, const std::map<std::string, std::string>& path_values,
                          const std::string& body) {
        const auto& o = op.operation;
        std::string args = quoted(o.method) + ", " + quoted(o.path);
        std::string path_params, query, headers;
        for (const auto& p : op.params) {
            if (p.in == "path") {
                auto found = path_values.find(p.name);
                path_params += (path_params.empty() ? "" : ", ") + quoted(p.name) + ": " +
                               (found != path_values.end() ? found->second : param_example(p));
            } else if (p.required && p.in == "query") {
                query += (query.empty() ? "" : ", ") + quoted(p.name) + ": " + param_example(p);
            } else if (p.required && p.in == "header") {
                headers += (headers.empty() ? "" : ", ") + quoted(p.name) + ": " + param_example(p);
            }
        }
        if (!path_params.empty()) args += ", path_params={" + path_params + "}";
        if (!query.empty()) args += ", query={" + query + "}";
        if (!headers.empty()) args += ", headers={" + headers + "}";
        if (!body.empty()) args += ", body=" + body;
        return args;
    }

    std::string check_line(const OperationSpec& op, const std::string& expected, bool declared) {
        return "    check(" + quoted(op.operation.operation_id) + ", " + quoted(op.operation.method) + ", " +
               quoted(op.operation.path) + ", reply, expected=" + expected + (declared ? "" : ", declared=False") +
               ")\n";
    }

    std::string test_name(const OperationSpec& op, const std::string& suffix) {
        return names.claim("test_" + apispec::snake_case(op.operation.operation_id) + suffix);
    }

    bool json_body(const OperationSpec& op) const { return op.body_schema != nullptr; }

    void write_operation(const OperationSpec& op) {
        const auto& o = op.operation;
        ++suite.operations;
        if (!op.body_media_type.empty() && !json_body(op))
            suite.warnings.push_back(o.operation_id + ": request body " + op.body_media_type +
                                     " is not JSON; the suite sends none");
        // Path parameters: ids of resources created first, where the API can.
        std::map<std::string, std::string> path_values;
        std::string setup;
        for (const auto& p : op.params) {
            if (p.in != "path") continue;
            const Creator creator = creator_for(input, op, p.name);
            if (creator.op == nullptr) continue;
            const std::string variable = apispec::snake_case(p.name);
            setup += "    " + variable + " = create(" + quoted(creator.op->operation.operation_id) + ", " +
                     quoted(creator.op->operation.method) + ", " + quoted(creator.op->operation.path) + ", " +
                     example(creator.op->body_schema) + ", " + quoted(creator.id_member) + ")\n";
            path_values[p.name] = variable;
        }
        const std::string body = json_body(op) ? example(op.body_schema) : "";
        std::vector<int> success = declared_in(op, 200, 299);
        if (success.empty()) success = declared_in(op, 100, 399);
        const std::string expected = success.empty() ? "None" : set_literal(success);

        text += "\n\ndef " + test_name(op, "") + "():\n";
        text += "    \"\"\"" + o.method + " " + o.path + " with example data answers a declared success.\"\"\"\n";
        text += setup;
        text += "    reply = call(" + call_args(op, path_values, body) + ")\n";
        text += check_line(op, expected, true);
        ++suite.positive_tests;

        // Unknown ids.
        std::map<std::string, std::string> unknown;
        for (const auto& p : op.params) {
            if (p.in != "path") continue;
            const std::string type = type_of(input.document, p.schema);
            unknown[p.name] = type == "integer" || type == "number" ? "987654321" : quoted("does-not-exist-0d2f9c");
        }
        if (!unknown.empty()) {
            text += "\n\ndef " + test_name(op, "_unknown_id") + "():\n";
            text += "    \"\"\"An id nothing was created with answers " +
                    std::string(declared_in(op, 404, 404).empty() ? "a client error" : "404") + ".\"\"\"\n";
            text += "    reply = call(" + call_args(op, unknown, body) + ")\n";
            text += check_line(op, set_or_range(client_errors(op, {404})), false);
            ++suite.negative_tests;
        }

        // Bodies: a missing required member, a member of the wrong type.
        const rapidjson::Value* schema = deref(input.document, op.body_schema);
        const rapidjson::Value* required = member(schema, "required");
        const rapidjson::Value* properties = member(schema, "properties");
        if (json_body(op) && type_of(input.document, op.body_schema) != "array" && required != nullptr &&
            required->IsArray() && !required->Empty() && (*required)[0].IsString()) {
            const std::string missing = (*required)[0].GetString();
            rapidjson::Value value = maker.example(op.body_schema, scratch.GetAllocator());
            if (value.IsObject()) {
                value.RemoveMember(missing.c_str());
                text += "\n\ndef " + test_name(op, "_without_" + apispec::snake_case(missing)) + "():\n";
                text += "    \"\"\"A body without the required '" + missing + "' is refused.\"\"\"\n";
                text += setup;
                text += "    reply = call(" + call_args(op, path_values, python_literal(value)) + ")\n";
                text += check_line(op, set_or_range(client_errors(op, {400, 422})), false);
                ++suite.negative_tests;
            }
        }
        if (json_body(op) && properties != nullptr && properties->IsObject()) {
            for (const auto& p : properties->GetObject()) {
                const std::string type = type_of(input.document, &p.value);
                if (type.empty()) continue;
                rapidjson::Value value = maker.example(op.body_schema, scratch.GetAllocator());
                if (!value.IsObject()) break;
                value.RemoveMember(p.name);
                value.AddMember(rapidjson::Value(p.name, scratch.GetAllocator()),
                                wrong_type_for(input.document, &p.value, scratch.GetAllocator()), scratch.GetAllocator());
                const std::string name = p.name.GetString();
                text += "\n\ndef " + test_name(op, "_with_wrong_type_" + apispec::snake_case(name)) + "():\n";
                text += "    \"\"\"'" + name + "' of the wrong type (not " + type + ") is refused.\"\"\"\n";
                text += setup;
                text += "    reply = call(" + call_args(op, path_values, python_literal(value)) + ")\n";
                text += check_line(op, set_or_range(client_errors(op, {400, 422})), false);
                ++suite.negative_tests;
                break;  // one member is enough to show the server checks types
            }
        }
    }
};

std::string document_json(const rapidjson::Document& document) {
    rapidjson::StringBuffer buffer;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', 2);
    document.Accept(writer);
    return std::string(buffer.GetString()) + "\n";
}

}  // namespace

ContractSuite contract_suite(const OpenApiInput& input, const std::string& base_url, const std::string& directory) {
    ContractSuite suite;
    Writer writer{input, rapidjson::Document(), "", apispec::NameScope(), suite};
    const auto& api = input.api;
    writer.text = "\"\"\" Contract tests for " + apispec::comment_text(api.title.empty() ? "the API" : api.title) +
                  (api.version.empty() ? "" : " " + apispec::comment_text(api.version)) +
                  ", generated by agenthost's testing_agent from its OpenAPI document.\n\n"
                  "Run against a server: API_BASE_URL=http://127.0.0.1:8000 python3 -m pytest " +
                  directory + "\n\"\"\"\nfrom contract_support import call, check, create, errors_of, resolve\n";
    // Creations first, deletions last, so a run leaves little behind.
    std::vector<const OperationSpec*> ordered;
    for (const auto& op : input.operations) ordered.push_back(&op);
    auto rank = [](const OperationSpec* op) {
        const auto& m = op->operation.method;
        return m == "POST" ? 0 : m == "DELETE" ? 2 : 1;
    };
    std::stable_sort(ordered.begin(), ordered.end(), [&](auto* a, auto* b) { return rank(a) < rank(b); });
    for (const auto* op : ordered) writer.write_operation(*op);

    // The examples the suite sends are checked against their own schemas.
    std::string examples;
    for (const auto& op : input.operations) {
        if (op.body_schema == nullptr) continue;
        std::vector<std::string> notes;
        writer.maker.example(op.body_schema, writer.scratch.GetAllocator(), &notes);
        if (!notes.empty()) {  // the spec allows no example here; the suite still sends its best one
            suite.warnings.push_back(op.operation.operation_id + ": " + notes.front());
            continue;
        }
        examples += "    (" + quoted(op.operation.operation_id) + ", " + writer.example(op.body_schema) + ", " +
                    quoted(op.operation.location) + "),\n";
    }
    if (!examples.empty()) {
        writer.text += "\n\nEXAMPLE_BODIES = [\n" + examples + "]\n";
        writer.text +=
            "\n\ndef test_example_bodies_match_their_schemas():\n"
            "    \"\"\"Every request body the suite sends is valid for the operation's schema.\"\"\"\n"
            "    for operation, body, pointer in EXAMPLE_BODIES:\n"
            "        node = resolve({\"$ref\": \"#\" + pointer})\n"
            "        content = resolve(node[\"requestBody\"])[\"content\"]\n"
            "        schema = next(resolve(c)[\"schema\"] for t, c in content.items() if \"json\" in t)\n"
            "        assert errors_of(body, schema) == [], operation\n";
    }
    std::string support = contract_support_py;
    const std::string marker = "os.environ.get(\"API_BASE_URL\", DEFAULT_BASE_URL)";
    support.replace(support.find(marker), marker.size(), "os.environ.get(\"API_BASE_URL\", " + quoted(base_url) + ")");
    suite.files.push_back({directory + "/contract_support.py", support, "text/x-python"});
    suite.files.push_back({directory + "/openapi.json", document_json(input.document), "application/json"});
    suite.files.push_back({directory + "/test_contract.py", writer.text, "text/x-python"});
    return suite;
}

}  // namespace testgen
