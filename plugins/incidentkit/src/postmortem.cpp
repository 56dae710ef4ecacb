// The postmortem draft: summary, impact, timeline, root cause with its
// evidence, the other hypotheses, the templates seen and the action items.
#include <cstdio>

#include "incident.hpp"

namespace incident {
namespace {

// Table cells hold one line without pipes.
std::string cell(std::string text) {
    for (char& c : text)
        if (c == '|') c = '/';
        else if (c == '\n' || c == '\r') c = ' ';
    if (text.size() > 160) text = text.substr(0, 157) + "...";
    return text;
}

}  // namespace

std::string postmortem_markdown(const Analysis& analysis, const Input& input, const std::string& title) {
    std::string md = "# Postmortem: " + title + "\n\n";
    md += "_Draft written by incident_agent from " + std::to_string(analysis.lines) +
          " log lines; check every statement before publishing._\n\n";
    md += "## Summary\n\n" + analysis.summary + "\n\n";

    md += "## Impact\n\n";
    if (analysis.first_error) {
        const Burst& burst = analysis.burst;
        md += "- First error: " + format_time(analysis.first_error->time) + " (line " +
              std::to_string(analysis.first_error->line) + ")\n";
        md += "- Largest burst: " + std::to_string(burst.errors) + " errors";
        if (!std::isnan(burst.start))
            md += " from " + format_time(burst.start) + " to " + format_time(burst.end) + " (" +
                  std::to_string(static_cast<long long>((burst.end - burst.start) / 60)) + " min), peak " +
                  std::to_string(static_cast<long long>(burst.peak_per_minute)) + " errors a minute";
        md += "\n";
    } else {
        md += "- No error lines in the logs given.\n";
    }
    if (input.lines_outside_window > 0)
        md += "- " + std::to_string(input.lines_outside_window) + " lines outside the window were left out\n";
    md += "\n## Timeline (UTC)\n\n| Time | Event | Detail |\n|---|---|---|\n";
    for (const auto& entry : analysis.timeline)
        md += "| " + format_time(entry.time) + " | " + entry.kind + " | " + cell(entry.text) + " |\n";

    md += "\n## Root cause (most likely)\n\n";
    if (analysis.hypotheses.empty()) {
        md += "No hypothesis: the logs hold no warning or error that explains an incident.\n";
    } else {
        const Hypothesis& top = analysis.hypotheses.front();
        md += "**" + top.title + "** (score " + score_text(top.score) + ")\n\n" + "Why: " + top.reasoning + ".\n\nEvidence:\n\n```\n";
        for (const auto& line : top.evidence) md += line + "\n";
        md += "```\n";
        if (analysis.hypotheses.size() > 1) {
            md += "\n### Other hypotheses\n\n";
            for (std::size_t i = 1; i < analysis.hypotheses.size() && i < 6; ++i)
                md += std::to_string(i + 1) + ". " + analysis.hypotheses[i].title + " (score " +
                      score_text(analysis.hypotheses[i].score) + ")\n";
        }
    }

    md += "\n## Log templates\n\n| Lines | Errors | First seen | Last seen | Template |\n|---:|---:|---|---|---|\n";
    for (std::size_t i = 0; i < analysis.clusters.size() && i < 10; ++i) {
        const Cluster& c = analysis.clusters[i];
        md += "| " + std::to_string(c.count) + " | " + std::to_string(c.errors) + " | " + format_time(c.first_seen) +
              " | " + format_time(c.last_seen) + " | `" + cell(c.template_text()) + "` |\n";
    }

    md += "\n## Action items\n\n";
    if (!analysis.hypotheses.empty())
        for (const auto& step : analysis.hypotheses.front().remediation) md += "- [ ] " + step + "\n";
    md += "- [ ] Add an alert that would have fired at the first error burst\n";
    md += "\n## Lessons learned\n\n- What went well:\n- What went wrong:\n- Where we got lucky:\n";
    return md;
}

}  // namespace incident
