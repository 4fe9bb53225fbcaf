import { test, expect } from "@playwright/test";
import { fitsWidth, logIn } from "./helpers";

// Issue 17 at the desk: the league asks for a monthly report due ten days
// after each month (typed in full-width digits), sees which county is late,
// and reads the quarterly analysis in charts; a county statistician drafts
// a month and downloads it as Excel.
test("the league schedules reports, sees who is late and reads the analysis", async ({ page }, info) => {
  test.skip(info.project.name !== "desktop", "the agency works at a desk");
  await logIn(page, "admin");
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.goto("/reports?period=2026-10");
  const monthly = page.getByTestId("schedule").locator("tr[data-frequency=monthly]");
  await monthly.getByRole("textbox").fill("９１");
  await monthly.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("alert")).toContainText("0 至 90 天");
  await expect(page.getByTestId("schedule").locator("tr[data-frequency=monthly]").getByRole("textbox")).toHaveValue("９１");
  await page.getByTestId("schedule").locator("tr[data-frequency=monthly]").getByRole("textbox").fill("１０");
  await page.getByTestId("schedule").locator("tr[data-frequency=monthly]").getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("已保存");
  const due = page.getByTestId("due");
  await expect(due.locator("tr[data-period='2026-10'][data-county='152201']")).toHaveAttribute("data-state", /missing|on_time|late/);
  await expect(due).toContainText("漏报");
  await page.screenshot({ path: info.outputPath("league-desk.png"), fullPage: true });

  await page.goto("/reports/analysis?year=2026");
  await expect(page.getByRole("heading", { name: "季度统计分析" })).toBeVisible();
  const chart = page.locator("section[data-county='152201'] svg[role=img]").first();
  await expect(chart).toBeVisible();
  expect(await chart.locator("rect.bar").count()).toBeGreaterThan(0);
  await page.screenshot({ path: info.outputPath("analysis.png"), fullPage: true });
});

test("a county statistician drafts a month and downloads it as Excel", async ({ page }, info) => {
  test.skip(info.project.name !== "desktop", "the agency works at a desk");
  await logIn(page, "stats1");
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.goto("/reports?period=2026-09");
  await page.getByRole("button", { name: "生成报表" }).click();
  await expect(page.getByTestId("report-figures").locator("tbody[data-section=subsidy]")).toContainText("中央财政应补助");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "下载 Excel（XLSX）" }).first().click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^report-152201-2026-09-v1\.xlsx$/);
  await page.screenshot({ path: info.outputPath("county-report.png"), fullPage: true });
});

// 张榜公布: Ulanhot's statistician puts 2026's list forward, its head
// publishes it, and a visitor reads it on a 360 px phone without logging in.
test("a county publishes its notice of the assisted and a visitor reads it on a phone", async ({ browser }, info) => {
  test.skip(info.project.name !== "phone", "the visitor reads on a phone");
  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const stats = await desk.newPage();
  await logIn(stats, "stats1");
  await stats.waitForURL((u) => !u.pathname.startsWith("/login"));
  await stats.goto("/reports");
  await stats.locator("#notice-year").selectOption("2026");
  await stats.getByRole("button", { name: "提交公示名单" }).click();
  await expect(stats.getByRole("status")).toContainText("已保存");
  await desk.close();
  const headDesk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const head = await headDesk.newPage();
  await logIn(head, "head1");
  await head.waitForURL((u) => !u.pathname.startsWith("/login"));
  await head.goto("/reports");
  await head.getByRole("button", { name: "批准公示" }).first().click();
  await expect(head.getByRole("status")).toContainText("已保存");
  await headDesk.close();

  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const visitor = await phone.newPage();
  await visitor.goto("/public/notices");
  await expect(visitor.getByRole("heading", { name: "城镇居民基本医疗保险财政增加补助人员公示" })).toBeVisible();
  await visitor.locator("details.notice-office summary").first().click();
  const notice = visitor.getByTestId("notice").first();
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("********");
  await visitor.screenshot({ path: info.outputPath("public-notice-360.png"), fullPage: true });
  await fitsWidth(visitor);
  await phone.close();
});
