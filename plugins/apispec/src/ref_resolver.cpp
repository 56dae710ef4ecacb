#include <apispec/ref_resolver.hpp>

#include <cctype>
#include <set>

#include <apispec/errors.hpp>
#include <apispec/json_pointer.hpp>

namespace apispec {

const rapidjson::Value* ref_of(const rapidjson::Value& value) {
    if (!value.IsObject()) return nullptr;
    auto found = value.FindMember("$ref");
    return found == value.MemberEnd() ? nullptr : &found->value;
}

std::string RefResolver::target_pointer(const rapidjson::Value& ref, const std::string& location) const {
    const std::string where = location + "/$ref";
    if (!ref.IsString()) throw SpecError(where, "$ref must be a string");
    const std::string text(ref.GetString(), ref.GetStringLength());
    if (text.empty() || text[0] != '#')
        throw SpecError(where, "$ref '" + text +
                                   "' points outside this document; only local references (#/...) are supported, "
                                   "bundle the document first");
    std::string pointer = text.substr(1);
    // Refs are URI fragments: undo the percent-encoding some tools write.
    std::string decoded;
    for (std::size_t i = 0; i < pointer.size(); ++i) {
        if (pointer[i] == '%' && i + 2 < pointer.size() && std::isxdigit(static_cast<unsigned char>(pointer[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(pointer[i + 2]))) {
            decoded += static_cast<char>(std::stoi(pointer.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            decoded += pointer[i];
        }
    }
    if (resolve_pointer(root_, decoded) == nullptr)
        throw SpecError(where, "unresolvable $ref '" + text + "': nothing at " + (decoded.empty() ? "/" : decoded) +
                                   " in this document");
    return decoded;
}

std::pair<const rapidjson::Value*, std::string> RefResolver::follow(const rapidjson::Value& value,
                                                                    const std::string& location) const {
    const rapidjson::Value* current = &value;
    std::string pointer = location;
    std::set<std::string> seen;
    while (const rapidjson::Value* ref = ref_of(*current)) {
        if (!seen.insert(pointer).second)
            throw SpecError(location, "$ref chain loops back to " + pointer + " without reaching a definition");
        pointer = target_pointer(*ref, pointer);
        current = resolve_pointer(root_, pointer);
    }
    return {current, pointer};
}

void RefResolver::check(const rapidjson::Value& value, const std::string& location) const {
    if (value.IsObject()) {
        for (const auto& member : value.GetObject()) {
            const std::string name(member.name.GetString(), member.name.GetStringLength());
            // A property literally called "$ref" inside "properties" is a
            // name, not a reference; so are example values.
            if (name == "$ref" &&
                !(location.size() >= 11 && location.compare(location.size() - 11, 11, "/properties") == 0)) {
                target_pointer(member.value, location);
                continue;
            }
            if (name == "example" || name == "examples" || name == "default" || name == "enum") continue;
            check(member.value, child(location, name));
        }
    } else if (value.IsArray()) {
        for (rapidjson::SizeType i = 0; i < value.Size(); ++i) check(value[i], child(location, i));
    }
}

void RefResolver::check_all() const { check(root_, ""); }

}  // namespace apispec
