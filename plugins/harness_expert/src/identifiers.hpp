// Harness identifiers: the rule, deriving valid ones from free-form names, and
// keeping them unique within a scope.
#ifndef HARNESS_EXPERT_IDENTIFIERS_HPP
#define HARNESS_EXPERT_IDENTIFIERS_HPP

#include <cstddef>
#include <set>
#include <string>
#include <string_view>

namespace harness_expert {

// Harness's rule for identifiers: ^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$.
constexpr std::size_t kMaxIdentifierLength = 128;
bool is_valid_identifier(std::string_view identifier);

// A valid identifier derived from a name: every character outside
// [0-9a-zA-Z_$] becomes '_', a leading digit or '$' gets a '_' prefix, the
// result is cut to 128 characters; an empty name gives "_".
std::string to_identifier(std::string_view name);

// Identifiers handed out within one scope, all distinct: a second "prod"
// becomes "prod_2", then "prod_3", truncating the base so the suffix fits.
class IdentifierScope {
  public:
    std::string claim(std::string_view name);
    bool contains(const std::string& identifier) const { return used_.count(identifier) != 0; }

  private:
    std::set<std::string> used_;
};

// GitHub Actions job ids: ^[A-Za-z_][A-Za-z0-9_-]*$.
std::string to_job_id(std::string_view name);

}  // namespace harness_expert

#endif
