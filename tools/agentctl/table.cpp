#include "table.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

namespace agentctl {
namespace {

const rapidjson::Value* find_path(const rapidjson::Value& object, const std::string& path) {
    const rapidjson::Value* at = &object;
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find('.', start);
        if (end == std::string::npos) end = path.size();
        std::string name = path.substr(start, end - start);
        if (!at->IsObject()) return nullptr;
        auto member = at->FindMember(name.c_str());
        if (member == at->MemberEnd()) return nullptr;
        at = &member->value;
        start = end + 1;
    }
    return at;
}

}  // namespace

std::string cell_text(const rapidjson::Value* value) {
    if (value == nullptr || value->IsNull()) return "-";
    if (value->IsString()) return std::string(value->GetString(), value->GetStringLength());
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value->Accept(writer);
    return buffer.GetString();
}

void print_table(std::ostream& out, const rapidjson::Value& rows, const std::vector<Column>& columns) {
    std::vector<std::vector<std::string>> lines;
    std::vector<std::string> header;
    for (const auto& column : columns) header.push_back(column.header);
    lines.push_back(header);
    if (rows.IsArray()) {
        for (const auto& row : rows.GetArray()) {
            std::vector<std::string> line;
            for (size_t i = 0; i < columns.size(); ++i) {
                if (row.IsObject()) line.push_back(cell_text(find_path(row, columns[i].path)));
                else line.push_back(i == 0 ? cell_text(&row) : "-");
            }
            lines.push_back(std::move(line));
        }
    }
    std::vector<size_t> widths(columns.size(), 0);
    for (const auto& line : lines)
        for (size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
    for (const auto& line : lines) {
        std::string text;
        for (size_t i = 0; i < line.size(); ++i) {
            text += line[i];
            if (i + 1 < line.size()) text += std::string(widths[i] - line[i].size() + 2, ' ');
        }
        out << text << "\n";
    }
}

}  // namespace agentctl
