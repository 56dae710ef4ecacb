#include "store/row_reader.hpp"

namespace agenthost::store {

std::string text_at(const soci::row& row, size_t index) {
    if (row.get_indicator(index) == soci::i_null) return {};
    switch (row.get_properties(index).get_data_type()) {
        case soci::dt_string: return row.get<std::string>(index);
        case soci::dt_integer: return std::to_string(row.get<int>(index));
        case soci::dt_long_long: return std::to_string(row.get<long long>(index));
        case soci::dt_unsigned_long_long: return std::to_string(row.get<unsigned long long>(index));
        case soci::dt_double: return std::to_string(row.get<double>(index));
        default: return row.get<std::string>(index);
    }
}

long long integer_at(const soci::row& row, size_t index) {
    if (row.get_indicator(index) == soci::i_null) return 0;
    switch (row.get_properties(index).get_data_type()) {
        case soci::dt_integer: return row.get<int>(index);
        case soci::dt_long_long: return row.get<long long>(index);
        case soci::dt_unsigned_long_long: return static_cast<long long>(row.get<unsigned long long>(index));
        case soci::dt_double: return static_cast<long long>(row.get<double>(index));
        case soci::dt_string: return std::stoll(row.get<std::string>(index));
        default: return row.get<long long>(index);
    }
}

}  // namespace agenthost::store
