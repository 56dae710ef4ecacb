#include "json/schema_catalog.hpp"

#include "json/embedded_schemas.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace agenthost::json {

const SchemaValidator& host_schema(const std::string& name) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<SchemaValidator>> compiled;
    std::lock_guard<std::mutex> lock(mutex);
    auto found = compiled.find(name);
    if (found != compiled.end()) return *found->second;
    auto source = embedded_schemas().find(name);
    if (source == embedded_schemas().end()) throw std::out_of_range("no embedded schema named " + name);
    auto validator = std::make_unique<SchemaValidator>(std::string(source->second));
    return *compiled.emplace(name, std::move(validator)).first->second;
}

}  // namespace agenthost::json
