// What pulled log sources read from outside the host: a Loki query_range
// answer, a CloudWatch FilterLogEvents page, and the raw bytes of a file or
// URL source split into lines and judged by the default line filter (plain
// lines by regular expression, JSON lines by their level). The first byte
// picks which; the rest is the body.
#include "signals/line_signals.hpp"
#include "signals/log_source.hpp"
#include "signals/source_answers.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace agenthost::signals;
    if (size == 0) return 0;
    std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        switch (data[0] % 3) {
            case 0:
                read_loki_answer(body, 1700000000000000000LL);
                break;
            case 1:
                read_cloudwatch_page(body);
                break;
            default: {
                static const LineFilter filter(kDefaultLineFilter);
                static const LogSourceConfig source = [] {
                    LogSourceConfig config;
                    config.service = "checkout";
                    return config;
                }();
                size_t consumed = 0;
                for (auto& text : complete_lines(body, data[0] % 2 == 0, consumed)) {
                    LogLine line;
                    line.text = std::move(text);
                    filter.signal_of(source, line);
                }
                break;
            }
        }
    } catch (const PullError&) {
    }
    return 0;
}
