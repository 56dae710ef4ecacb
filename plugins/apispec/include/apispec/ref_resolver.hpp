// Follows local $refs. Every $ref in the document is checked once, before
// anything is generated, so the first error names the exact place where a
// broken reference is written and what it points to.
#ifndef APISPEC_REF_RESOLVER_HPP
#define APISPEC_REF_RESOLVER_HPP

#include <rapidjson/document.h>

#include <string>
#include <utility>

namespace apispec {

class RefResolver {
  public:
    explicit RefResolver(const rapidjson::Value& root) : root_(root) {}

    // Throws SpecError for the first $ref (in document order) that is not a
    // string, not local ("other.yaml#/X"), or whose target is missing.
    void check_all() const;

    // The target pointer of `ref` written at `location` ("#/a/b" -> "/a/b").
    // Throws SpecError like check_all.
    std::string target_pointer(const rapidjson::Value& ref, const std::string& location) const;

    // Follows a chain of $refs starting at `value` (found at `location`) to a
    // value that is not a $ref. Returns the value and its pointer. Throws on
    // a broken or circular chain.
    std::pair<const rapidjson::Value*, std::string> follow(const rapidjson::Value& value,
                                                           const std::string& location) const;

    const rapidjson::Value& root() const noexcept { return root_; }

  private:
    void check(const rapidjson::Value& value, const std::string& location) const;
    const rapidjson::Value& root_;
};

// The $ref member of an object, or nullptr.
const rapidjson::Value* ref_of(const rapidjson::Value& value);

}  // namespace apispec

#endif
