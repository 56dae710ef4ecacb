// The service a free-text task names, shared by every agent that reads one
// (kubernetes_agent, harness_expert, deployment_agent, monitoring_agent).
// Only phrasings that cannot mean anything else count: a name introduced as
// one ("called orders-api", "named 'ledger'", service "cart"), a word before
// a kind after an article ("the checkout service", "a ledger worker"), or a
// hyphenated name after "for", "of", "deploy" or "run" ("for orders-api").
// Never whatever word follows "to", "for" or "service": outsiders found
// "Deploy my application to Kubernetes" named `to` and "a Python service
// deploying to prod" named `deploying`. Filler words (articles, languages,
// frameworks, environments, adjectives) are skipped.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace devkit {

// The name as written (lower-cased when it is letters, digits and '-'
// only); the caller validates it (a DNS label, a length) and refuses rather
// than mangles. nullopt: the task names no service.
std::optional<std::string> service_name_from_task(std::string_view task);

// True for words that read as a name in "the X service" but never are one.
bool is_name_filler(std::string_view word);

}  // namespace devkit
