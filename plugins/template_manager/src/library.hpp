// The template library. On a host with the long-term store (and the
// "store" permission) it is the tenant's, shared by every thread: each
// version is an item in namespace ["template_manager", <name>] under its
// version label ('.' in a name kept as '~', since labels cannot hold '.').
// On an older host it falls back to the thread's memory: an index
// (template_manager/index) of names, kinds and versions, and each version's
// text under its own key (template_manager/templates/<name>/<version>), so no
// entry grows past the host's 1 MiB limit. Versions are immutable.
#pragma once

#include <agenthost/agent.hpp>

#include <optional>
#include <string>
#include <vector>

#include "templates.hpp"

namespace templates {

struct StoredVersion {
    std::string name;
    std::string kind;
    std::string version;
    std::string description;
    std::string content;
    std::vector<Variable> variables;
    std::string created_at;
    std::string run_id;
};

struct Entry {
    std::string name;
    std::string kind;
    std::string description;
    std::vector<std::pair<std::string, std::string>> versions;  // (version, created_at), oldest first
};

class Library {
  public:
    explicit Library(const agenthost::Run& run) : run_(run), store_(run.store()), global_(store_.available()) {}

    // "the template library" (shared) or "this thread's library".
    std::string where() const { return global_ ? "the template library" : "this thread's library"; }

    std::vector<Entry> list() const;
    std::optional<Entry> find(const std::string& name) const;
    // The version (latest when empty); throws InputError naming the field
    // when the template or the version does not exist.
    StoredVersion get(const std::string& name, const std::string& version, const std::string& field = "context.version") const;
    // Saves a new version; throws InputError when it exists, or when the
    // name is taken by a template of another kind.
    void save(const StoredVersion& version);

  private:
    std::optional<StoredVersion> stored_version(const std::string& name, const std::string& version) const;
    void keep(const StoredVersion& version, const rapidjson::Document& stored);

    const agenthost::Run& run_;
    agenthost::StoreClient store_;
    bool global_;
};

}  // namespace templates
