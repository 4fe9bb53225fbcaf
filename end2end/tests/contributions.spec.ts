import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fitsWidth, hydrated, logIn } from "./helpers";

const root = resolve(__dirname, "../..");

test("a resident on a phone pays online through the simulator and sees cover start", async ({ page }, info) => {
  test.skip(info.project.name !== "phone", "the resident's journey is on the phone");
  await logIn(page, "resident1");
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  // Her 2026 premium was paid in cash on 10 March: covered since the moment of payment (M28).
  const wang = page.getByTestId("members").getByRole("listitem").filter({ hasText: "王秀兰" }).first();
  await expect(wang.getByTestId("contribution-status")).toContainText("正常享受待遇");
  await expect(wang.getByTestId("covered-since")).toHaveText("自 2026-03-10 09:30 起享受待遇");
  await fitsWidth(page);
  await wang.getByRole("link", { name: "缴费通知单 2027" }).click();
  await expect(page.getByRole("heading", { name: "缴费通知单" })).toBeVisible();
  await expect(page.getByTestId("notice-number")).toHaveText(/^2027-TZ-\d{6}$/);
  await expect(page.getByTestId("notice-status")).toHaveText("未缴费");
  await expect(page.locator("figure.qr svg")).toBeVisible();
  // Second year (she first paid 2026): due by 30 April 2027 (E8).
  await expect(page.getByText("2027-04-30")).toBeVisible();
  await fitsWidth(page);
  await hydrated(page);
  await page.getByRole("button", { name: "在线支付" }).click();
  await expect(page).toHaveURL(/\/pay\/simulator\/PO\d{8}[0-9a-f]+$/);
  await expect(page.getByRole("note")).toContainText("模拟支付渠道");
  await hydrated(page);
  await page.getByRole("button", { name: "确认支付" }).click();
  await expect(page).toHaveURL(/\/notice\/2027-TZ-\d{6}$/);
  await expect(page.getByTestId("notice-status")).toHaveText("已缴费");
  // Paid before the year begins: cover starts on 1 January, never earlier.
  await expect(page.getByTestId("covered-since")).toHaveText("自 2027-01-01 00:00 起享受待遇");
  await expect(page.getByRole("button", { name: "在线支付" })).toHaveCount(0);
  await fitsWidth(page);
});

test("an agent takes cash, prints the receipt and declares; the agency sees who is late", async ({ page }, info) => {
  test.skip(info.project.name !== "desktop", "the office desk is on a desktop");
  await logIn(page, "office1");
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  // The demo's cash of the last two weeks: some of it past the 3 working days (E13).
  await expect(page.getByTestId("overdue-declarations")).toContainText("已超过申报期限");
  await page.goto("/payments");
  const unpaid = page.locator("section", { has: page.getByRole("heading", { name: /缴费通知单/ }) })
    .locator("li", { hasText: "未缴费" }).filter({ hasNotText: "王秀兰" }).first();
  await unpaid.getByRole("link").click();
  await expect(page.getByTestId("notice-status")).toHaveText("未缴费");
  await hydrated(page);
  await page.getByRole("button", { name: "收取现金并开具收据" }).click();
  await expect(page).toHaveURL(/\/receipt\/\d{4}-SJ-\d{6}$/);
  await expect(page.getByTestId("receipt-number")).toHaveText(/^\d{4}-SJ-\d{6}$/);
  await expect(page.getByRole("button", { name: "打印" })).toBeVisible();
  const receipt = (await page.getByTestId("receipt-number").textContent())!;
  // Back on the notice: paid, and no way to take the money twice.
  await page.getByRole("link", { name: /-TZ-/ }).click();
  await expect(page.getByTestId("notice-status")).toHaveText("已缴费");
  await expect(page.getByRole("button", { name: "收取现金并开具收据" })).toHaveCount(0);

  await page.goto("/payments");
  await expect(page.getByRole("link", { name: receipt })).toBeVisible();
  await hydrated(page);
  await page.getByRole("button", { name: "生成保费申报核定表" }).click();
  await expect(page).toHaveURL(/\/declaration\/\d{4}-HD-\d{6}$/);
  await expect(page.getByRole("cell", { name: receipt })).toBeVisible();
  await expect(page.getByText(/经办人签字/)).toBeVisible();
  await page.goto("/");
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  await expect(page.getByTestId("overdue-declarations")).toHaveCount(0);
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login$/);

  // The agency: the other office has not declared, and shows in red.
  await logIn(page, "admin");
  const late = page.locator("section.overdue");
  await expect(late).toContainText("巴彦呼舒镇劳动保障事务所");
  await expect(late).not.toContainText("和平街道劳动保障事务所");
});

test("the 1 May sweep interrupts the unpaid, by itself and again on the command line without change", async ({ page }, info) => {
  test.skip(info.project.name !== "desktop", "once per run");
  // The server's own task swept the years whose 1 May has passed: in 2010,
  // 张桂芳 (paid 2009, not 2010) and 赵德胜 (paid 2010 only in July).
  await logIn(page, "admin");
  await expect(page.getByTestId("sweeps")).toContainText("2010 · 2010-05-01 · 2 人中断缴费");
  const url = readFileSync(resolve(root, "target/e2e-database-url"), "utf8").trim();
  const out = execFileSync(resolve(root, "target/release/portal"), ["sweep", "--as-of", "2010-05-01"], {
    env: { ...process.env, PORTAL_DATABASE_URL: url },
    encoding: "utf8",
  });
  expect(out).toContain("0 newly interrupted, 2 interrupted in all");
  await page.reload();
  await expect(page.getByTestId("sweeps")).toContainText("2010 · 2010-05-01 · 2 人中断缴费");
});
