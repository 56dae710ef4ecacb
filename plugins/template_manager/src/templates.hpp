// The template manager's logic, free of SDK types: what a template is, and
// validating, rendering, linting and diffing its text. The library (where
// templates are kept) is library.hpp.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace templates {

// Bad input: the plugin answers it with 422 (the message names the field).
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The kinds a library holds, by their names in requests.
extern const std::vector<std::string> kKinds;  // harness_step, harness_stage, harness_pipeline, kubernetes, dockerfile, terraform
bool is_kind(const std::string& kind);
bool is_yaml_kind(const std::string& kind);
std::string media_type_of(const std::string& kind);
// The artifact's path for a template's text: templates/<name>-<version>.yaml, .../Dockerfile, .../main.tf
std::string artifact_path(const std::string& kind, const std::string& name, const std::string& version);

// An input the template declares: used as {{ name }}, optionally defaulted.
struct Variable {
    std::string name;
    std::string description;
    std::optional<std::string> default_value;
};

// The text's lines, without their line breaks (a final empty line when it
// ends with one).
std::vector<std::string> lines_of(std::string_view text);

// The text with every {{ name }} placeholder replaced by the plain word
// TMPLVAR_name, so a template parses as its kind would with values in.
std::string without_placeholders(std::string_view text);
// Whether a value came from a placeholder or is a Harness expression (not
// checked further).
bool is_templated(const std::string& value);

// Where a template is wrong (1-based; column 0 when unknown).
struct Problem {
    int line = 0;
    int column = 0;
    std::string message;
    std::string describe() const;  // "line 4, column 7: message"
};

// Checks `text` against the kind's schema: it must parse and have the
// shape the kind requires (Harness: template (or pipeline) root, name,
// identifier by Harness's rule, versionLabel, type, spec; Kubernetes:
// apiVersion, kind, metadata.name, workload containers; Dockerfile: known
// instructions, FROM first; Terraform: balanced blocks of known types with
// their labels). {{ var }} placeholders count as values. Empty: valid.
std::vector<Problem> validate(const std::string& kind, std::string_view text);

// {{ name }} placeholders in order of first use, with their first line.
struct Placeholder {
    std::string name;
    int line = 0;
};
std::vector<Placeholder> placeholders(std::string_view text);

// Harness runtime inputs: "key: <+input>..." lines, by their key.
struct RuntimeInput {
    std::string name;  // the YAML key
    int line = 0;
    std::optional<std::string> default_value;    // .default(x)
    std::vector<std::string> allowed_values;     // .allowedValues(a,b)
};
std::vector<RuntimeInput> runtime_inputs(std::string_view text);

// A value given for rendering: its text, and whether it is a string (a
// string given for a runtime input is quoted when YAML would misread it).
struct Value {
    std::string text;
    bool is_string = true;
};

struct RenderOptions {
    // Runtime inputs without a value: false leaves "<+input>" for Harness to
    // ask at run time; true fills their .default() or refuses.
    bool resolve_runtime_inputs = false;
};

// Fills placeholders (given value, else the declared default) and runtime
// inputs. Throws InputError naming every missing variable (and its line),
// a value outside a runtime input's allowedValues, or a value with a line
// break.
std::string render(std::string_view text, const std::vector<Variable>& declared,
                   const std::vector<std::pair<std::string, Value>>& values, const RenderOptions& options);

struct Finding {
    std::string severity;  // error, warning, info
    std::string rule;      // hard-coded-secret, latest-tag, unused-input, undeclared-input, invalid
    int line = 0;
    std::string message;
};

// Lints a template: validation problems, hard-coded secrets (by key name
// and by value shape, the value masked), latest or missing image tags,
// declared inputs never used (and Harness variables never referenced),
// placeholders nobody declared.
std::vector<Finding> lint(const std::string& kind, std::string_view text, const std::vector<Variable>& declared);

// A unified diff from `before` to `after` (3 lines of context) that patch(1)
// and git apply accept; empty when equal.
std::string unified_diff(std::string_view before, std::string_view after, const std::string& before_label,
                         const std::string& after_label);

}  // namespace templates
