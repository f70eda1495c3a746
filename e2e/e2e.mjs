// Browser tests for madoguchi's public pages, run by crates/web/tests/e2e.rs with
// MADOGUCHI_E2E=1 against a live server at $MADOGUCHI_URL.
// At 390 px (a phone) and 1280 px (a desktop), in Japanese and in the children's pages:
// - axe-core finds no WCAG 2.x A/AA violation;
// - headings never skip a level (h1 → h2 → h3);
// - the focus ring has at least 3:1 contrast against the page;
// - buttons, choices and the emergency links are at least 44×44 px;
// - links with the same name go to the same place;
// - the children's pages have ふりがな on every kanji.
// Then: the search box posts and leaves no words in the URL, title or history entry; a search
// and a guided path reach a phone link without JavaScript (in English and やさしい日本語 too); Esc leaves only when no input
// method is composing; the printed list is one A4 page per sheet and the poster one page;
// a window's page lists its facts with dates and conflicting hours.
// Screenshots (screen and print) go to e2e/screenshots/ for review.
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
const check = (ok, message, detail = "") => (ok ? pass(message) : fail(message + (detail ? ": " + detail : "")));

const pages = [
  ["home", "/"],
  ["search", "/search?q=" + encodeURIComponent("LINEで悪口を書かれた")],
  ["crisis", "/search?q=" + encodeURIComponent("Xでずっと悪口を書かれていて、もう死にたい")],
  ["empty-search", "/search"],
  ["guide", "/guide?situation=defamation"],
  ["guide-answer", "/guide?situation=defamation&outcome=consult&who=adult&where=saga"],
  ["evidence", "/guide/evidence"],
  ["category", "/categories/report"],
  ["window", "/windows/consumer-hotline-188"],
  ["window-line", "/windows/moj-kodomo-110"],
  ["window-conflict", "/windows/saga-suicide-night"],
  ["windows", "/windows"],
  ["print", "/windows/print"],
  ["poster", "/windows/poster"],
  ["about", "/about"],
  ["languages", "/languages"],
  ["en-home", "/en"],
  ["en-search", "/en/search?q=" + encodeURIComponent("Someone is posting lies about me on X")],
  ["en-window", "/en/windows/houterasu-multilingual"],
  ["easy-home", "/easy"],
  ["easy-window", "/easy/windows/moj-foreign-language"],
  ["en-guide-answer", "/en/guide?situation=defamation&outcome=consult&who=adult&where=saga"],
  ["en-category", "/en/categories/report"],
  ["en-about", "/en/about"],
  ["easy-search", "/easy/search?q=" + encodeURIComponent("LINEで わるくちを 書かれた")],
  ["easy-guide-answer", "/easy/guide?situation=defamation&outcome=consult&who=adult&where=saga"],
  ["easy-category", "/easy/categories/report"],
  ["easy-about", "/easy/about"],
  ["not-found", "/no-such-page"],
  ["kids", "/kids"],
  ["kids-answer", "/kids/answer?situation=cyberbullying"],
  ["kids-crisis", "/kids/answer?situation=crisis"],
];

// Relative luminance and contrast (WCAG 2.x).
const pageChecks = () => {
  const parse = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden"; };
  const problems = { headings: [], targets: [], names: [], focus: [] };
  // Heading order.
  let last = 0;
  for (const h of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    if (!visible(h)) continue;
    const level = Number(h.tagName[1]);
    if (last && level > last + 1) problems.headings.push(`h${last} → h${level} 「${h.textContent.trim().slice(0, 20)}」`);
    last = level;
  }
  // Targets: controls and stand-alone links (not links inside running text).
  const controls = document.querySelectorAll(
    "button, .button, .options a, .groups a, a.call, a.restart, .emergency a, a.exit, footer a, summary, select, textarea, label.check, .also a");
  for (const el of controls) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.height < 44 || r.width < 44) problems.targets.push(`${el.tagName.toLowerCase()}.${el.className} 「${el.textContent.trim().slice(0, 16)}」 ${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  // Same name, same destination.
  const byName = new Map();
  for (const a of document.querySelectorAll("a[href]")) {
    if (!visible(a)) continue;
    const name = (a.getAttribute("aria-label") || a.textContent).replace(/\s+/g, " ").trim();
    const href = a.getAttribute("href");
    if (byName.has(name) && byName.get(name) !== href) problems.names.push(`「${name.slice(0, 30)}」: ${byName.get(name)} and ${href}`);
    byName.set(name, href);
  }
  // Focus ring: the outline's colour against the page background.
  const pageBg = parse(getComputedStyle(document.body).backgroundColor);
  for (const el of document.querySelectorAll("a[href], button, textarea, select, summary")) {
    if (!visible(el)) continue;
    el.focus({ focusVisible: true });
    if (document.activeElement !== el) continue; // in a closed <details>: not reachable now
    const style = getComputedStyle(el);
    if (style.outlineStyle === "none" || parseFloat(style.outlineWidth) < 2) {
      problems.focus.push(`no outline on ${el.tagName.toLowerCase()} 「${el.textContent.trim().slice(0, 16)}」`);
    } else if (contrast(parse(style.outlineColor), pageBg) < 3) {
      problems.focus.push(`outline ${style.outlineColor} on ${el.tagName.toLowerCase()}: ${contrast(parse(style.outlineColor), pageBg).toFixed(2)}:1`);
    }
    el.blur();
  }
  // ふりがな: kanji outside <ruby> in the children's pages.
  const bare = [];
  if (document.body.classList.contains("kids")) {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (node.parentElement.closest("ruby, textarea, option, svg, script, style")) continue;
      const found = node.textContent.match(/[\u4e00-\u9fff々]+/g);
      if (found) bare.push(...found);
    }
  }
  return { ...problems, bare };
};

for (const [width, height] of [[390, 844], [1280, 800]]) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  for (const [name, path] of pages) {
    await page.goto(base + path);
    const at = `${name} @${width}`;
    const result = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
      .analyze();
    if (result.passes.length === 0) fail(`axe ${at}: no rule ran, so the check proves nothing`);
    else check(!result.violations.length, `axe ${at}: no violation`, result.violations.map((v) => `${v.id} (${v.nodes.length})`).join(", "));
    const found = await page.evaluate(pageChecks);
    check(!found.headings.length, `${at}: headings in order`, found.headings.join("; "));
    check(!found.targets.length, `${at}: targets at least 44×44 px`, found.targets.slice(0, 6).join("; "));
    check(!found.names.length, `${at}: links with the same name go to the same place`, found.names.slice(0, 4).join("; "));
    check(!found.focus.length, `${at}: focus ring of 3:1 or more`, found.focus.slice(0, 4).join("; "));
    if (name.startsWith("kids")) check(!found.bare.length, `${at}: ふりがな on every kanji`, found.bare.slice(0, 8).join(" "));
    await page.screenshot({ path: `${shots}${name}-${width}x${height}.png`, fullPage: true });
  }
  await context.close();
}

// Private by construction: the search box posts; the words are in no URL, title or history.
{
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const words = "元彼に写真をばらまくと言われている";
  await page.goto(base + "/");
  await page.fill("#q", words);
  await page.click("form.search button[type=submit]");
  await page.waitForLoadState();
  const url = page.url();
  const title = await page.title();
  const entry = await page.evaluate(() => performance.getEntriesByType("navigation")[0].name);
  const kept = await page.inputValue("#q");
  check(!url.includes("?") && !decodeURIComponent(url).includes("ばらまく"), "the results URL holds no words", url);
  check(!title.includes("ばらまく"), "the results title holds no words", title);
  check(!decodeURIComponent(entry).includes("ばらまく"), "the history entry holds no words", entry);
  check(kept === words, "the box keeps the words to change them");
  check(await page.locator("#steps-heading").count() === 1, "the answer has first steps");
  // A story longer than 2,000 characters is kept whole.
  const story = "学校のグループで、ずっと悪口を言われています。".repeat(100);
  await page.fill("#q", story);
  await page.click("form.search button[type=submit]");
  await page.waitForLoadState();
  check((await page.inputValue("#q")) === story, "a 2,300-character story is kept whole");
  check((await page.locator(".warnings").textContent()).includes("2000"), "and the page says what it read");
  // Esc leaves, except while an input method is composing.
  await page.route("https://www.google.co.jp/**", (route) => route.fulfill({ body: "<title>exit</title>" }));
  await page.goto(base + "/");
  await page.focus("#q");
  await page.evaluate(() => document.activeElement.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", isComposing: true, bubbles: true })));
  await page.waitForTimeout(300);
  check(page.url().startsWith(base), "Esc during IME composition stays on the page", page.url());
  await page.keyboard.press("Escape");
  await page.waitForURL("https://www.google.co.jp/**", { timeout: 3000 }).catch(() => {});
  check(page.url().startsWith("https://www.google.co.jp/"), "Esc otherwise leaves", page.url());
  await context.close();
}

// Without JavaScript.
{
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await noJs.newPage();
  const cardPhone = async () => page.locator(".card a.button[href^='tel:']").first().getAttribute("href").catch(() => null);

  await page.goto(base + "/");
  await page.fill("#q", "LINEで悪口を書かれた");
  await page.click("form.search button[type=submit]");
  await page.waitForLoadState();
  const searchPhone = await cardPhone();
  check(searchPhone, `no-JS search reaches ${searchPhone}`);

  // Any answer in at most four taps from the home page.
  await page.goto(base + "/");
  let taps = 0;
  for (const choice of ["誹謗中傷・悪口", "相談したい", "大人", "佐賀県"]) {
    await page.click(`.options a:text-is("${choice}")`);
    taps += 1;
  }
  const guidePhone = await cardPhone();
  check(guidePhone && taps <= 4, `no-JS guided path reaches ${guidePhone} in ${taps} taps`);
  await page.goBack();
  check((await page.locator("h1").textContent()).includes("住んで"), "back button returns to the last question");
  await page.goto(base + "/");
  check((await page.locator(".options a").first().textContent()).includes("死にたい"), "the crisis option comes first");

  // Two taps from home for each of the page's three groups.
  await page.goto(base + "/");
  const groups = await page.locator("ul.groups:not(.small) a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  check(groups.length === 3, `3 page groups on home`, String(groups.length));
  for (const href of groups) {
    await page.goto(base + "/");
    await page.click(`a[href='${href}']`);
    const action = await page.locator(".card a.button").first().getAttribute("href");
    check(/^(tel:|https:)/.test(action || ""), `two taps: ${href} → ${action}`);
  }
  // The same in English and in やさしい日本語: each group's phone or form in two taps, and an
  // English search reaches a phone link.
  for (const home of ["/en", "/easy"]) {
    await page.goto(base + home);
    const local = await page.locator("ul.groups:not(.small) a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    check(local.length === 3 && local.every((href) => href.startsWith(home + "/")), `${home}: 3 page groups in its language`, local.join(" "));
    for (const href of local) {
      await page.goto(base + home);
      await page.click(`a[href='${href}']`);
      const action = await page.locator(".card a.button").first().getAttribute("href");
      check(/^(tel:|https:)/.test(action || ""), `two taps: ${href} → ${action}`);
    }
  }
  await page.goto(base + "/en");
  await page.fill("#q", "Someone posted my photos online without permission");
  await page.click("form.search button[type=submit]");
  await page.waitForLoadState();
  const englishPhone = await cardPhone();
  check(englishPhone && !page.url().includes("photos"), `no-JS English search reaches ${englishPhone}, words not in the URL`);
  // A window's page shows each fact with its date and sources, and sources that disagree.
  await page.goto(base + "/windows/saga-suicide-night");
  const facts = await page.locator("ul.facts li").count();
  const dated = await page.locator("ul.facts li", { hasText: /\d{4}年\d{1,2}月\d{1,2}日|日付なし/ }).count();
  const linked = await page.locator("ul.facts li a[href^='https://'][rel~='noreferrer']").count();
  check(facts > 2 && dated === facts && linked >= facts, `window page lists ${facts} facts, each with a date and a source`);
  const conflict = await page.locator(".conflict").textContent().catch(() => "");
  check(conflict.includes("20:00") && conflict.includes("23:00"), "window page shows the conflicting hours: " + conflict.trim());
  await page.goto(base + "/windows/moj-kodomo-110");
  check(await page.locator("a[href^='https://line.me/R/ti/p/']").count() > 0 && await page.locator(".line-qr svg").count() > 0,
    "a LINE id is an add-friend link with a QR code");
  // A wrong fact can be reported without JavaScript, and nothing about the sender is asked.
  await page.goto(base + "/windows/consumer-hotline-188");
  check(await page.locator("#correct input[type=email], #correct input[name=name]").count() === 0, "the correction form asks for no name or e-mail");
  await page.check("#correct input[value=hours]");
  await page.fill("#correct-body", "土曜日の受付時間が変わっていました");
  await page.fill("#correct-source", "https://www.kokusen.go.jp/");
  await page.click("#correct button[type=submit]");
  check((await page.locator("h1").textContent()).includes("受け付けました"), "a correction is thanked");
  check(await page.locator(".emergency").count() === 1, "the thanks page shows 110 and 119");
  await page.goto(base + "/about");
  check((await page.locator("#freshness").textContent()).match(/\d+件の情報のうち\d+件/), "about page says how many facts are old or undated");
  check(await page.locator("#privacy").count() === 1, "about page explains privacy and clearing history");
  await noJs.close();
}

// Print: one A4 page per sheet; the poster on one page; 110 and 119 printed.
{
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const [path, expected] of [["/windows/print", 3], ["/windows/poster", 1]]) {
    await page.goto(base + path);
    const pdf = (await page.pdf({ format: "A4", preferCSSPageSize: true })).toString("latin1");
    const count = Number((pdf.match(/\/Count (\d+)/) || [])[1]);
    check(count === expected, `${path} prints on ${expected} A4 page(s)`, `${count}`);
    await page.emulateMedia({ media: "print" });
    const emergency = await page.locator(".sheet-emergency").first().isVisible();
    check(emergency, `${path}: 110 and 119 are printed`);
    await page.screenshot({ path: `${shots}${path.split("/").pop()}-print.png`, fullPage: true });
    await page.emulateMedia({ media: null });
  }
  await page.goto(base + "/windows/consumer-hotline-188");
  await page.emulateMedia({ media: "print" });
  check(await page.locator(".emergency").isVisible(), "a printed window page keeps 110 and 119");
  await context.close();
}
await browser.close();

console.log(failures.length ? `${failures.length} failed` : "all browser checks passed");
process.exit(failures.length ? 1 : 0);
