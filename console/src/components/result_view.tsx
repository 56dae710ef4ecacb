// A run's result: the JSON, and each artifact ({path, content, media_type})
// shown and downloadable (a Blob made in the page: nothing is fetched).
import type { Artifact, Run } from "../types";
import { Json } from "./common";

function artifactsOf(result: unknown): Artifact[] {
  const list = (result as { artifacts?: unknown } | null)?.artifacts;
  if (!Array.isArray(list)) return [];
  return list.filter((a): a is Artifact => typeof a?.path === "string" && typeof a?.content === "string");
}

function download(artifact: Artifact) {
  const blob = new Blob([artifact.content], { type: artifact.media_type || "text/plain" });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = artifact.path.split("/").pop() || "artifact";
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ResultView({ run }: { run: Run }) {
  const artifacts = artifactsOf(run.result);
  return (
    <div class="result">
      {run.error ? (
        <p class="error" role="alert"><strong>{run.error_type ?? "error"}: </strong>{run.error}</p>
      ) : null}
      {run.result !== null ? <Json value={run.result} /> : null}
      {run.result === null && !run.error ? <p class="muted">No result yet.</p> : null}
      {artifacts.length ? (
        <>
          <h3>Artifacts</h3>
          {artifacts.map((artifact) => (
            <details class="artifact">
              <summary>
                {artifact.path} <span class="muted">{artifact.media_type}</span>{" "}
                <button type="button" onClick={(e) => { e.preventDefault(); download(artifact); }}>Download</button>
              </summary>
              <pre>{artifact.content}</pre>
            </details>
          ))}
        </>
      ) : null}
    </div>
  );
}
