import { test, expect, Page, ConsoleMessage } from "@playwright/test";
import { hydrated, logIn } from "./helpers";

// Every page each person opens, loaded and (where it hydrates) hydrated, with
// no console error, no uncaught exception and no hydration warning: a page
// whose server HTML and client tree disagree panics or warns here (#15).
const pages: Array<[string | null, string[]]> = [
  [null, ["/login", "/check", "/verify/2027-TZ-000001/forged", "/signup", "/signup/phone", "/account/reset", "/public/statistics", "/public/notices"]],
  ["resident1", ["/", "/check", "/claims", "/claims/new", "/register", "/account/password"]],
  ["office1", ["/", "/enrol", "/payments", "/cards", "/people?q=王", "/office/list", "/households/new", "/applications"]],
  ["school1", ["/", "/school/roster"]],
  ["reviewer1", ["/", "/review", "/claims/review", "/runs", "/stats", "/refunds", "/people?q=王", "/duplicates"]],
  ["admin", ["/", "/admin/accounts", "/admin/audit", "/admin/policy", "/stats", "/admin/outbox", "/reports", "/reports/analysis?year=2026"]],
  ["stats1", ["/", "/reports", "/reports/analysis", "/stats?period=2026-Q1"]],
];

/** Hydrating pages carry the hydration script; server-rendered ones none. */
async function settle(page: Page) {
  await hydrated(page);
  await page.waitForLoadState("networkidle");
}

function problem(m: ConsoleMessage): boolean {
  if (m.type() === "error") return true;
  return m.type() === "warning" && /hydrat|mismatch|panick/i.test(m.text());
}

for (const [user, paths] of pages) {
  test(`no console error or hydration warning on the pages of ${user ?? "a visitor"}`, async ({ page }) => {
    const seen: string[] = [];
    // A page that answers 4xx on purpose (a forged notice) makes Chromium log
    // its status; that one line is the answer, not a fault.
    let status = 200;
    page.on("console", (m) => {
      if (status >= 400 && m.text().startsWith(`Failed to load resource: the server responded with a status of ${status}`)) return;
      if (problem(m)) seen.push(`${page.url()}: ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => seen.push(`${page.url()}: exception: ${e.message}`));
    if (user) {
      await logIn(page, user);
      await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    }
    const visited = [...paths];
    for (const path of paths) {
      const res = await page.goto(path);
      status = res!.status();
      expect(status, path).toBeLessThan(500);
      await settle(page);
    }
    // And the documents reached from the home: a notice, a claim.
    if (user) {
      await page.goto("/");
      for (const href of await page.locator("a[href^='/notice/'], a[href^='/claims/BX']").evaluateAll(
        (as) => as.slice(0, 2).map((a) => a.getAttribute("href")!))) {
        visited.push(href);
        status = (await page.goto(href))!.status();
        await settle(page);
      }
    }
    expect(seen, `pages visited: ${visited.join(", ")}`).toEqual([]);
  });
}
