#include "library.hpp"

#include "devkit/kept_json.hpp"

namespace templates {
namespace {

using Document = rapidjson::Document;
using JsonValue = rapidjson::Value;

const char kIndexKey[] = "template_manager/index";

std::string version_key(const std::string& name, const std::string& version) {
    return "template_manager/templates/" + name + "/" + version;
}

std::string text_of(const JsonValue& object, const char* name) {
    auto found = object.FindMember(name);
    return found != object.MemberEnd() && found->value.IsString()
               ? std::string(found->value.GetString(), found->value.GetStringLength())
               : "";
}

Document load_index(const agenthost::Run& run) {
    return devkit::kept_object(run.memory_get(kIndexKey), "templates", rapidjson::kObjectType);
}

Entry entry_of(const std::string& name, const JsonValue& stored) {
    Entry entry;
    entry.name = name;
    entry.kind = text_of(stored, "kind");
    entry.description = text_of(stored, "description");
    if (stored.HasMember("versions") && stored["versions"].IsArray())
        for (const auto& version : stored["versions"].GetArray())
            if (version.IsObject()) entry.versions.emplace_back(text_of(version, "version"), text_of(version, "created_at"));
    return entry;
}

}  // namespace

std::vector<Entry> Library::list() const {
    Document index = load_index(run_);
    std::vector<Entry> entries;
    for (const auto& member : index["templates"].GetObject())
        if (member.value.IsObject()) entries.push_back(entry_of(member.name.GetString(), member.value));
    return entries;
}

std::optional<Entry> Library::find(const std::string& name) const {
    Document index = load_index(run_);
    auto found = index["templates"].FindMember(name.c_str());
    if (found == index["templates"].MemberEnd() || !found->value.IsObject()) return std::nullopt;
    return entry_of(name, found->value);
}

StoredVersion Library::get(const std::string& name, const std::string& version, const std::string& field) const {
    auto entry = find(name);
    if (!entry || entry->versions.empty())
        throw InputError("context.name: no template named '" + name + "' in this thread's library");
    std::string wanted = version.empty() ? entry->versions.back().first : version;
    bool known = false;
    for (const auto& [stored, created] : entry->versions) known = known || stored == wanted;
    if (!known) {
        std::string versions;
        for (const auto& [stored, created] : entry->versions) versions += (versions.empty() ? "" : ", ") + stored;
        throw InputError(field + ": template '" + name + "' has no version '" + wanted + "' (it has " + versions + ")");
    }
    auto kept = run_.memory_get(version_key(name, wanted));
    Document document;
    if (kept) document.Parse(kept->c_str());
    if (!kept || document.HasParseError() || !document.IsObject())
        throw agenthost::Error(AGENTHOST_ERROR_FAILED, "template '" + name + "' version '" + wanted + "' is missing from thread memory");
    StoredVersion out;
    out.name = name;
    out.version = wanted;
    out.kind = text_of(document, "kind");
    out.description = text_of(document, "description");
    out.content = text_of(document, "content");
    out.created_at = text_of(document, "created_at");
    out.run_id = text_of(document, "run_id");
    if (document.HasMember("variables") && document["variables"].IsArray())
        for (const auto& variable : document["variables"].GetArray()) {
            if (!variable.IsObject()) continue;
            Variable item{text_of(variable, "name"), text_of(variable, "description"), std::nullopt};
            if (variable.HasMember("default") && variable["default"].IsString()) item.default_value = variable["default"].GetString();
            out.variables.push_back(std::move(item));
        }
    return out;
}

void Library::save(const StoredVersion& version) {
    Document index = load_index(run_);
    auto& allocator = index.GetAllocator();
    JsonValue& templates_by_name = index["templates"];
    auto found = templates_by_name.FindMember(version.name.c_str());
    if (found != templates_by_name.MemberEnd()) {
        Entry entry = entry_of(version.name, found->value);
        if (entry.kind != version.kind)
            throw InputError("context.kind: template '" + version.name + "' is a " + entry.kind + " template, not " + version.kind);
        for (const auto& [stored, created] : entry.versions)
            if (stored == version.version)
                throw InputError("context.version: template '" + version.name + "' already has version '" + version.version +
                                 "'; versions are immutable, create a new one");
    } else {
        JsonValue entry(rapidjson::kObjectType);
        entry.AddMember("kind", agenthost::json::string(version.kind, allocator), allocator);
        entry.AddMember("versions", JsonValue(rapidjson::kArrayType), allocator);
        templates_by_name.AddMember(agenthost::json::string(version.name, allocator), entry, allocator);
        found = templates_by_name.FindMember(version.name.c_str());
    }
    // The text first: an index entry never points at a missing version.
    Document stored(rapidjson::kObjectType);
    auto& stored_allocator = stored.GetAllocator();
    auto text = [&](const std::string& value) { return agenthost::json::string(value, stored_allocator); };
    stored.AddMember("name", text(version.name), stored_allocator);
    stored.AddMember("kind", text(version.kind), stored_allocator);
    stored.AddMember("version", text(version.version), stored_allocator);
    stored.AddMember("description", text(version.description), stored_allocator);
    stored.AddMember("content", text(version.content), stored_allocator);
    JsonValue variables(rapidjson::kArrayType);
    for (const auto& variable : version.variables) {
        JsonValue item(rapidjson::kObjectType);
        item.AddMember("name", text(variable.name), stored_allocator);
        item.AddMember("description", text(variable.description), stored_allocator);
        if (variable.default_value) item.AddMember("default", text(*variable.default_value), stored_allocator);
        variables.PushBack(item, stored_allocator);
    }
    stored.AddMember("variables", variables, stored_allocator);
    stored.AddMember("created_at", text(version.created_at), stored_allocator);
    stored.AddMember("run_id", text(version.run_id), stored_allocator);
    run_.memory_put(version_key(version.name, version.version), agenthost::json::serialize(stored));

    JsonValue& entry = found->value;
    entry.RemoveMember("description");
    entry.AddMember("description", agenthost::json::string(version.description, allocator), allocator);
    JsonValue listed(rapidjson::kObjectType);
    listed.AddMember("version", agenthost::json::string(version.version, allocator), allocator);
    listed.AddMember("created_at", agenthost::json::string(version.created_at, allocator), allocator);
    entry["versions"].PushBack(listed, allocator);
    run_.memory_put(kIndexKey, agenthost::json::serialize(index));
}

}  // namespace templates
