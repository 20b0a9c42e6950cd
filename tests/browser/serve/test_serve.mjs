// The playground of `flywheel serve` in headless Debian chromium, driven by puppeteer-core
// (ctest browser_serve, label browser): load the page, move a slider and wait for the redraw,
// check that the chart data changed, pin and overlay, a refused value shown next to its
// slider, every teaching view drawn, export the YAML and validate it with `flywheel validate`,
// and a console without errors or warnings. Screenshots: /tmp/serve-*.png.
//   node test_serve.mjs FLYWHEEL_BINARY SOURCE_DIR
// Exit 77 (ctest: skipped) when puppeteer-core is not installed (tools/bootstrap.sh runs npm ci).
import {spawn, spawnSync} from "node:child_process";
import {createRequire} from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";

const [flywheel, source] = process.argv.slice(2);
const require = createRequire(import.meta.url);
let puppeteer;
try {
  puppeteer = require("puppeteer-core");
} catch {
  console.log("SKIP: puppeteer-core is not installed; run `npm ci` in tests/browser/serve " +
              "(tools/bootstrap.sh does)");
  process.exit(77);
}

const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

const scenario = path.join(source, "tests/data/serve-playground.yaml");
const server = spawn(flywheel, ["serve", scenario, "--port", "0"], {stdio: ["ignore", "pipe", "inherit"]});
const url = await new Promise((resolve, reject) => {
  readline.createInterface({input: server.stdout}).once("line", resolve);
  server.once("exit", (code) => reject(new Error(`flywheel serve exited with ${code}`)));
});
console.log(`server at ${url}`);

const browser = await puppeteer.launch({
  executablePath: "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const console_messages = [];
try {
  const page = await browser.newPage();
  await page.setViewport({width: 1400, height: 1000});
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warn" || m.type() === "warning") {
      console_messages.push(`${m.type()}: ${m.text()}`);
    }
  });
  page.on("pageerror", (e) => console_messages.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => {
    if (!r.failure() || r.failure().errorText !== "net::ERR_ABORTED") {
      console_messages.push(`requestfailed: ${r.url()}`);
    }
  });
  // Settled: the newest settings' last stage is drawn (doneSeq is set after its draw).
  const settled = async () => {
    await page.waitForFunction(() => {
      const s = window.__playground;
      return s && s.doneSeq === s.seq && s.run && s.chartData;
    }, {timeout: 60000});
    return page.evaluate(() => window.__playground.drawCount);
  };
  const waitRedraw = async () => settled();

  await page.goto(url, {waitUntil: "load"});
  let draws = await settled();
  check(await page.$$eval("#charts svg", (s) => s.length) >= 3, "overview charts drawn");
  check(await page.$$eval(".lever", (l) => l.length) >= 10, "levers listed");
  await page.screenshot({path: "/tmp/serve-initial.png", fullPage: true});

  // Move the activation slider as a user would: keys on the focused slider.
  const before = await page.evaluate(() => JSON.stringify(window.__playground.chartData));
  const expectBefore = await page.evaluate(() => window.__playground.expect.series.active_users.at(-1));
  const slider = '.lever[data-path="funnel.activation_per_month"] input[type=range]';
  await page.focus(slider);
  for (let i = 0; i < 20; ++i) await page.keyboard.press("ArrowRight");
  await waitRedraw(draws);
  draws = await page.evaluate(() => window.__playground.drawCount);
  const after = await page.evaluate(() => JSON.stringify(window.__playground.chartData));
  const expectAfter = await page.evaluate(() => window.__playground.expect.series.active_users.at(-1));
  check(before !== after, "chart data changed after the slider moved");
  check(expectAfter > expectBefore, `more activation, more active users (${expectBefore} -> ${expectAfter})`);
  check(await page.evaluate(() => window.__playground.settings["funnel.activation_per_month"] > 0.35),
        "the setting follows the slider");

  // Pin, move another lever, and see both in the chart with a legend.
  await page.click("#pin");
  await page.waitForFunction(() => window.__playground.pins.length === 1);
  await page.focus('.lever[data-path="funnel.adoption_per_month"] input[type=range]');
  for (let i = 0; i < 15; ++i) await page.keyboard.press("ArrowLeft");
  await waitRedraw(draws);
  draws = await page.evaluate(() => window.__playground.drawCount);
  const pinned = await page.evaluate(() => window.__playground.chartData[0].some((r) => r.source === "pinned"));
  check(pinned, "the pinned run is overlaid");
  const legend = await page.$$eval("#charts svg text", (t) => t.map((x) => x.textContent).join("|"));
  check(legend.includes("pin 1"), "the legend names the pin");
  await page.screenshot({path: "/tmp/serve-pinned.png", fullPage: true});

  // A value out of the schema's range: refused, shown next to its slider. Chromium logs the
  // intended 400 as "Failed to load resource"; that one message is expected here only.
  const logged = console_messages.length;
  const number = '.lever[data-path="funnel.activation_per_month"] input.number';
  await page.$eval(number, (e) => { e.value = "1.5"; e.dispatchEvent(new Event("change")); });
  await page.waitForFunction(() => document.querySelector(
      '.lever[data-path="funnel.activation_per_month"] .error').textContent.length > 0, {timeout: 20000});
  const error = await page.$eval('.lever[data-path="funnel.activation_per_month"] .error', (e) => e.textContent);
  check(error.includes("[0, 1]"), `the error names the range: "${error}"`);
  await page.screenshot({path: "/tmp/serve-error.png"});
  const expected400 = console_messages.splice(logged).filter((m) => !m.includes("status of 400"));
  console_messages.push(...expected400);
  await page.click("#undo");
  await waitRedraw(draws);
  draws = await page.evaluate(() => window.__playground.drawCount);
  check(await page.$eval('.lever[data-path="funnel.activation_per_month"] .error', (e) => e.textContent) === "",
        "undo clears the error");

  // Every teaching view draws.
  for (const view of ["bass", "funnel", "viral", "mrr", "community", "overview"]) {
    const n = await page.evaluate(() => window.__playground.drawCount);
    await page.click(`.tab[data-view="${view}"]`);
    await page.waitForFunction((k) => window.__playground.drawCount > k, {timeout: 20000}, n);
    const marks = await page.$$eval("#charts svg path", (p) => p.length);
    check(marks > 0, `view ${view} drawn`);
    await page.screenshot({path: `/tmp/serve-${view}.png`, fullPage: true});
  }
  draws = await page.evaluate(() => window.__playground.drawCount);

  // Export and validate.
  await page.click("#export-button");
  await page.waitForFunction(() => document.querySelector("#export-yaml").value.length > 0);
  const yaml = await page.$eval("#export-yaml", (e) => e.value);
  const command = await page.$eval("#export-command", (e) => e.textContent);
  check(command.includes("--set funnel.adoption_per_month="), `the command: ${command}`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "serve-export-")), "export.yaml");
  fs.writeFileSync(file, yaml);
  const validate = spawnSync(flywheel, ["validate", file], {encoding: "utf8"});
  check(validate.status === 0, `flywheel validate on the export: ${validate.stdout}${validate.stderr}`);

  // Reset back to the scenario.
  await page.click("#reset");
  await waitRedraw(draws);
  check(await page.evaluate(() => Object.keys(window.__playground.settings).length === 0), "reset");
  await page.screenshot({path: "/tmp/serve-final.png", fullPage: true});
} finally {
  await browser.close();
  server.kill("SIGTERM");
}
check(console_messages.length === 0, `console clean${console_messages.length ? ": " + console_messages.join("; ") : ""}`);
if (failures.length) {
  console.log(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log("all checks passed");
