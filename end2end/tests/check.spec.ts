import { test, expect } from "@playwright/test";
import { fitsWidth, hydrated } from "./helpers";

test("anyone checks an identity number and gets a quote with its explanation", async ({ page }) => {
  await page.goto("/check");
  await hydrated(page);
  const quote = page.locator("section", { has: page.getByRole("heading", { name: "参保资格和个人缴费" }) });
  await quote.getByLabel("身份证号码").fill("152222194305058230");
  await quote.getByLabel("参保年度").selectOption("2009");
  await quote.getByLabel(/低收入家庭成员/).check();
  await quote.getByRole("button", { name: "测算" }).click();
  const result = quote.getByRole("status");
  await expect(result).toContainText("老年居民 · 成年人困难资助档");
  await expect(result).toContainText("70.00");
  await expect(result).toContainText("民政部门出具的低收入家庭证明");
  // The explanation cites the articles it applied.
  await expect(result.locator("ol.steps li").first()).toBeVisible();
  await expect(result.locator(".article", { hasText: "E5" }).first()).toBeVisible();
  await fitsWidth(page);
});

test("a mistyped identity number is refused with a clear message", async ({ page }) => {
  await page.goto("/check");
  await hydrated(page);
  const quote = page.locator("section", { has: page.getByRole("heading", { name: "参保资格和个人缴费" }) });
  await quote.getByLabel("身份证号码").fill("15222219430505823X");
  await quote.getByRole("button", { name: "测算" }).click();
  await expect(quote.getByRole("alert")).toHaveText(/校验码不符/);
});

test("anyone estimates what the fund pays on a bill, with deductible and ratio", async ({ page }) => {
  await page.goto("/check");
  await hydrated(page);
  const est = page.locator("section", { has: page.getByRole("heading", { name: "住院及门诊费用报销估算" }) });
  await est.getByLabel("参保年度").selectOption("2009");
  await est.getByLabel("费用类别").selectOption("transfer");
  await est.getByLabel("医院等级").selectOption("2");
  await est.getByLabel("符合目录的费用（元）").fill("10000.00");
  await est.getByRole("button", { name: "估算" }).click();
  const result = est.getByRole("status");
  // The first worked example of RULES-API: (10000 - 300) x 60 % = 5820.00.
  await expect(result).toContainText("5820.00");
  await expect(result).toContainText("300.00");
  await expect(result).toContainText("0.60");
  await expect(result.locator(".article", { hasText: "B3" }).first()).toBeVisible();
});
