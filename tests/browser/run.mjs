// Real-browser tests of a built site, in headless Chromium (Debian's /usr/bin/chromium),
// driven by playwright-core. Usage: node run.mjs <public folder>
// Prints one line per test and a closing "N passed, M failed" line; exits 1 on failure.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");

const site = path.resolve(process.argv[2] || "public");
const url = (p) => pathToFileURL(path.join(site, p)).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const assert = (ok, message) => { if (!ok) throw new Error(message); };

test("search from file:// finds a K'iche' word typed with another apostrophe", async (page) => {
  await page.goto(url("quc/altiplano/emprendimiento/mi-negocio/index.html"));
  // The text writes ch’ich’ (U+2019); the reader types ʼ (U+02BC).
  await page.fill("#search-q", "chʼichʼ");
  await page.waitForSelector("#search-results li a");
  const titles = await page.$$eval("#search-results li a", (as) => as.map((a) => a.textContent));
  assert(titles.length === 1 && titles[0] === "K’o pwaq pa uwi’ ri mexa", `results: ${titles}`);
  const mark = await page.textContent("#search-results mark");
  assert(mark.startsWith("ch’ich"), `highlight: ${mark}`);
  // The result leads to the session, from file://.
  await page.click("#search-results li a");
  await page.waitForLoadState();
  assert(page.url().endsWith("quc/altiplano/ahorro-credito/ahorro/index.html"), page.url());
  assert((await page.textContent("h1")) === "K’o pwaq pa uwi’ ri mexa", "landed on the session");
});

test("search folds accents and case in Spanish and French, keyboard only", async (page) => {
  await page.goto(url("fr/urban/index.html"));
  await page.focus("#search-q");
  await page.keyboard.type("ENTREES");
  await page.waitForSelector("#search-results li a");
  const first = await page.textContent("#search-results li a");
  assert(first === "L'argent de l'activité et l'argent de la maison", `first: ${first}`);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement.textContent);
  assert(focused === first, `keyboard reaches the result: ${focused}`);
  await page.goto(url("es/urban/index.html"));
  await page.fill("#search-q", "credito");
  await page.waitForSelector("#search-results li a");
  const es = await page.$$eval("#search-results li a", (as) => as.map((a) => a.textContent));
  assert(es.includes("El crédito, sin miedo y sin riesgo"), `es: ${es}`);
  // Each result has its excerpt, with the word found marked (excerpts are cut between
  // words when the index is made: a unit test of src/search/fold.rs).
  const marks = await page.$$eval("#search-results li p", (ps) => ps.map((p) => {
    const m = p.querySelector("mark");
    return m ? m.textContent.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase() : "";
  }));
  assert(marks.length === es.length && marks.every((m) => m.startsWith("credito")), `marks: ${marks}`);
  // Two words: each place either is found in an excerpt is marked.
  await page.fill("#search-q", "");
  await page.fill("#search-q", "costos fijos");
  await page.waitForSelector("#search-results li p mark");
  const both = await page.$$eval("#search-results li p", (ps) => ps.map((p) =>
    Array.from(p.querySelectorAll("mark"), (m) => m.textContent.toLowerCase())));
  assert(both.some((ms) => ms.includes("costos") && ms.includes("fijos")), `marks: ${JSON.stringify(both)}`);
});

test("French search finds elided words (l'intermédiaire from intermediaire)", async (page) => {
  await page.goto(url("fr/rural/index.html"));
  // "intermédiaire" is only written elided: "l'intermédiaire" (in the rural variant).
  await page.fill("#search-q", "intermediaire");
  await page.waitForSelector("#search-results li a");
  const fr = await page.$$eval("#search-results li a", (as) => as.length);
  assert(fr >= 1, `elided word found: ${fr}`);
  const title = await page.textContent("#search-results li a");
  assert(title === "Qui m'achète, et pourquoi ?", title);
});

test("a fallback result is marked with its language", async (page) => {
  await page.goto(url("fr/urban/index.html"));
  // Written only in Spanish: the French edition shows the Spanish session.
  await page.fill("#search-q", "variables");
  await page.waitForSelector("#search-results li a");
  const hit = await page.$eval("#search-results li", (li) => ({
    title: li.querySelector("a").textContent, lang: li.querySelector("a").lang,
    tag: li.querySelector(".search-lang") && li.querySelector(".search-lang").textContent,
    excerptLang: li.querySelector("p").lang,
  }));
  assert(hit.title === "¿Cuánto me cuesta lo que vendo?", JSON.stringify(hit));
  assert(hit.lang === "es" && hit.excerptLang === "es" && hit.tag === " (espagnol)", JSON.stringify(hit));
});

test("without JavaScript the search box leads to the list of every session", async (_page, context) => {
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await page.goto(url("es/rural/emprendimiento/mi-negocio/index.html"));
  await page.fill("#search-q", "ahorro");
  await page.press("#search-q", "Enter");
  await page.waitForLoadState();
  assert(page.url().includes("es/rural/search/index.html?q=ahorro"), page.url());
  const links = await page.$$eval("main li a", (as) => as.length);
  assert(links === 10, `every rural session listed: ${links}`);
  await page.context().close();
});

// Accessibility: axe-core, WCAG 2.1 A and AA, on a page of every kind in each language.
const kinds = (lang) => [
  "index.html",
  `${lang}/urban/index.html`,
  `${lang}/urban/emprendimiento/index.html`,
  `${lang}/urban/emprendimiento/mi-negocio/index.html`,
  `${lang}/urban/costos-precios/costos/index.html`,
  `${lang}/urban/search/index.html`,
  `${lang}/urban/print/index.html`,
  "404.html",
];
for (const lang of ["es", "fr", "quc"]) {
  test(`axe finds no WCAG 2.1 AA violation (${lang})`, async (page) => {
    const problems = [];
    for (const p of kinds(lang)) {
      await page.goto(url(p));
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(() =>
        axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
      for (const v of result.violations) {
        problems.push(`${p}: ${v.id} (${v.nodes.length}): ${v.nodes[0].target.join(" ")}`);
      }
    }
    assert(problems.length === 0, "\n  " + problems.join("\n  "));
  });
}

test("pages fit a 360 px screen without horizontal scrolling", async (page) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const wide = [];
  for (const p of kinds("es").concat(kinds("quc"))) {
    await page.goto(url(p));
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    if (w > 360) wide.push(`${p}: ${w}px`);
  }
  assert(wide.length === 0, wide.join(", "));
});

test("the header fits an old phone in every language, and the search box stays small", async (page) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const tall = [];
  for (const lang of ["es", "fr", "quc"]) {
    await page.goto(url(`${lang}/urban/emprendimiento/mi-negocio/index.html`));
    const h = await page.evaluate(() => document.querySelector(".site-header").offsetHeight);
    if (h > 170) tall.push(`${lang}: ${h}px`);
  }
  assert(tall.length === 0, `header over 170 px at 360 px: ${tall}`);
  // The switch groups say what they switch, in words anyone sees.
  const labels = await page.$$eval(".switch-label", (ps) => ps.map((p) => p.textContent));
  assert(labels.join("|") === "Idioma|Variante", labels.join("|"));
  // Results come under the box they answer; a word too short to search asks for more.
  await page.fill("#search-q", "p");
  await page.waitForSelector("#search-results .search-count");
  const [box, results] = await page.evaluate(() =>
    ["#search-q", "#search-results"].map((s) => document.querySelector(s).getBoundingClientRect()));
  assert(results.top >= box.bottom, `results at ${results.top} px, above the box's bottom at ${box.bottom} px`);
  const more = await page.textContent("#search-results .search-count");
  assert(more === "Muchas palabras empiezan por «p»: escriba más letras.", more);
  await page.setViewportSize({ width: 1800, height: 900 });
  await page.goto(url("es/urban/index.html"));
  const w = await page.evaluate(() => document.querySelector("#search-q").offsetWidth);
  assert(w <= 420, `search box ${w}px wide at 1800 px`);
});

test("the fallback notice names the page's kind, in words, and leads to the page where it is at home", async (page) => {
  const notice = async (p) => { await page.goto(url(p)); return page.textContent(".fallback-notice span"); };
  const home = await notice("quc/urban/index.html");
  const module = await notice("fr/urban/costos-precios/index.html");
  const session = await notice("fr/urban/costos-precios/costos/index.html");
  assert(home.startsWith("Esta página de inicio") && home.endsWith("en español."), home);
  assert(module.startsWith("La présentation de ce module") && module.endsWith("en espagnol."), module);
  assert(session.startsWith("Cette séance") && session !== module, session);
  await page.click(".fallback-notice a");
  await page.waitForLoadState();
  assert(page.url().endsWith("es/urban/costos-precios/costos/index.html"), page.url());
  assert((await page.$$(".fallback-notice")).length === 0, "at home: no notice");
});

test("the chooser explains the variants and says how much of each language is written", async (page) => {
  await page.goto(url("index.html"));
  const es = await page.$$eval("section[lang=es] li", (lis) => lis.map((li) => li.innerText));
  assert(es.length === 3 && es[2].includes("Altiplano de Guatemala") && es[2].includes("quetzales"), es.join(" | "));
  const fr = await page.textContent("section[lang=fr] h2");
  assert(/Français — \d+\u00a0% traduit/.test(fr), fr);
  // K'iche' readers are not told in Spanish what to do.
  const quc = await page.$$eval("section[lang=quc] p", (ps) => ps.length);
  assert(quc === 0, `paragraphs under K'iche': ${quc}`);
});

test("on a phone the module navigation opens above the page from a menu button", async (page) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(url("es/urban/emprendimiento/mi-negocio/index.html"));
  const above = () => page.evaluate(() =>
    document.getElementById("modules").getBoundingClientRect().top < document.getElementById("main").getBoundingClientRect().top);
  assert(!(await above()), "the navigation starts after the page");
  const button = page.locator(".nav-jump a");
  assert((await button.getAttribute("aria-expanded")) === "false", "closed");
  await button.click();
  assert((await button.getAttribute("aria-expanded")) === "true", "open");
  assert(await above(), "the navigation is shown above the page");
  await page.click("#modules >> text=Costos, precios y ganancia");
  await page.waitForLoadState();
  assert(page.url().endsWith("es/urban/costos-precios/index.html"), page.url());
});

test("printing hides navigation and keeps facilitator notes marked", async (page) => {
  await page.goto(url("es/urban/emprendimiento/mi-negocio/index.html"));
  await page.emulateMedia({ media: "print" });
  const shown = await page.evaluate(() => ({
    header: getComputedStyle(document.querySelector(".site-header")).display,
    nav: getComputedStyle(document.querySelector(".modules-nav")).display,
    label: getComputedStyle(document.querySelector(".facilitator .block-label")).display,
    labelText: document.querySelector(".facilitator .block-label").textContent,
  }));
  assert(shown.header === "none" && shown.nav === "none", JSON.stringify(shown));
  assert(shown.label !== "none" && shown.labelText === "Notas para quien facilita", JSON.stringify(shown));
  const pdf = await page.pdf({ format: "Letter" });
  assert(pdf.length > 1000, "Chromium prints the page");
});

test("the participant view hides the facilitator's notes, is remembered, and prints so", async (page) => {
  await page.goto(url("es/urban/emprendimiento/mi-negocio/index.html"));
  const notes = () => page.$$eval(".facilitator", (els) => els.filter((e) => e.offsetParent !== null).length);
  assert((await notes()) > 0, "notes shown in the facilitator view");
  const button = page.locator("button.view-toggle");
  assert((await button.textContent()) === "Vista para participantes", await button.textContent());
  await button.click();
  assert((await button.getAttribute("aria-pressed")) === "true", "pressed");
  assert((await notes()) === 0, "notes hidden in the participant view");
  // Another page keeps the view, the French one too (its control in French).
  await page.click(".modules-nav a >> nth=1");
  await page.waitForLoadState();
  await page.goto(url("fr/urban/emprendimiento/mi-negocio/index.html"));
  assert((await notes()) === 0, "still the participant view");
  assert((await page.textContent("button.view-toggle")) === "Vue participants", "in French");
  // Printing from the browser follows the view.
  await page.emulateMedia({ media: "print" });
  const printed = await page.evaluate(() => document.body.innerText);
  assert(!printed.includes("Arrivez 20 minutes"), "no facilitator text in print");
  await page.emulateMedia({ media: "screen" });
  await page.click("button.view-toggle");
  assert((await notes()) > 0, "back to the facilitator view");
});

test("without JavaScript a session page says where the participants' version is", async () => {
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await page.goto(url("es/urban/emprendimiento/mi-negocio/index.html"));
  const note = await page.textContent(".view-note");
  assert(note.includes("hoja para participantes"), note);
  assert((await page.getAttribute(".view-note a", "href")) === "handout.pdf", "links the handout");
  assert(await page.locator("button.view-toggle").isHidden(), "no control that cannot work");
  await page.context().close();
});

// The switchers land on the same session, from disk and over HTTP under a sub-path.
const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(req.url.split("?")[0]);
  if (!rel.startsWith("/sub/micromba/")) { res.writeHead(404); return res.end(); }
  let file = path.join(site, rel.slice("/sub/micromba/".length));
  if (file.endsWith("/")) file += "index.html";
  fs.readFile(file, (err, data) => {
    if (err) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { "Content-Type": file.endsWith(".css") ? "text/css" : file.endsWith(".js") ? "text/javascript" : "text/html" });
    res.end(data);
  });
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/sub/micromba/`;
for (const [where, start] of [["file://", url("es/rural/emprendimiento/mi-negocio/index.html")],
                              ["a sub-path", base + "es/rural/emprendimiento/mi-negocio/index.html"]]) {
  test(`the switchers land on the same session (${where})`, async (page) => {
    await page.goto(start);
    await page.click(".switch a[hreflang=fr]");
    assert(page.url().endsWith("fr/rural/emprendimiento/mi-negocio/index.html"), page.url());
    assert((await page.textContent("h1")) === "Mon activité et moi", "French session");
    await page.click("text=Altiplano");
    assert(page.url().endsWith("fr/altiplano/emprendimiento/mi-negocio/index.html"), page.url());
    // The click waits for the new page, not for its stylesheet: on a busy machine it may
    // still be on its way (this failed once under a parallel compile).
    await page.waitForLoadState("load");
    const css = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    assert(css.includes("system-ui"), "the stylesheet loaded: " + css);
  });
}

let passed = 0, failed = 0;
for (const t of tests) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await t.fn(page, context);
    passed++;
    console.log(`ok - ${t.name}`);
  } catch (e) {
    failed++;
    console.log(`FAILED - ${t.name}: ${e.message}`);
  }
  await context.close();
}
await browser.close();
server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
