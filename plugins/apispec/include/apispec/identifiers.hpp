// Names in generated code. API documents name things freely ("pet-id",
// "2fa", "class", "HTTPServer"); generated code needs identifiers that are
// valid, idiomatic (snake_case in Python, camelCase in TypeScript) and
// unique in their scope. The same input always gives the same names.
#ifndef APISPEC_IDENTIFIERS_HPP
#define APISPEC_IDENTIFIERS_HPP

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace apispec {

// Words of a name: split at anything not a letter or digit and at case
// changes ("HTTPServerError" -> HTTP, Server, Error; "petId" -> pet, Id).
std::vector<std::string> split_words(std::string_view name);

std::string snake_case(std::string_view name);   // pet_id
std::string camel_case(std::string_view name);   // petId
std::string pascal_case(std::string_view name);  // PetId

enum class Language { python, typescript };

// True for words the language reserves (keywords, and for Python the names
// generated code relies on, such as `str` or `from_dict`).
bool is_reserved(Language language, std::string_view name);

// Makes `name` a valid identifier: empty -> `fallback`, a leading digit gets
// a "_" prefix, a reserved word a "_" suffix.
std::string safe_identifier(Language language, std::string name, std::string_view fallback = "value");

// Hands out unique names in one scope: the second "pet" becomes "pet2".
class NameScope {
  public:
    NameScope() = default;
    explicit NameScope(std::set<std::string> taken) : taken_(std::move(taken)) {}
    std::string claim(const std::string& name);

  private:
    std::set<std::string> taken_;
};

// Text safe inside a comment or docstring of either language: no "*/", no
// double quotes or backslashes (a docstring cannot end early), no control
// characters, and no U+2028/U+2029, which end a `//` comment in JavaScript.
std::string comment_text(std::string_view text);

// A double-quoted string literal valid in Python and TypeScript alike, with
// quotes, backslashes and control characters escaped.
std::string string_literal(std::string_view text);

}  // namespace apispec

#endif
