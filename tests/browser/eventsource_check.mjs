// Seed 001's JavaScript client, as written there: new EventSource() on
// GET /agent/stream (EventSource cannot POST). Uses the npm `eventsource`
// package, the W3C EventSource for Node.
//
//   node eventsource_check.mjs NPM_DIR URL
//
// Prints one JSON line: {"types": [...event types in order], "ids": [...],
// "done": <the done frame's data or null>, "error": <string or null>}.
import { createRequire } from "node:module";
import { join } from "node:path";

const [npmDir, url] = process.argv.slice(2);
const require = createRequire(join(npmDir, "package.json"));
const EventSource = require("eventsource");

const seen = { types: [], ids: [], done: null, error: null };
const source = new EventSource(url);
const finish = () => {
  source.close();
  console.log(JSON.stringify(seen));
  process.exit(0);
};
source.onmessage = (message) => {
  seen.ids.push(message.lastEventId);
  try {
    seen.types.push(JSON.parse(message.data).type);
  } catch (error) {
    seen.types.push("unparsable: " + message.data);
  }
};
source.addEventListener("done", (message) => {
  seen.done = message.data;
  finish();
});
source.onerror = (error) => {
  // The server ends the stream after "done"; anything before it is a failure.
  if (seen.done === null) seen.error = String(error && (error.message || error.status || error.type));
  finish();
};
setTimeout(() => {
  seen.error = "timed out";
  finish();
}, 15000);
