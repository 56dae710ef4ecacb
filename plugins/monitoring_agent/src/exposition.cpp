// Readers for metrics samples: the Prometheus text exposition format and
// the JSON the Prometheus query API returns for a range (or instant) query.
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

#include "monitoring.hpp"

namespace monitoring {
namespace {

bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':'; }
bool name_char(char c) { return name_start(c) || std::isdigit(static_cast<unsigned char>(c)); }

// Go's strconv.ParseFloat forms the format allows, NaN and ±Inf included.
bool parse_number(const std::string& token, double& value) {
    if (token == "+Inf" || token == "Inf" || token == "inf" || token == "+inf") {
        value = INFINITY;
        return true;
    }
    if (token == "-Inf" || token == "-inf") {
        value = -INFINITY;
        return true;
    }
    if (token == "NaN" || token == "nan") {
        value = NAN;
        return true;
    }
    if (token.empty()) return false;
    char* end = nullptr;
    value = std::strtod(token.c_str(), &end);
    return end == token.c_str() + token.size();
}

class LineReader {
  public:
    LineReader(std::string_view line, std::string where) : line_(line), where_(std::move(where)) {}

    Sample sample() {
        Sample sample;
        sample.name = name();
        if (sample.name.empty()) fail("expected a metric name");
        skip_spaces();
        if (peek() == '{') sample.labels = labels();
        skip_spaces();
        std::string token = word();
        if (!parse_number(token, sample.value)) fail("'" + token + "' is not a sample value");
        skip_spaces();
        std::string timestamp = word();
        double ignored = 0;
        if (!timestamp.empty() && !parse_number(timestamp, ignored)) fail("'" + timestamp + "' is not a timestamp");
        skip_spaces();
        if (at_ < line_.size()) fail("unexpected text after the sample");
        return sample;
    }

  private:
    [[noreturn]] void fail(const std::string& why) const { throw InputError(where_ + ": " + why); }
    char peek() const { return at_ < line_.size() ? line_[at_] : '\0'; }
    void skip_spaces() {
        while (at_ < line_.size() && (line_[at_] == ' ' || line_[at_] == '\t')) ++at_;
    }
    std::string name() {
        std::size_t start = at_;
        if (!name_start(peek())) return {};
        while (at_ < line_.size() && name_char(line_[at_])) ++at_;
        return std::string(line_.substr(start, at_ - start));
    }
    std::string word() {
        std::size_t start = at_;
        while (at_ < line_.size() && line_[at_] != ' ' && line_[at_] != '\t') ++at_;
        return std::string(line_.substr(start, at_ - start));
    }
    std::map<std::string, std::string> labels() {
        std::map<std::string, std::string> labels;
        ++at_;  // '{'
        for (;;) {
            skip_spaces();
            if (peek() == '}') {
                ++at_;
                return labels;
            }
            std::string label = name();
            if (label.empty()) fail("expected a label name");
            skip_spaces();
            if (peek() != '=') fail("expected '=' after label " + label);
            ++at_;
            skip_spaces();
            if (peek() != '"') fail("the value of label " + label + " must be quoted");
            ++at_;
            std::string value;
            for (;;) {
                if (at_ >= line_.size()) fail("unterminated value of label " + label);
                char c = line_[at_++];
                if (c == '"') break;
                if (c == '\\') {
                    if (at_ >= line_.size()) fail("unterminated escape in label " + label);
                    char escaped = line_[at_++];
                    value += escaped == 'n' ? '\n' : escaped;
                } else {
                    value += c;
                }
            }
            labels[label] = value;
            skip_spaces();
            if (peek() == ',') ++at_;
            else if (peek() != '}') fail("expected ',' or '}' after label " + label);
        }
    }

    std::string_view line_;
    std::string where_;
    std::size_t at_ = 0;
};

double json_number(const rapidjson::Value& value, const std::string& path) {
    if (value.IsNumber()) return value.GetDouble();
    double number = 0;
    if (value.IsString() && parse_number(value.GetString(), number)) return number;
    throw InputError(path + " must be a number (or a string holding one)");
}

std::pair<double, double> json_point(const rapidjson::Value& point, const std::string& path) {
    if (!point.IsArray() || point.Size() != 2) throw InputError(path + " must be [unix_seconds, \"value\"]");
    return {json_number(point[0], path + "[0]"), json_number(point[1], path + "[1]")};
}

}  // namespace

Exposition parse_exposition(std::string_view text, const std::string& field) {
    Exposition exposition;
    std::size_t number = 0;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        ++number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::size_t first = line.find_first_not_of(" \t");
        if (first == std::string_view::npos) continue;
        line.remove_prefix(first);
        if (line.front() == '#') {
            // "# TYPE name type"; HELP and other comments are skipped.
            if (line.substr(0, 7) == "# TYPE ") {
                std::string rest(line.substr(7));
                const std::size_t space = rest.find(' ');
                if (space != std::string::npos) exposition.types[rest.substr(0, space)] = rest.substr(space + 1);
            }
            continue;
        }
        Sample sample = LineReader(line, field + " line " + std::to_string(number)).sample();
        sample.line = number;
        sample.text = std::string(line);
        exposition.samples.push_back(std::move(sample));
    }
    if (exposition.samples.empty()) throw InputError(field + " holds no samples");
    return exposition;
}

std::vector<Series> parse_series(const rapidjson::Value& value, const std::string& field) {
    const rapidjson::Value* list = &value;
    std::string path = field;
    if (value.IsObject()) {
        if (const rapidjson::Value* data = devkit::field(value, "data")) {
            list = devkit::field(*data, "result");
            path += ".data.result";
        } else {
            list = devkit::field(value, "result");
            path += ".result";
        }
        if (list == nullptr) throw InputError(field + " must be a list of series or a query response with data.result");
    }
    if (!list->IsArray()) throw InputError(path + " must be a list of series");
    std::vector<Series> series;
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
        const rapidjson::Value& entry = (*list)[i];
        const std::string at = path + "[" + std::to_string(i) + "]";
        const rapidjson::Value* metric = devkit::field(entry, "metric");
        if (metric == nullptr || !metric->IsObject()) throw InputError(at + ".metric must be an object of labels");
        Series one;
        for (const auto& label : metric->GetObject()) {
            if (!label.value.IsString()) throw InputError(at + ".metric." + label.name.GetString() + " must be a string");
            std::string name = label.name.GetString();
            if (name == "__name__") one.name = label.value.GetString();
            else one.labels[name] = label.value.GetString();
        }
        if (one.name.empty()) throw InputError(at + ".metric.__name__ is required");
        if (const rapidjson::Value* values = devkit::field(entry, "values")) {
            if (!values->IsArray()) throw InputError(at + ".values must be a list of [unix_seconds, \"value\"]");
            for (rapidjson::SizeType j = 0; j < values->Size(); ++j)
                one.points.push_back(json_point((*values)[j], at + ".values[" + std::to_string(j) + "]"));
        } else if (const rapidjson::Value* point = devkit::field(entry, "value")) {
            one.points.push_back(json_point(*point, at + ".value"));
        } else {
            throw InputError(at + " needs values (a range) or value (an instant)");
        }
        for (std::size_t j = 1; j < one.points.size(); ++j)
            if (one.points[j].first <= one.points[j - 1].first)
                throw InputError(at + ".values must be in increasing time order (at index " + std::to_string(j) + ")");
        series.push_back(std::move(one));
    }
    if (series.empty()) throw InputError(path + " holds no series");
    return series;
}

}  // namespace monitoring
