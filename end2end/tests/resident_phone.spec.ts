import { test, expect, Page } from "@playwright/test";
import { fitsWidth, idNumber, logIn } from "./helpers";

// The resident's pages on a 360 px phone (issue 15). Runs in the phone
// project only (playwright.config.ts keeps *phone.spec.ts off the desktop).
// Screenshots go to test-results/ (see each test's output folder).

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const photo = (n: number) => ({ name: `photo${n}.png`, mimeType: "image/png", buffer: Buffer.concat([PNG, Buffer.from([n])]) });

/** Every link, button and menu of the page's main part and header is at least 44 px tall. */
async function touchTargets(page: Page) {
  for (const el of await page.locator("header a, header button, header summary, main a, main button, main summary, main select, main input:not([type=hidden])").all()) {
    if (!(await el.isVisible())) continue;
    const box = await el.boundingBox();
    if (box) expect(box.height, await el.evaluate((e) => e.outerHTML.slice(0, 120))).toBeGreaterThanOrEqual(44);
  }
}

async function signIn(page: Page) {
  await logIn(page, "resident1");
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
}

/** Files a transfer claim for 王秀兰 without the page's script: its number. */
async function fileTransfer(page: Page, key: string) {
  await page.goto("/claims/new?kind=transfer");
  await page.getByLabel("参保人", { exact: true }).selectOption({ label: "王秀兰" });
  await page.getByLabel("入院（就诊）日期").fill("2026-11-02");
  await page.getByLabel("出院日期").fill("2026-11-10");
  await page.getByLabel("医疗机构名称").fill("北京协和医院");
  await page.getByLabel("医院等级").selectOption("2");
  await page.getByLabel("医疗费用总额（元）").fill("3000.00");
  const agent = page.getByRole("group", { name: "经办人（代为申请的人）" });
  await agent.getByLabel("姓名").fill("王建国");
  await agent.getByLabel("身份证号码").fill(key);
  await page.getByLabel("与参保人关系").selectOption("child");
  await page.getByLabel("银行账号").fill("6222020200112233445");
  await page.getByLabel("账户名").fill("王建国");
  await page.getByRole("button", { name: "提交申请，然后上传材料" }).click();
}

test.describe("with JavaScript", () => {
  test("the household as cards under a one-row header; every touch target is 44 px", async ({ page }, info) => {
    await signIn(page);
    const header = await page.locator("header.topbar").boundingBox();
    expect(header!.height).toBeLessThanOrEqual(64);
    const cards = page.getByTestId("members").locator("li.member");
    await expect(cards.first()).toBeVisible();
    // A name on one line, an ID number on one line.
    for (const card of await cards.all()) {
      const name = await card.locator(".member-name").boundingBox();
      const id = await card.locator(".member-id").boundingBox();
      expect(name!.height).toBeLessThan(40);
      expect(id!.height).toBeLessThan(30);
    }
    await expect(cards.first()).toContainText(" 元");
    await touchTargets(page);
    await fitsWidth(page);
    await page.screenshot({ path: info.outputPath("home-360.png"), fullPage: true });
    // The menu holds the rest.
    await page.locator("details.menu summary").click();
    await expect(page.getByRole("link", { name: "修改密码" })).toBeVisible();
    await page.screenshot({ path: info.outputPath("menu-360.png") });
  });

  test("a notice says what its QR code is for, and a mistyped code says what to do", async ({ page }, info) => {
    await signIn(page);
    await page.getByTestId("members").getByRole("link", { name: /缴费通知单/ }).first().click();
    await expect(page.getByTestId("qr-what-for")).toContainText("不能用来付款");
    await expect(page.getByTestId("qr-what-for")).toContainText("在线支付");
    await expect(page.locator("dd.amount")).toHaveText(/^\d+\.\d{2} 元$/);
    await fitsWidth(page);
    await page.screenshot({ path: info.outputPath("notice-360.png"), fullPage: true });
    const number = (await page.getByTestId("notice-number").textContent())!;
    await page.goto(`/verify/${number}/0000000000`);
    await expect(page.getByTestId("verify-help")).toContainText("核对通知书上的编号");
    await page.screenshot({ path: info.outputPath("verify-forged-360.png"), fullPage: true });
  });

  test("paying next year's notice: the home says paid, cover from 1 January, and the next due date", async ({ page }) => {
    await signIn(page);
    const members = page.getByTestId("members").locator("li.member");
    // A member with a 2027 notice still to pay; the suite's earlier journeys
    // (contributions.spec.ts) may already have paid the household's, and
    // then one of those is the card to read.
    const unpaid = members.filter({ has: page.getByRole("link", { name: /缴费通知单 2027/ }) })
      .filter({ hasNotText: "已缴纳 2027 年度医保费" }).first();
    let card = members.filter({ hasText: "已缴纳 2027 年度医保费" }).first();
    if (await unpaid.count() > 0) {
      const name = (await unpaid.locator(".member-name").textContent())!;
      await unpaid.getByRole("link", { name: /缴费通知单 2027/ }).click();
      await page.getByRole("button", { name: "在线支付" }).click();
      await expect(page).toHaveURL(/\/pay\/simulator\//);
      await page.getByRole("button", { name: "确认支付" }).click();
      await expect(page.getByTestId("notice-status")).toHaveText("已缴费");
      await page.goto("/");
      card = members.filter({ hasText: name }).first();
    }
    await expect(card).toContainText("已缴纳 2027 年度医保费");
    await expect(card.getByTestId("cover-from")).toHaveText("自 2027-01-01 起享受待遇");
    await expect(card.getByTestId("next-due")).toContainText("下一次缴费：2028 年度");
    await expect(card).not.toContainText("未参保缴费");
  });

  test("长辈模式: large text, the home reduced to three things, remembered", async ({ page }, info) => {
    await signIn(page);
    await page.locator("details.menu summary").click();
    await page.getByTestId("elder-switch").click();
    await expect(page.locator("html.elder")).toHaveCount(1);
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    expect(size).toBeGreaterThanOrEqual(20);
    await expect(page.locator("section.elder-home")).toHaveCount(3);
    await expect(page.getByRole("link", { name: "医疗费用报销" })).toBeVisible();
    await expect(page.getByRole("link", { name: /预登记|登记/ })).toHaveCount(0);
    await page.reload();
    await expect(page.locator("html.elder")).toHaveCount(1);
    await fitsWidth(page);
    await page.screenshot({ path: info.outputPath("elder-home-360.png"), fullPage: true });
    await page.locator("details.menu summary").click();
    await page.getByTestId("elder-switch").click();
    await expect(page.locator("html.elder")).toHaveCount(0);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("signs in, files a claim (a refusal keeps every field), two photos of two kinds, relabels one, removes one", async ({ page }, info) => {
    await page.goto("/login");
    await page.getByLabel("用户名").fill("resident1");
    await page.getByLabel("密码").fill("demo-pass-2026");
    await page.getByRole("button", { name: "登录", exact: true }).last().click();
    await page.goto("/claims");
    await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();

    // A wrong agent ID number: the form comes back with everything typed.
    await fileTransfer(page, "152201197005050010");
    await expect(page.locator("#agent_id_number-error")).toContainText("经办人身份证号码不正确");
    await expect(page.getByLabel("医疗机构名称")).toHaveValue("北京协和医院");
    await expect(page.getByLabel("银行账号")).toHaveValue("6222020200112233445");
    await expect(page.getByLabel("医疗费用总额（元）")).toHaveValue("3000.00");
    await expect(page.getByLabel("医院等级")).toHaveValue("2");
    await expect(page.getByLabel("与参保人关系")).toHaveValue("child");
    await page.screenshot({ path: info.outputPath("claim-refused-360.png"), fullPage: true });
    await page.getByRole("group", { name: "经办人（代为申请的人）" }).getByLabel("身份证号码").fill(idNumber("15220119700505001"));
    await page.getByRole("button", { name: "提交申请，然后上传材料" }).click();
    await expect(page.getByRole("status")).toContainText("报销申请已提交");
    await expect(page.getByTestId("missing-documents")).toContainText("材料齐全后才开始初审");

    // Two photos, two kinds, each with its own upload.
    const send = async (kind: string, n: number) => {
      const input = page.getByLabel(`上传${kind}（可选多张）`);
      await input.setInputFiles(photo(n));
      await page.locator("form", { has: input }).getByRole("button", { name: "上传", exact: true }).click();
      await expect(page).toHaveURL(/ok=uploaded/);
    };
    await send("医疗费用收据", 1);
    await send("诊断书", 2);
    const docs = page.getByRole("list", { name: "报销材料" }).getByRole("listitem");
    await expect(docs).toHaveCount(2);
    // The diagnosis was really the expense list: relabelled.
    const second = docs.nth(1);
    await second.getByRole("combobox").selectOption({ label: "医疗费用清单" });
    await second.getByRole("button", { name: "更改类别" }).click();
    await expect(page.getByRole("status")).toContainText("材料类别已更改");
    await expect(docs.nth(1)).toContainText("医疗费用清单");
    // The receipt photo removed.
    await docs.nth(0).getByRole("button", { name: "删除" }).click();
    await expect(page.getByRole("status")).toContainText("材料已删除");
    await expect(docs).toHaveCount(1);
    await touchTargets(page);
    await fitsWidth(page);
    await page.screenshot({ path: info.outputPath("claim-documents-360.png"), fullPage: true });
  });

  test("长辈模式 switches without JavaScript", async ({ page }) => {
    await page.goto("/claims");
    await page.locator("details.menu summary").click();
    await page.getByTestId("elder-switch").click();
    await expect(page.locator("html.elder")).toHaveCount(1);
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    expect(size).toBeGreaterThanOrEqual(20);
  });
});
