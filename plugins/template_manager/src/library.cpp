#include "library.hpp"

#include <algorithm>

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

const char kNamespaceRoot[] = "template_manager";

// Store namespace labels cannot hold '.', which template names may; '~'
// is not allowed in names, so the mapping is reversible.
std::string label_of(std::string name) {
    std::replace(name.begin(), name.end(), '.', '~');
    return name;
}
std::string name_of(std::string label) {
    std::replace(label.begin(), label.end(), '~', '.');
    return label;
}

StoredVersion version_from(const std::string& name, const std::string& version, const JsonValue& document) {
    StoredVersion out;
    out.name = name;
    out.version = version;
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

// The versions of one template in the store, oldest first.
std::vector<StoredVersion> store_versions(const agenthost::StoreClient& store, const std::string& name) {
    Document found = store.search({kNamespaceRoot, label_of(name)}, {}, 1000);
    std::vector<StoredVersion> versions;
    if (found.HasMember("items") && found["items"].IsArray())
        for (const auto& item : found["items"].GetArray())
            if (item.IsObject() && item.HasMember("value") && item["value"].IsObject())
                versions.push_back(version_from(name, text_of(item, "key"), item["value"]));
    std::sort(versions.begin(), versions.end(), [](const StoredVersion& a, const StoredVersion& b) {
        return a.created_at != b.created_at ? a.created_at < b.created_at : a.version < b.version;
    });
    return versions;
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
    if (global_) {
        Document namespaces = store_.list_namespaces({kNamespaceRoot}, 2, 1000);
        std::vector<Entry> entries;
        if (namespaces.HasMember("namespaces") && namespaces["namespaces"].IsArray())
            for (const auto& labels : namespaces["namespaces"].GetArray())
                if (labels.IsArray() && labels.Size() == 2 && labels[1].IsString())
                    if (auto entry = find(name_of(labels[1].GetString()))) entries.push_back(std::move(*entry));
        std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
        return entries;
    }
    Document index = load_index(run_);
    std::vector<Entry> entries;
    for (const auto& member : index["templates"].GetObject())
        if (member.value.IsObject()) entries.push_back(entry_of(member.name.GetString(), member.value));
    return entries;
}

std::optional<Entry> Library::find(const std::string& name) const {
    if (global_) {
        std::vector<StoredVersion> versions = store_versions(store_, name);
        if (versions.empty()) return std::nullopt;
        Entry entry;
        entry.name = name;
        entry.kind = versions.back().kind;
        entry.description = versions.back().description;
        for (const auto& version : versions) entry.versions.emplace_back(version.version, version.created_at);
        return entry;
    }
    Document index = load_index(run_);
    auto found = index["templates"].FindMember(name.c_str());
    if (found == index["templates"].MemberEnd() || !found->value.IsObject()) return std::nullopt;
    return entry_of(name, found->value);
}

StoredVersion Library::get(const std::string& name, const std::string& version, const std::string& field) const {
    auto entry = find(name);
    if (!entry || entry->versions.empty())
        throw InputError("context.name: no template named '" + name + "' in " + where());
    std::string wanted = version.empty() ? entry->versions.back().first : version;
    bool known = false;
    for (const auto& [stored, created] : entry->versions) known = known || stored == wanted;
    if (!known) {
        std::string versions;
        for (const auto& [stored, created] : entry->versions) versions += (versions.empty() ? "" : ", ") + stored;
        throw InputError(field + ": template '" + name + "' has no version '" + wanted + "' (it has " + versions + ")");
    }
    auto out = stored_version(name, wanted);
    if (!out)
        throw agenthost::Error(AGENTHOST_ERROR_FAILED, "template '" + name + "' version '" + wanted + "' is missing from " + where());
    return *out;
}

std::optional<StoredVersion> Library::stored_version(const std::string& name, const std::string& version) const {
    if (global_) {
        auto item = store_.get({kNamespaceRoot, label_of(name)}, version);
        if (!item || !item->HasMember("value") || !(*item)["value"].IsObject()) return std::nullopt;
        return version_from(name, version, (*item)["value"]);
    }
    auto kept = run_.memory_get(version_key(name, version));
    Document document;
    if (kept) document.Parse(kept->c_str());
    if (!kept || document.HasParseError() || !document.IsObject()) return std::nullopt;
    return version_from(name, version, document);
}

void Library::keep(const StoredVersion& version, const Document& stored) {
    if (global_)
        store_.put({kNamespaceRoot, label_of(version.name)}, version.version, stored);
    else
        run_.memory_put(version_key(version.name, version.version), agenthost::json::serialize(stored));
}

void Library::save(const StoredVersion& version) {
    if (auto entry = find(version.name)) {
        if (entry->kind != version.kind)
            throw InputError("context.kind: template '" + version.name + "' is a " + entry->kind + " template, not " + version.kind);
        for (const auto& [stored, created] : entry->versions)
            if (stored == version.version)
                throw InputError("context.version: template '" + version.name + "' already has version '" + version.version +
                                 "'; versions are immutable, create a new one");
    }
    Document index = load_index(run_);
    auto& allocator = index.GetAllocator();
    JsonValue& templates_by_name = index["templates"];
    auto found = templates_by_name.FindMember(version.name.c_str());
    if (found == templates_by_name.MemberEnd()) {
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
    keep(version, stored);
    if (global_) return;  // the store's items are the index

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
