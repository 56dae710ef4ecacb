// Asks for an API key when the host answers 401. The key goes to
// sessionStorage (this tab only) and into Authorization headers, never into
// a URL; the form is not submitted anywhere.
import { useState } from "preact/hooks";
import { setApiKey } from "../auth";

export function KeyPrompt({ onKey, rejected }: { onKey: () => void; rejected: boolean }) {
  const [key, setKey] = useState("");
  return (
    <div class="key-prompt" role="dialog" aria-label="API key">
      <form onSubmit={(e) => { e.preventDefault(); setApiKey(key.trim()); onKey(); }}>
        <h2>This host needs an API key</h2>
        {rejected ? <p class="error">The host refused the key it was given.</p> : null}
        <label for="api-key">API key</label>
        <input id="api-key" name="api-key" type="password" autocomplete="off" required value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)} />
        <small>Kept in this tab's session storage and sent as <code>Authorization: Bearer</code>.</small>
        <div class="actions"><button type="submit">Use key</button></div>
      </form>
    </div>
  );
}
