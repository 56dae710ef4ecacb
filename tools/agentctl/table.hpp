// `-o table`: a JSON array of objects printed as aligned columns.
#pragma once

#include <rapidjson/document.h>

#include <ostream>
#include <string>
#include <vector>

namespace agentctl {

struct Column {
    std::string header;
    std::string path;  // member name, nested with dots ("approval.state")
};

// One line per element of `rows` (objects; a string element fills the first
// column), "-" for missing or null values.
void print_table(std::ostream& out, const rapidjson::Value& rows, const std::vector<Column>& columns);

// A value as table text: strings bare, others as compact JSON.
std::string cell_text(const rapidjson::Value* value);

}  // namespace agentctl
