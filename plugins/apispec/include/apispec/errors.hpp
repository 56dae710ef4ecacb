// The one error type of the reader: the input does not describe an API we
// can read. Every message starts with the JSON pointer of the place at
// fault, so a caller with a 2,000-line document knows where to look.
#ifndef APISPEC_ERRORS_HPP
#define APISPEC_ERRORS_HPP

#include <stdexcept>
#include <string>

namespace apispec {

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

}  // namespace apispec

#endif
