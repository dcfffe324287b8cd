// A CMS's webhook endpoint on loopback for the contract tests: every POST is verified with the reference Standard
// Webhooks library (npm standardwebhooks) and the tenant's secret (argv[2]); 204 when it verifies, 400 when not.
// Prints {"url": ...} once listening, then one JSON line per delivery; ends when its standard input closes.
import http from "node:http";
import { Webhook } from "standardwebhooks";

const webhook = new Webhook(process.argv[2]);
const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const headers = {
      "webhook-id": request.headers["webhook-id"] ?? "",
      "webhook-timestamp": request.headers["webhook-timestamp"] ?? "",
      "webhook-signature": request.headers["webhook-signature"] ?? "",
    };
    let report;
    try {
      const payload = webhook.verify(body, headers);
      report = { verified: true, type: payload.type, videoId: payload.data.videoId, headers, body };
      response.writeHead(204).end();
    } catch (error) {
      report = { verified: false, error: String(error?.message ?? error), headers };
      response.writeHead(400).end();
    }
    process.stdout.write(JSON.stringify(report) + "\n");
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}/cms/webhooks` }) + "\n"));
process.stdin.on("end", () => server.close(() => process.exit(0)));
process.stdin.resume();
