// When a run must wait for a person before it starts, and the record of
// what is to be approved and why. Four triggers: the request asks for it,
// the operator's config requires it for the agent, the agent's manifest
// lists the requested operation, or the plugin asks at run time (handled by
// the dispatcher).
#pragma once

#include "plugins/agent_registry.hpp"
#include "runs/invocation.hpp"
#include "store/records.hpp"
#include "runs/run_settings.hpp"
#include "json/schema_validator.hpp"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace agenthost::runs {

// The approval request as JSON ({"agent","operation","reason","trigger",
// "task","requested_at","timeout_seconds"}), or nullopt when none is needed.
std::optional<std::string> approval_needed(const InvokeRequest& request, const plugins::AgentRegistry& registry,
                                           const RunSettings& settings);

// Why the operation a request asks for cannot happen on this host, or
// nullopt: the manifest says it runs programs (needs_exec) and the agent's
// exec settings would run none. Refused before anyone is asked to approve
// it, or a run waits for a person only to fail once approved.
std::optional<std::string> unrunnable_operation(const InvokeRequest& request, const plugins::AgentRegistry& registry);

// An approval asked for by the plugin while it ran. `approved_before` are
// the operations already approved for this run: they stay approved (kept in
// the document's "approved_operations"), so a run that asks twice finishes.
std::string runtime_approval(const std::string& agent, const std::string& task, const std::string& plugin_request_json,
                             const RunSettings& settings, const std::set<std::string>& approved_before,
                             const std::vector<std::string>& resume_before = {});

// Interrupts (abi.h, callback_run_interrupt) pause a run the way approvals
// do: the run waits in pending_approval with this document as its
// "approval", which says "kind": "interrupt" and carries the question
// ("interrupt": {"question", "schema"?, "details"?, "index"}), plus the
// answers given so far ("resume_values") and the operations approved
// before. `resume_before` are answers as JSON text.
std::string interrupt_approval(const std::string& agent, const std::string& task, const std::string& plugin_request_json,
                               const RunSettings& settings, const std::set<std::string>& approved_before,
                               const std::vector<std::string>& resume_before);
// A pause the host makes itself, without the plugin: a workflow step's
// interrupt_before or interrupt_after ("trigger" names which).
std::string step_interrupt(const std::string& agent, const std::string& task, const std::string& step,
                           const std::string& trigger, double timeout_seconds);
// True when the document is an interrupt's (resumed with a value), false for
// an approval (a yes or no).
bool is_interrupt(const std::string& approval_json);
// The trigger of a pause: "request", "config", "manifest", "plugin",
// "interrupt", "interrupt_before" or "interrupt_after".
std::string approval_trigger(const std::string& approval_json);
// Why `resume` (JSON) does not answer the interrupt: each problem as a
// field ("/resume/...") and message; empty when it fits its schema.
std::vector<json::Violation> check_resume(const std::string& approval_json, const rapidjson::Value& resume);
// The interrupt resumed: a decision added (approved, by `approver`), and
// `resume_json`, when there is one, appended to "resume_values".
std::string resumed_approval(const std::string& approval_json, const std::string& approver, const std::string& comment,
                             const std::optional<std::string>& resume_json, long long at_ms);
// The answers people gave the run so far, as JSON text, in order (none
// unless the state is approved).
std::vector<std::string> resume_values(const std::string& approval_state, const std::string& approval_json);

// interrupt_after on a workflow step: true when the run's document asks
// for a pause once the step has run and that pause has not happened yet.
bool wants_pause_after(const std::string& approval_json);
// The interrupt_after pause of a step that succeeded: its document, with the
// step's result kept in it ("result") until someone resumes it.
std::string pause_after(const store::RunRecord& run, const std::string& result_json, const RunSettings& settings);
// A new pause's document keeps an interrupt_after still to come from the
// document it replaces (a step that also asked a person while it ran).
std::string keep_pause_after(const std::string& new_approval_json, const std::string& old_approval_json);
// The result an approved interrupt_after pause kept: the step is not run
// again; nullopt for every other run.
std::optional<std::string> result_kept_by_pause(const std::string& approval_state, const std::string& approval_json);

// The approval with a decision added.
std::string decided_approval(const std::string& approval_json, bool approved, const std::string& approver,
                             const std::string& comment, long long at_ms);

// The operations an approved run may now perform: the one just approved and
// every one approved earlier in the run (none unless the state is approved).
std::set<std::string> approved_operations(const std::string& approval_state, const std::string& approval_json);

// The request's run options as stored with the run ("" when all default).
std::string options_json(const RunOptions& options);
// Loop bound stored in the run's options (0: no loop).
int loop_max_iterations(const std::string& options_json);

}  // namespace agenthost::runs
