// The one error type of the generator: the input does not describe an API we
// can generate from. Every message starts with the JSON pointer of the place
// at fault, so a caller with a 2,000-line document knows where to look.
#ifndef CODEGEN_ERRORS_HPP
#define CODEGEN_ERRORS_HPP

#include <stdexcept>
#include <string>

namespace codegen {

class SpecError : public std::invalid_argument {
  public:
    // `location` is a JSON pointer ("" for the document itself).
    SpecError(const std::string& location, const std::string& message)
        : std::invalid_argument((location.empty() ? std::string("document") : location) + ": " + message),
          location_(location) {}
    const std::string& location() const noexcept { return location_; }

  private:
    std::string location_;
};

// The request itself is unusable (no document found, bad option values).
struct InputError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

}  // namespace codegen

#endif
