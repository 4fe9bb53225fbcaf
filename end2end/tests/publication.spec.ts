import { test, expect } from "@playwright/test";
import { fitsWidth, logIn } from "./helpers";

// T16: the league's statistics head puts a year's table forward, the agency
// head approves it, and a visitor with no account reads it on a 360 px phone,
// small counts shown as "—".
test("the league publishes a table that a visitor reads on a phone", async ({ browser }, info) => {
  test.skip(info.project.name !== "phone", "the visitor reads on a phone");
  const staff = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const head = await staff.newPage();
  await logIn(head, "reviewer1");
  await head.waitForURL((u) => !u.pathname.startsWith("/login"));
  await head.goto("/reports");
  await head.getByLabel("参保年度").selectOption("2026");
  await head.getByRole("button", { name: "提交公布" }).click();
  await expect(head.getByRole("heading", { name: "待批准" })).toBeVisible();
  await staff.close();

  const agency = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const admin = await agency.newPage();
  await logIn(admin, "admin");
  await admin.waitForURL((u) => !u.pathname.startsWith("/login"));
  await admin.goto("/reports");
  await admin.getByRole("button", { name: "批准公布" }).first().click();
  await expect(admin.getByRole("status")).toContainText("已保存");
  await agency.close();

  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const visitor = await phone.newPage();
  await visitor.goto("/public/statistics");
  await expect(visitor.getByRole("heading", { name: /2026 年度城镇居民基本医疗保险参保人数/ }).first()).toBeVisible();
  const table = visitor.getByTestId("published-table").first();
  await expect(table).toContainText("合计");
  await expect(visitor.getByText(/小于 5 的人数/).first()).toBeVisible();
  await visitor.screenshot({ path: info.outputPath("public-statistics-360.png"), fullPage: true });
  await fitsWidth(visitor);
  await phone.close();
});
