import { test, expect } from "@playwright/test";
import { fitsWidth, hydrated, logIn } from "./helpers";

const homes: Array<[string, RegExp]> = [
  ["resident1", /我的家庭/],
  ["office1", /本所登记的家庭户/],
  ["school1", /本校登记的学生/],
  ["reviewer1", /待审核事项/],
  ["admin", /我的待办/],
];

for (const [user, heading] of homes) {
  test(`${user} logs in, sees their home, and logs out`, async ({ page }) => {
    await logIn(page, user);
    await expect(page.getByRole("heading", { name: heading })).toBeVisible();
    await fitsWidth(page);
    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole("heading", { name: "登录服务平台" })).toBeVisible();
    // The session is gone on the server: home no longer shows the work list.
    await page.goto("/");
    await expect(page.getByRole("heading", { name: heading })).toHaveCount(0);
  });
}

test("a wrong password is refused with a message, and nothing logs in", async ({ page }) => {
  await logIn(page, "office1", "not-the-password");
  await expect(page.getByRole("alert")).toHaveText("用户名或密码不正确。");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /本所登记的家庭户/ })).toHaveCount(0);
});

test("the language switch changes every word and is remembered", async ({ page }) => {
  await logIn(page, "resident1");
  await expect(page.getByRole("heading", { name: "我的家庭" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  // The switch sits in the header's menu (one row on a phone).
  await page.locator("details.menu > summary").click();
  await page.getByRole("button", { name: "语言" }).click();
  await expect(page.getByRole("heading", { name: "My household" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  // Remembered on the next visit.
  await page.goto("/");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "My household" })).toBeVisible();
  await page.locator("details.menu > summary").click();
  await page.getByRole("button", { name: "Language" }).click();
  await expect(page.getByRole("heading", { name: "我的家庭" })).toBeVisible();
});

test("an unknown page answers 404 with a way home", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  await expect(page.getByRole("link", { name: "返回首页" })).toBeVisible();
});

test("an administrator creates an account that can then log in", async ({ page }) => {
  await logIn(page, "admin");
  await expect(page.getByRole("heading", { name: "我的待办" })).toBeVisible();
  await page.goto("/admin/accounts");
  await hydrated(page);
  const name = `agent${Date.now() % 100000}`;
  await page.getByLabel("用户名").fill(name);
  await page.getByLabel("姓名").fill("新经办人");
  await page.getByLabel("密码").fill("a-long-password");
  await page.getByLabel("角色").selectOption("office_agent");
  await page.getByLabel("机构代码").fill("152201-O01");
  await page.getByRole("button", { name: "创建" }).click();
  await expect(page.getByRole("status")).toHaveText("账户已创建。");
  await expect(page.getByRole("cell", { name })).toBeVisible();
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await logIn(page, name, "a-long-password");
  await expect(page.getByRole("heading", { name: /本所登记的家庭户/ })).toBeVisible();
});

