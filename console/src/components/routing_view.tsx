// How the supervisors chose a run's agent: the path down the supervisor
// tree, the method and reason, and each candidate's score.
import { Json } from "./common";

interface Candidate {
  agent?: string;
  domain?: string;
  score?: number;
  matched_terms?: string[];
}

interface Routing {
  supervisor_path?: string[];
  method?: string;
  reason?: string;
  candidates?: Candidate[];
}

export function RoutingView({ routing }: { routing: unknown }) {
  const decision = (routing ?? {}) as Routing;
  const candidates = Array.isArray(decision.candidates) ? decision.candidates : [];
  return (
    <div class="routing">
      {Array.isArray(decision.supervisor_path) ? <p class="path">{decision.supervisor_path.join(" → ")}</p> : null}
      {decision.method || decision.reason ? (
        <p>{decision.method ? <strong>{decision.method}: </strong> : null}{decision.reason}</p>
      ) : null}
      {candidates.length ? (
        <table>
          <thead><tr><th>Candidate</th><th>Domain</th><th>Score</th><th>Matched terms</th></tr></thead>
          <tbody>
            {candidates.map((candidate) => (
              <tr data-agent={candidate.agent}>
                <td>{candidate.agent}</td>
                <td>{candidate.domain}</td>
                <td class="score">{typeof candidate.score === "number" ? candidate.score.toFixed(3) : ""}</td>
                <td>{(candidate.matched_terms ?? []).join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <details><summary>As JSON</summary><Json value={routing} /></details>
    </div>
  );
}
