import { test, expect } from "@playwright/test";
import { hydrated, logIn } from "./helpers";

// One journey across two people: the office enters, the agency decides.
test.describe.configure({ mode: "serial" });

test("an office registers a dibao elder, evidence gates submission, a reviewer approves", async ({ page }, info) => {
  // A different person per project, so the two projects do not collide on one database.
  const [id, name] = info.project.name === "phone" ? ["152201195008156427", "张桂芬"] : ["15220119460202174X", "欧阳淑珍"];
  await logIn(page, "office1");
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  await page.goto("/enrol");
  await hydrated(page);
  const form = page.locator("section", { has: page.getByRole("heading", { name: "登记参保人员" }) });
  await form.getByLabel("身份证号码").fill(id);
  await form.getByLabel("姓名", { exact: true }).fill(name);
  await form.getByLabel("参保年度").selectOption("2026");
  await form.getByLabel(/低保/).check();
  await form.getByRole("button", { name: "登记" }).click();
  const card = page.getByRole("article", { name });
  await expect(card).toContainText("老年居民 · 成年人困难资助档");
  await expect(card).toContainText("70.00");
  await expect(card).toContainText("待提交");
  // Submitting before the dibao certificate is accepted is refused, with the reason.
  await card.getByRole("button", { name: "提交审核" }).click();
  await expect(page.getByRole("alert")).toHaveText(/所需证明尚未核验/);
  await card.getByRole("button", { name: /已核验：/ }).click();
  await expect(card).toContainText("已核验的证明");
  await card.getByRole("button", { name: "提交审核" }).click();
  await expect(card).toContainText("已提交，待审核");
  // Registering the same person again for the same year is refused.
  await form.getByLabel("身份证号码").fill(id);
  await form.getByLabel("姓名", { exact: true }).fill(name);
  await form.getByLabel("参保年度").selectOption("2026");
  await form.getByRole("button", { name: "登记" }).click();
  await expect(form.getByRole("alert")).toHaveText(/已经参保登记/);
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login$/);

  await logIn(page, "reviewer1");
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  await page.goto("/review");
  await hydrated(page);
  const item = page.getByRole("article", { name });
  await expect(item).toContainText("《城市居民最低生活保障金领取证》");
  // Sending back needs a reason.
  await item.getByRole("button", { name: "退回" }).click();
  await expect(page.getByRole("alert")).toHaveText(/必须填写原因/);
  await item.getByRole("button", { name: "审核通过" }).click();
  await expect(page.getByRole("article", { name })).toHaveCount(0);
});
