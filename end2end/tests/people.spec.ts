import { test, expect } from "@playwright/test";
import { fitsWidth, idNumber, logIn } from "./helpers";

// The office's first question: "is this person covered?" From the search box
// on the home page, by the last six characters of the ID card as the clerk
// types them (full-width digits, a space), to the enquiry page and the notice
// where cash is taken.
test("an office finds a resident by the end of her ID number and answers whether she is covered", async ({ page }, info) => {
  test.skip(info.project.name !== "desktop", "agents work at desktop width");
  await logIn(page, "office1");
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  const wang = idNumber("15220119600315262");
  const typed = [...wang.slice(12)].map((c) => (/\d/.test(c) ? String.fromCharCode(0xff10 + Number(c)) : c.toLowerCase()));
  typed.splice(3, 0, " ");
  const box = page.getByRole("searchbox", { name: /查找人员/ });
  await box.fill(typed.join(""));
  await box.press("Enter");
  await expect(page).toHaveURL(/\/people\?q=/);
  // What was typed stays in the box; the answer is a link per person.
  await expect(page.getByRole("searchbox", { name: /查找人员/ })).toHaveValue(typed.join(""));
  await page.getByRole("link", { name: "王秀兰" }).click();
  await expect(page.getByRole("heading", { name: "参保查询" })).toBeVisible();
  await expect(page.getByTestId("status-on")).toContainText("连续缴费年限");
  await expect(page.locator("ol.steps .article").first()).toBeVisible();
  // Another day: the date is a form that keeps its value.
  await page.getByLabel("查询日期").fill("2026-06-01");
  await page.getByRole("button", { name: "查询", exact: true }).click();
  await expect(page).toHaveURL(/on=2026-06-01/);
  await expect(page.getByTestId("status-on")).toHaveAttribute("data-status", "active");
  await expect(page.locator("#payments")).toContainText("130.00");
  await expect(page.locator("#notices a").first()).toHaveAttribute("href", /^\/notice\//);
  // Who paid, and this year's claims against each cap, with their articles.
  await expect(page.getByTestId("paid-by").first()).not.toBeEmpty();
  await expect(page.getByRole("heading", { name: "2026 年度的报销与支付限额" })).toBeVisible();
  await expect(page.locator("#caps tr[data-cap]")).toHaveCount(3);
  await expect(page.locator("#caps tr[data-cap='general']")).toContainText("B6");
  await page.screenshot({ path: info.outputPath("enquiry-desktop.png"), fullPage: true });
  await fitsWidth(page);
  // Nobody of another office's is found, and the page says so.
  await page.goto("/people?q=" + encodeURIComponent("巴特尔"));
  await expect(page.locator("#found-none")).toBeVisible();
});
