// verify.js SECRET [PATH]: reads duban-receiver's JSON-lines log on stdin and
// verifies every request on PATH (all when omitted) that carries webhook-*
// headers with the standardwebhooks reference implementation (npm). Also
// checks that a tampered body is rejected, so the check itself can fail.
// Prints "verified N" and exits 1 when any request does not verify.
const { Webhook } = require("standardwebhooks");
const readline = require("readline");
const [secret, path] = process.argv.slice(2);
const wh = new Webhook(secret);
let ok = 0, bad = 0, tamperAccepted = 0;
const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  if (!line.trim()) return;
  const r = JSON.parse(line);
  if (path && r.path !== path) return;
  if (!r.webhook_id) return;
  const headers = {
    "webhook-id": r.webhook_id,
    "webhook-timestamp": r.webhook_timestamp,
    "webhook-signature": r.webhook_signature,
  };
  try {
    const payload = wh.verify(r.body, headers);
    if (payload.id !== r.webhook_id) throw new Error("CloudEvent id != webhook-id");
    ok++;
  } catch (e) {
    bad++;
    console.error("not verified:", r.webhook_id, e.message);
  }
  try {
    wh.verify(r.body.replace("督办", "督察"), headers);
    tamperAccepted++;
  } catch (e) { /* expected */ }
});
rl.on("close", () => {
  console.log(`verified ${ok}, failed ${bad}, tampered accepted ${tamperAccepted}`);
  process.exit(bad || tamperAccepted || !ok ? 1 : 0);
});
