// Lighthouse (mobile) on a session page served over HTTP: accessibility must be 100 and
// performance at least 95. Usage: node lighthouse.mjs <public folder>
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const site = path.resolve(process.argv[2] || "public");
const types = { ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg" };
const server = http.createServer((req, res) => {
  let file = path.join(site, decodeURIComponent(req.url.split("?")[0]));
  if (file.endsWith("/")) file += "index.html";
  fs.readFile(file, (err, data) => {
    if (err) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/octet-stream" });
    res.end(data);
  });
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || "/usr/bin/chromium",
  chromeFlags: ["--headless", "--no-sandbox", "--disable-gpu"],
});
let failed = 0;
for (const page of ["es/urban/emprendimiento/mi-negocio/index.html", "fr/urban/costos-precios/costos/index.html"]) {
  const url = `http://127.0.0.1:${server.address().port}/${page}`;
  const result = await lighthouse(url, { port: chrome.port, onlyCategories: ["accessibility", "performance"], logLevel: "error" });
  const { accessibility, performance } = result.lhr.categories;
  const ok = accessibility.score === 1 && performance.score >= 0.95;
  if (!ok) failed++;
  console.log(`${ok ? "ok" : "FAILED"} - Lighthouse ${page}: accessibility ${Math.round(accessibility.score * 100)}, performance ${Math.round(performance.score * 100)}`);
}
await chrome.kill();
server.close();
process.exit(failed ? 1 : 0);
