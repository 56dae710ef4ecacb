#include "openapi_input.hpp"
#include "json_member.hpp"

#include <apispec/api_reader.hpp>
#include <apispec/document_loader.hpp>
#include <apispec/errors.hpp>
#include <apispec/json_pointer.hpp>

namespace testgen {
namespace {

// The JSON schema of a content map: application/json, then any +json.
const rapidjson::Value* json_schema_of(const rapidjson::Document& root, const rapidjson::Value* content,
                                       std::string* media_type = nullptr) {
    content = deref(root, content);
    if (content == nullptr || !content->IsObject()) return nullptr;
    for (const auto& entry : content->GetObject()) {
        const std::string type(entry.name.GetString(), entry.name.GetStringLength());
        const bool json = type.rfind("application/json", 0) == 0 ||
                          (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0) || type == "*/*";
        if (!json) continue;
        if (media_type) *media_type = type;
        return member(deref(root, &entry.value), "schema");
    }
    if (media_type && content->MemberCount() > 0) *media_type = content->MemberBegin()->name.GetString();
    return nullptr;
}

void add_params(const rapidjson::Document& root, const rapidjson::Value* list, std::vector<OperationSpec::Param>& out) {
    if (list == nullptr || !list->IsArray()) return;
    for (const auto& item : list->GetArray()) {
        const rapidjson::Value* p = deref(root, &item);
        const rapidjson::Value* name = member(p, "name");
        const rapidjson::Value* in = member(p, "in");
        if (name == nullptr || !name->IsString() || in == nullptr || !in->IsString()) continue;
        OperationSpec::Param param{name->GetString(), in->GetString()};
        const rapidjson::Value* required = member(p, "required");
        param.required = param.in == "path" || (required != nullptr && required->IsBool() && required->GetBool());
        param.schema = member(p, "schema");
        param.example = member(p, "example");
        bool replaced = false;  // an operation's parameter overrides the path item's
        for (auto& existing : out)
            if (existing.name == param.name && existing.in == param.in) existing = param, replaced = true;
        if (!replaced) out.push_back(param);
    }
}

}  // namespace

const rapidjson::Value* deref(const rapidjson::Document& root, const rapidjson::Value* value) {
    for (int hops = 0; value != nullptr && hops < 32; ++hops) {
        const rapidjson::Value* ref = member(value, "$ref");
        if (ref == nullptr) return value;
        if (!ref->IsString() || ref->GetStringLength() == 0 || ref->GetString()[0] != '#') return nullptr;
        value = apispec::resolve_pointer(root, std::string_view(ref->GetString() + 1, ref->GetStringLength() - 1));
    }
    return nullptr;
}

void read_openapi_input(const rapidjson::Value& value, const std::string& field, OpenApiInput& out) {
    try {
        if (value.IsString()) {
            if (value.GetStringLength() == 0) throw InputError(field + " is empty: give an OpenAPI 3 document");
            out.document = apispec::load_document(std::string_view(value.GetString(), value.GetStringLength()));
        } else if (value.IsObject()) {
            out.document.CopyFrom(value, out.document.GetAllocator());
        } else {
            throw InputError(field + " must be an OpenAPI 3 document: YAML or JSON text, or an object");
        }
        if (!out.document.IsObject() || !out.document.HasMember("openapi"))
            throw InputError(field + " is not an OpenAPI 3 document (no 'openapi' member)");
        out.api = apispec::read_api(out.document, "Model");
    } catch (const apispec::SpecError& error) {
        throw InputError(field + ": " + error.what());
    }
    if (out.api.operations.empty()) throw InputError(field + " declares no operation under paths");
    for (const auto& operation : out.api.operations) {
        OperationSpec spec;
        spec.operation = operation;
        spec.raw = apispec::resolve_pointer(out.document, operation.location);
        // The path item holds the operation: its parameters apply too.
        const std::string item_pointer = operation.location.substr(0, operation.location.rfind('/'));
        add_params(out.document, member(deref(out.document, apispec::resolve_pointer(out.document, item_pointer)), "parameters"),
                   spec.params);
        add_params(out.document, member(spec.raw, "parameters"), spec.params);
        if (const rapidjson::Value* body = deref(out.document, member(spec.raw, "requestBody"))) {
            spec.body_schema = json_schema_of(out.document, member(body, "content"), &spec.body_media_type);
            const rapidjson::Value* required = member(body, "required");
            spec.body_required = required != nullptr && required->IsBool() && required->GetBool();
        }
        if (const rapidjson::Value* responses = member(spec.raw, "responses"); responses && responses->IsObject()) {
            for (const auto& entry : responses->GetObject()) {
                DeclaredResponse r;
                r.status = entry.name.GetString();
                r.schema = json_schema_of(out.document, member(deref(out.document, &entry.value), "content"));
                spec.responses.push_back(r);
            }
        }
        out.operations.push_back(std::move(spec));
    }
}

}  // namespace testgen
