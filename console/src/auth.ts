// The API key the console sends, kept in sessionStorage (gone when the tab
// closes) and only ever sent in the Authorization header, never in a URL.
const storageKey = "agenthost.apiKey";

export function apiKey(): string {
  try {
    return sessionStorage.getItem(storageKey) ?? "";
  } catch {
    return "";
  }
}

export function setApiKey(key: string): void {
  if (key) sessionStorage.setItem(storageKey, key);
  else sessionStorage.removeItem(storageKey);
}
