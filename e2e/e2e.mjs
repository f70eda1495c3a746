// Browser tests for madoguchi's public pages, run by crates/web/tests/e2e.rs with
// MADOGUCHI_E2E=1 against a live server at $MADOGUCHI_URL.
// - axe-core finds no WCAG 2.x A/AA violation on each page type;
// - with JavaScript disabled, a search and a full guided path reach a window's phone link;
// - each of the original page's three groups reaches a tel: or form link in two taps;
// - a window's page lists every fact with its date and source, and shows conflicting hours;
// - screenshots at 390×844 and 1280×800 go to e2e/screenshots/ for review.
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";

const base = process.env.MADOGUCHI_URL;
if (!base) {
  console.error("MADOGUCHI_URL is not set");
  process.exit(2);
}
const shots = new URL("./screenshots/", import.meta.url).pathname;
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});

const failures = [];
const fail = (message) => { failures.push(message); console.log("FAIL " + message); };
const pass = (message) => console.log("ok   " + message);

const pages = [
  ["home", "/"],
  ["search", "/search?q=" + encodeURIComponent("LINEで悪口を書かれた")],
  ["crisis", "/search?q=" + encodeURIComponent("死にたい")],
  ["guide", "/guide?situation=defamation"],
  ["guide-answer", "/guide?situation=defamation&outcome=consult&who=adult&where=saga"],
  ["category", "/categories/report"],
  ["window", "/windows/consumer-hotline-188"],
  ["window-conflict", "/windows/saga-suicide-night"],
  ["windows", "/windows"],
  ["about", "/about"],
  ["not-found", "/no-such-page"],
];

for (const [width, height] of [[390, 844], [1280, 800]]) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  for (const [name, path] of pages) {
    await page.goto(base + path);
    if (width === 390) {
      const result = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
        .analyze();
      if (result.passes.length === 0) {
        fail(`axe ${name}: no rule ran, so the check proves nothing`);
      } else if (result.violations.length) {
        fail(`axe ${name}: ` + result.violations.map((v) => `${v.id} (${v.nodes.length})`).join(", "));
      } else {
        pass(`axe ${name}: no violation`);
      }
    }
    await page.screenshot({ path: `${shots}${name}-${width}x${height}.png`, fullPage: true });
  }
  await context.close();
}

// Without JavaScript.
const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
const page = await noJs.newPage();
const cardPhone = async () => page.locator(".card a.button[href^='tel:']").first().getAttribute("href").catch(() => null);

await page.goto(base + "/");
await page.fill("#q", "LINEで悪口を書かれた");
await page.click("form.search button[type=submit]");
await page.waitForLoadState();
const searchPhone = await cardPhone();
searchPhone ? pass(`no-JS search reaches ${searchPhone}`) : fail("no-JS search: no phone link on the results page");

await page.goto(base + "/");
await page.click("text=質問に答えて探す");
for (const choice of ["誹謗中傷・悪口", "相談したい", "大人", "佐賀県"]) {
  await page.click(`.options a:text-is("${choice}")`);
}
const guidePhone = await cardPhone();
guidePhone ? pass(`no-JS guided path reaches ${guidePhone}`) : fail("no-JS guided path: no phone link on the answer page");
await page.goBack();
(await page.locator("h1").textContent()).includes("住んで") ? pass("back button returns to the last question") : fail("back button");

// Two taps from home for each of the page's three groups.
await page.goto(base + "/");
const groups = await page.locator("ul.groups:not(.small) a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
if (groups.length !== 3) fail(`expected 3 page groups on home, found ${groups.length}`);
for (const href of groups) {
  await page.goto(base + "/");
  await page.click(`a[href='${href}']`);
  const action = await page.locator(".card a.button").first().getAttribute("href");
  /^(tel:|https:)/.test(action || "") ? pass(`two taps: ${href} → ${action}`) : fail(`two taps: ${href} has no tel/form link`);
}
// A window's page shows each fact with its date and sources, and sources that disagree.
await page.goto(base + "/windows/saga-suicide-night");
const facts = await page.locator("ul.facts li").count();
const dated = await page.locator("ul.facts li", { hasText: /\d{4}年\d{1,2}月\d{1,2}日|日付なし/ }).count();
const linked = await page.locator("ul.facts li a[href^='https://'][rel~='noreferrer']").count();
facts > 2 && dated === facts && linked >= facts
  ? pass(`window page lists ${facts} facts, each with a date and a source`)
  : fail(`window page facts: ${facts} facts, ${dated} dated, ${linked} source links`);
const conflict = await page.locator(".conflict").textContent().catch(() => "");
conflict.includes("20:00") && conflict.includes("23:00")
  ? pass("window page shows the conflicting hours: " + conflict.trim())
  : fail("window page does not show the conflicting hours");
await page.goto(base + "/about");
(await page.locator("#freshness").textContent()).match(/\d+件の情報のうち\d+件/)
  ? pass("about page says how many facts are old or undated")
  : fail("about page: no freshness figure");
await noJs.close();
await browser.close();

console.log(failures.length ? `${failures.length} failed` : "all browser checks passed");
process.exit(failures.length ? 1 : 0);
