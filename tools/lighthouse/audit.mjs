// Google Lighthouse 12.2.3 over the built book, one Chromium for every page (Debian's, never one
// Lighthouse downloads). Prints one JSON object: {page: {formFactor: {category: score, ...}}}.
//   node tools/lighthouse/audit.mjs <base-url> <categories,comma-separated> <desktop|mobile>... -- <page>...
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const args = process.argv.slice(2);
const split = args.indexOf("--");
const [base, categories, ...formFactors] = args.slice(0, split);
const pages = args.slice(split + 1);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
const scores = {};
try {
  for (const page of pages) {
    scores[page] = {};
    for (const formFactor of formFactors) {
      const desktop = formFactor === "desktop";
      const result = await lighthouse(base + page, {
        port: chrome.port, output: "json", logLevel: "error",
        onlyCategories: categories.split(","),
      }, desktop ? {
        extends: "lighthouse:default",
        settings: {formFactor: "desktop", screenEmulation: {mobile: false, width: 1350,
          height: 940, deviceScaleFactor: 1, disabled: false},
          throttling: {rttMs: 40, throughputKbps: 10240, cpuSlowdownMultiplier: 1,
            requestLatencyMs: 0, downloadThroughputKbps: 0, uploadThroughputKbps: 0}},
      } : undefined);
      const lhr = result.lhr;
      const entry = {};
      for (const [id, category] of Object.entries(lhr.categories)) {
        entry[id] = category.score;
        // what lost points, so a failing test says why
        entry[id + ":failed"] = category.auditRefs
          .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null
                  && lhr.audits[ref.id].score < 1)
          .map((ref) => ref.id);
      }
      if (lhr.audits["total-byte-weight"]) {
        entry["transfer_bytes"] = lhr.audits["total-byte-weight"].numericValue;
      }
      scores[page][formFactor] = entry;
    }
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(scores, null, 1) + "\n");
