// The staff console in a browser, run by crates/cli/tests/console.rs with MADOGUCHI_E2E=1
// against the real binary with a store at $MADOGUCHI_URL, at phone width: an editor signs in, changes a window's phone number with its source, cannot approve it
// themselves; a reviewer signs in in another browser without JavaScript and approves it; a
// visitor then sees the new number as a tel: link on the public page. axe-core checks the
// console's pages (it needs JavaScript, so the editor's browser has it), and the session
// cookie is never sent outside /staff.
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";

const base = process.env.MADOGUCHI_URL;
const [editor, editorPassword] = (process.env.MADOGUCHI_EDITOR || "").split(":");
const [reviewer, reviewerPassword] = (process.env.MADOGUCHI_REVIEWER || "").split(":");
const window = process.env.MADOGUCHI_WINDOW || "childline";
const [oldNumber, newNumber] = (process.env.MADOGUCHI_NUMBERS || "").split(":");
if (!base || !editor || !reviewer || !newNumber) {
  console.error("set MADOGUCHI_URL, MADOGUCHI_EDITOR=name:password, MADOGUCHI_REVIEWER=name:password, MADOGUCHI_NUMBERS=old:new");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const failures = [];
const check = (ok, message, detail = "") => {
  if (ok) console.log("ok   " + message);
  else { failures.push(message); console.log("FAIL " + message + (detail ? ": " + detail : "")); }
};
const phone = { viewport: { width: 390, height: 844 } };
const phoneNoJs = { ...phone, javaScriptEnabled: false };
const axe = async (page, name) => {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  check(result.violations.length === 0, `${name}: no axe violation`, result.violations.map((v) => v.id).join(", "));
};
const signIn = async (context, name, password, withAxe) => {
  const page = await context.newPage();
  await page.goto(base + "/staff");
  if (withAxe) await axe(page, "sign-in page");
  await page.fill("#staff-name", name);
  await page.fill("#staff-password", password);
  await page.click("button[type=submit]");
  check((await page.locator("h1").textContent()).includes(name), `${name} is signed in`);
  return page;
};

// The editor proposes the new number with its source.
const editorContext = await browser.newContext(phone);
const page = await signIn(editorContext, editor, editorPassword, true);
await axe(page, "staff home");
await page.goto(`${base}/staff/windows/${window}/edit`);
await axe(page, "edit form");
check(await page.inputValue("#c0-value") === oldNumber, "the form shows the live number");
await page.fill("#c0-value", newNumber);
await page.fill("#f-source-url", "https://childline.or.jp/");
await page.fill("#f-source-title", "チャイルドライン");
await page.fill("#f-reason", "番号が変わったと出典にある");
await page.click("text=変更を提案する");
const proposal = new URL(page.url()).pathname;
check(/^\/staff\/proposals\/\d+$/.test(proposal), "the change is a proposal", page.url());
check((await page.locator("ins").allTextContents()).some((line) => line.includes(newNumber)), "its diff shows the new number");
check(await page.locator("text=自分の提案は承認できません").count() === 1, "the author cannot approve it");
await axe(page, "proposal page");
const publicCookies = await editorContext.cookies(`${base}/windows/${window}`);
check(publicCookies.length === 0, "the session cookie is not sent to public pages", JSON.stringify(publicCookies));

// A second person approves it.
const reviewerContext = await browser.newContext(phoneNoJs);
const review = await signIn(reviewerContext, reviewer, reviewerPassword, false);
await review.goto(base + proposal);
await review.fill("#review-reason", "出典を開いて番号を確かめた");
await review.click("text=承認して公開する");
check((await review.locator("body").textContent()).includes("承認され、公開されました"), "approved and published");

// The public sees it at once.
const visitor = await browser.newContext(phoneNoJs);
const publicPage = await visitor.newPage();
await publicPage.goto(`${base}/windows/${window}`);
const tel = "tel:" + newNumber.replaceAll("-", "");
check(await publicPage.locator(`a[href="${tel}"]`).count() > 0, `the public page calls ${newNumber}`);
check(!(await publicPage.locator("body").textContent()).includes(oldNumber), "the old number is gone");

await browser.close();
console.log(failures.length ? `${failures.length} failed` : "all console checks passed");
process.exit(failures.length ? 1 : 0);
