// A `.env` file in the working directory, as the seeds' Python services
// read it (python-dotenv): KEY=VALUE lines, `#` comments, optional
// `export `, single or double quotes. Values already in the environment
// win, so a deployment's real environment is never overridden by a file
// left in the directory.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace agenthost {

// The file's assignments in order; throws ConfigError naming the line of
// anything that is not one.
std::vector<std::pair<std::string, std::string>> parse_dotenv(const std::string& text, const std::string& source);

// Reads `path` if it exists and sets each variable not already set.
// Returns the names it set (for the start-up log; never the values).
std::vector<std::string> load_dotenv(const std::string& path);

}  // namespace agenthost
