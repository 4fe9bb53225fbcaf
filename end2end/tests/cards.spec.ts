import { test, expect } from "@playwright/test";
import { hydrated, logIn } from "./helpers";

test("an office takes a card fee and lists it; the information centre marks the cards made", async ({ page }, info) => {
  test.skip(info.project.name !== "desktop", "a desk journey");
  await logIn(page, "office1");
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  await page.goto("/cards");
  await hydrated(page);
  const pending = page.getByTestId("cards-pending");
  const before = await pending.locator("li").count();
  await page.getByRole("button", { name: "收取卡费" }).first().click();
  await expect(pending.locator("li")).toHaveCount(before + 1);
  await page.getByRole("button", { name: "生成制卡名单并报送信息中心" }).click();
  await expect(pending.locator("li")).toHaveCount(0);
  const lists = page.getByTestId("card-lists");
  await expect(lists.locator("li").first()).toContainText(/\d{4}-ZK-\d{6}/);
  const number = (await lists.locator("li .mono").first().textContent())!;
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login$/);

  // The agency: the other office's list of a month ago is past 7 working days, in red.
  await logIn(page, "reviewer1");
  await expect(page.getByRole("alert")).toContainText("已超过制卡期限");
  await page.goto("/cards");
  await hydrated(page);
  const line = page.getByTestId("card-lists").locator("li", { hasText: number });
  await line.getByRole("button", { name: "制卡完成" }).click();
  await expect(line).toContainText("已制卡");
  await expect(line.getByRole("button", { name: "制卡完成" })).toHaveCount(0);
});
