// The console's shell: navigation, the page for the current hash route, and
// the key prompt whenever the host answers 401.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { whenUnauthenticated } from "./api";
import { apiKey, setApiKey } from "./auth";
import { KeyPrompt } from "./components/key_prompt";
import { AgentPage } from "./pages/agent";
import { AgentsPage } from "./pages/agents";
import { ApprovalsPage } from "./pages/approvals";
import { HealthPage } from "./pages/health";
import { PluginsPage } from "./pages/plugins";
import { RunPage } from "./pages/run";
import { RunsPage } from "./pages/runs";
import { WebhookPage, WebhooksPage } from "./pages/webhooks";
import { WorkflowPage, WorkflowsPage } from "./pages/workflows";
import { type Route, useRoute } from "./router";

const sections: [string, string][] = [
  ["agents", "Agents"],
  ["runs", "Runs"],
  ["approvals", "Approvals"],
  ["workflows", "Workflows"],
  ["webhooks", "Webhooks"],
  ["plugins", "Plugins"],
  ["health", "Health"],
];

function Page({ route }: { route: Route }) {
  const [section, id] = route.parts;
  switch (section) {
    case "agents": return id ? <AgentPage name={id} /> : <AgentsPage />;
    case "runs": return id ? <RunPage id={id} /> : <RunsPage query={route.query} />;
    case "approvals": return <ApprovalsPage />;
    case "workflows": return id ? <WorkflowPage id={id} /> : <WorkflowsPage />;
    case "webhooks": return id ? <WebhookPage id={id} /> : <WebhooksPage />;
    case "plugins": return <PluginsPage />;
    case "health": return <HealthPage />;
    default: return <AgentsPage />;
  }
}

function App() {
  const route = useRoute();
  const [asking, setAsking] = useState(false);
  const [rejected, setRejected] = useState(false);
  // Bumped when a key is entered: the page remounts and reads again.
  const [generation, setGeneration] = useState(0);
  useEffect(() => whenUnauthenticated(() => {
    setRejected(apiKey() !== "");
    setAsking(true);
  }), []);
  const section = route.parts[0] ?? "agents";
  return (
    <>
      <header>
        <a class="brand" href="#/agents">agenthost</a>
        <nav>
          {sections.map(([name, title]) => (
            <a href={"#/" + name} class={section === name ? "current" : ""}>{title}</a>
          ))}
        </nav>
        <span class="key-state">
          {apiKey() ? (
            <button type="button" class="link" onClick={() => { setApiKey(""); setGeneration((g) => g + 1); }}>Forget key</button>
          ) : (
            <button type="button" class="link" onClick={() => { setRejected(false); setAsking(true); }}>Enter key</button>
          )}
        </span>
      </header>
      <main key={generation}>
        <Page route={route} />
      </main>
      {asking ? <KeyPrompt rejected={rejected} onKey={() => { setAsking(false); setGeneration((g) => g + 1); }} /> : null}
    </>
  );
}

render(<App />, document.getElementById("app")!);
