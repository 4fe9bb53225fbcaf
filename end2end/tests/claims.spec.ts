import { test, expect, Browser, Page } from "@playwright/test";
import { fitsWidth, idNumber, logIn } from "./helpers";

// Two different photos (their bytes differ, so their hashes do).
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.from("JFIF prescription"), Buffer.from([0xff, 0xd9])]);

async function desktop(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await logIn(page, user);
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  return page;
}

async function fileClaim(page: Page, kind: string, member: string, from: string, to: string, billed: string) {
  await page.goto("/claims");
  await page.getByRole("link", { name: kind, exact: true }).click();
  await expect(page).toHaveURL(/\/claims\/new\?kind=/);
  await page.getByLabel("参保人", { exact: true }).selectOption({ label: member });
  await page.getByLabel(/^(入院（就诊）日期|本月治疗起始日期)$/).fill(from);
  await page.getByLabel(/^(出院日期|本月治疗截止日期)$/).fill(to);
  if (kind === "特殊病门诊") await page.getByLabel("特殊病病种").selectOption("diabetes_insulin");
  await page.getByLabel("医疗机构名称").fill("包头市第一医院");
  await page.getByLabel("医院等级").selectOption("3");
  await page.getByLabel("医疗费用总额（元）").fill(billed);
  const agent = page.getByRole("group", { name: "经办人（代为申请的人）" });
  await agent.getByLabel("姓名").fill("王建国");
  await agent.getByLabel("身份证号码").fill(idNumber("15220119700505001"));
  await page.getByLabel("与参保人关系").selectOption("child");
  await page.getByLabel("银行账号").fill("6222020200112233445");
  await page.getByLabel("账户名").fill("王建国");
  await page.getByRole("button", { name: "提交申请，然后上传材料" }).click();
  await expect(page.getByRole("status")).toContainText("报销申请已提交");
  const number = page.url().match(/\/claims\/(\d{4}-BX-\d{6})/)![1];
  return number;
}

/** The parts of a claim's page, by their headings. */
const estimate = (page: Page) => page.getByRole("region", { name: "预计报销金额" });
const decision = (page: Page) => page.getByRole("region", { name: "审核结果" });
const documents = (page: Page) => page.getByRole("list", { name: "报销材料" }).getByRole("listitem");
const stillMissing = (page: Page) => page.getByRole("region", { name: "报销材料" }).getByText(/^还缺少/);

/** The claim's page afresh, without the last post's outcome in its URL. */
async function claimPage(page: Page) {
  await page.goto(page.url().split("?")[0]);
}

type File = { name: string; mimeType: string; buffer: Buffer };

/** Sends `file` as `kind`: with the kind's own form while it is missing,
 *  else with the form for one more document, whose kind is chosen. */
async function chooseAndSend(page: Page, kind: string, file: File) {
  const own = page.getByLabel(`上传${kind}（可选多张）`);
  if (await own.count()) {
    await own.setInputFiles(file);
    await page.locator("form", { has: own }).getByRole("button", { name: "上传", exact: true }).click();
    return;
  }
  const other = page.locator("form", { has: page.locator("#u_kind") });
  if (!(await other.isVisible())) await page.locator("details", { has: other }).locator("summary").click();
  await other.locator("#u_kind").selectOption({ label: kind });
  await other.getByLabel("选择一张照片或文件").setInputFiles(file);
  await other.getByRole("button", { name: "上传", exact: true }).click();
}

async function upload(page: Page, kind: string, file: File) {
  await claimPage(page);
  await chooseAndSend(page, kind, file);
  await expect(page).toHaveURL(/ok=uploaded/);
}

async function review(browser: Browser, number: string, inCatalogue: string) {
  const first = await desktop(browser, "reviewer1");
  // The reviewer's home says what waits at each step.
  await expect(first.getByTestId("claims-work")).toContainText(/待初审的报销：[1-9]\d*笔/);
  await first.goto(`/claims/${number}`);
  await first.getByLabel("目录内合理费用（元）").fill(inCatalogue);
  await first.getByRole("button", { name: "初审完成，送复审" }).click();
  await expect(first.getByRole("status")).toHaveText("初审完成，已送复审。");
  // The same person cannot do the second step: the server refuses.
  await first.getByRole("button", { name: "复审确认" }).click();
  await expect(first.getByRole("alert")).toContainText("同一人不能既初审又复审");
  await expect(first.locator("[data-status]")).toHaveText("初审完成，待复审");
  const second = await desktop(browser, "reviewer2");
  await second.goto(`/claims/${number}`);
  await second.getByRole("button", { name: "复审确认" }).click();
  await expect(second.getByRole("status")).toHaveText("复审完成。");
  return { first, second };
}

/** The special-disease line of the agency's statistics of 2026, reached from the home page. */
async function specialDiseaseFigures(page: Page) {
  await page.goto("/");
  await page.getByRole("link", { name: "统计报表", exact: true }).click();
  await expect(page.getByRole("heading", { name: "统计报表", exact: true })).toBeVisible();
  await page.getByLabel("年度").selectOption("2026");
  await page.getByRole("button", { name: "查看" }).first().click();
  await expect(page).toHaveURL(/year=2026/);
  const cells = await page.locator('[data-testid="stats-claims"] tr[data-kind="special_outpatient"] td').allTextContents();
  const fen = (s: string) => Math.round(Number(s) * 100);
  return { approved: Number(cells[3]), paid: Number(cells[5]), paidOutFen: fen(cells[8]) };
}

test("a resident files a special-disease claim with two photos; two reviewers approve it; the run pays it", async ({ page, browser }, info) => {
  test.skip(info.project.name !== "phone", "the resident's journey is on the phone");
  await logIn(page, "resident1");
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  await page.getByRole("link", { name: "医疗费用报销" }).click();
  await expect(page.getByRole("heading", { name: "医疗费用报销" })).toBeVisible();
  await fitsWidth(page);

  // Insulin treatment was approved in March (M23); November's care is claimed.
  const number = await fileClaim(page, "特殊病门诊", "王秀兰", "2026-11-02", "2026-11-20", "1500.00");
  await expect(page.locator("[data-status]")).toHaveText("已提交，待初审");
  // Before review: an estimate with its explanation (all of it at 60 %, no deductible).
  await expect(estimate(page)).toContainText("最多 900.00");
  await expect(stillMissing(page)).toContainText("医疗费用收据");
  await fitsWidth(page);

  // Two photos, each uploaded with its progress. The first upload's connection
  // drops once: the page retries by itself, and the photo arrives once.
  let dropped = 0;
  await page.route(/\/claims\/[^/]+\/documents$/, async (route) => {
    if (route.request().method() === "POST" && dropped === 0) {
      dropped += 1;
      await route.abort("connectionreset");
    } else {
      await route.continue();
    }
  });
  await upload(page, "医疗费用收据", { name: "receipt.png", mimeType: "image/png", buffer: PNG });
  expect(dropped).toBe(1);
  await page.unroute(/\/claims\/[^/]+\/documents$/);
  await upload(page, "处方", { name: "prescription.jpg", mimeType: "image/jpeg", buffer: JPEG });
  await expect(documents(page)).toHaveCount(2);
  await expect(stillMissing(page)).toHaveCount(0);
  await upload(page, "医疗费用收据", { name: "receipt-again.png", mimeType: "image/png", buffer: PNG });
  await expect(documents(page)).toHaveCount(2);
  // A text file named like a photo is refused by its content.
  await claimPage(page);
  await chooseAndSend(page, "医疗费用收据", { name: "fake.jpg", mimeType: "image/jpeg", buffer: Buffer.from("not a photo") });
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(documents(page)).toHaveCount(2);

  // Two reviewers; the first cannot also be the second.
  const { first, second } = await review(browser, number, "1200.00");
  await expect(second.locator("[data-status]")).toHaveText("审核通过，待支付");
  await expect(decision(second)).toContainText("报销金额: 720.00");
  const window = (await second.locator("p.ok", { hasText: "支付期" }).textContent())!.match(/\d{4}-\d{2}-\d{2}/)![0];

  const before = await specialDiseaseFigures(second);
  expect(before.approved).toBeGreaterThanOrEqual(1);

  // The run: prepared by one, released by another, then its bank file.
  await first.goto("/runs");
  await first.locator(`li[data-window="special_outpatient:${window}"]`).getByRole("button", { name: "编制支付批次" }).click();
  await expect(first.getByRole("status")).toContainText("支付批次已编制");
  await expect(first.getByRole("row", { name: new RegExp(number) })).toContainText("720.00");
  const runUrl = first.url().split("?")[0];
  // Not before its window opens (B19): the window always starts after approval.
  await second.goto(runUrl);
  await second.getByRole("button", { name: "确认发放" }).click();
  await expect(second.getByRole("alert")).toContainText("支付期尚未开始");
  await expect(second.locator("#released-by")).toHaveCount(0);
  // The demo's calendar (simulator mode only) moves to the window's first day.
  const today = new Date().toLocaleDateString("en-CA", { timeZone: "Asia/Shanghai" });
  const days = Math.round((Date.parse(window) - Date.parse(today)) / 86_400_000);
  const moved = await second.request.post("/demo/clock", { form: { days: String(days) } });
  expect(moved.status()).toBe(200);
  expect((await moved.json()).today).toBe(window);
  await first.getByRole("button", { name: "确认发放" }).click();
  await expect(first.getByRole("alert")).toContainText("编制支付批次的人不能确认发放");
  await second.goto(runUrl);
  await second.getByRole("button", { name: "确认发放" }).click();
  await expect(second.getByRole("status")).toContainText("支付批次已发放");
  const csv = await second.request.get(`${runUrl}/bank.csv`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain(`6222020200112233445,王建国,720.00,${number}`);
  expect((await second.request.post("/demo/clock", { form: { days: "0" } })).status()).toBe(200);
  // The agency's statistics move with it: one claim more paid, 720.00 more paid out.
  const after = await specialDiseaseFigures(second);
  expect(after.paid).toBe(before.paid + 1);
  expect(after.approved).toBe(before.approved - 1);
  expect(after.paidOutFen - before.paidOutFen).toBe(72000);

  // The resident sees it paid, in which run and when.
  await page.goto(`/claims/${number}`);
  await expect(page.locator("[data-status]")).toHaveText("已支付");
  await expect(page.getByRole("status")).toContainText(/已在支付批次 \d{4}-ZF-\d{6} 中支付/);
  await expect(page.locator('li[data-step="paid"]')).toBeVisible();
  await fitsWidth(page);
});

test("a claim for care during an interruption pays nothing and says why", async ({ browser, page }, info) => {
  test.skip(info.project.name !== "desktop", "one run is enough; the agency's side is on a desktop");
  await logIn(page, "resident2");
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  // 张桂芳 paid 2008 and 2009, never 2010: interrupted from 1 May 2010 (E8).
  const number = await fileClaim(page, "转院（转外地住院）", "张桂芳", "2010-08-01", "2010-08-10", "3000.00");
  await expect(estimate(page)).toContainText("最多 0.00");
  for (const [i, kind] of ["医疗费用收据", "诊断书", "医疗费用清单", "病历复印件"].entries()) {
    await upload(page, kind, { name: `doc${i}.png`, mimeType: "image/png", buffer: Buffer.concat([PNG, Buffer.from([i])]) });
  }
  await review(browser, number, "2500.00");
  await page.goto(`/claims/${number}`);
  await expect(page.locator("[data-status]")).toHaveText("不予支付");
  await expect(decision(page)).toContainText("报销金额: 0.00");
  await expect(decision(page)).toContainText("原因: 就医时处于中断缴费、未参保或停止待遇期间");
  await expect(page.locator("section[aria-labelledby=decision] .steps")).toContainText("E8");
});

test("an emergency is reported within 3 days, with the days left shown; a late one is refused", async ({ page }, info) => {
  test.skip(info.project.name !== "phone", "the resident's journey is on the phone");
  await logIn(page, "resident1");
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  await page.goto("/claims");
  const occurredOn = page.getByLabel("急诊日期");
  const today = await occurredOn.getAttribute("data-today");
  const daysAgo = (n: number) => new Date(Date.parse(today + "T00:00:00Z") - n * 86400000).toISOString().slice(0, 10);
  await occurredOn.fill(daysAgo(1));
  await expect(occurredOn).toHaveAccessibleDescription(/还剩2天/);
  await occurredOn.fill(daysAgo(5));
  await expect(occurredOn).toHaveAccessibleDescription(/已超过备案期限/);
  await page.getByLabel("医疗机构名称").first().fill("包头市第三医院");
  await page.getByRole("button", { name: "备案", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("已超过3日备案期限");
  await occurredOn.fill(daysAgo(1));
  await page.getByLabel("医疗机构名称").first().fill("包头市第三医院");
  await page.getByRole("button", { name: "备案", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("急诊已备案。");
  await expect(page.getByText("发生后第1天备案")).toBeVisible();
  await fitsWidth(page);
});

test("a resident asks for a transfer approval and sees the agency's answer", async ({ page, browser }, info) => {
  test.skip(info.project.name !== "phone", "the resident's journey is on the phone");
  await logIn(page, "resident1");
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  await page.goto("/claims");
  const today = await page.getByLabel("急诊日期").getAttribute("data-today");
  const later = new Date(Date.parse(today + "T00:00:00Z") + 7 * 86400000).toISOString().slice(0, 10);
  await page.getByLabel("审批事项").selectOption("transfer");
  const approvals = page.getByRole("region", { name: "事先审批" });
  await approvals.getByLabel("医疗机构名称").fill("北京协和医院");
  await approvals.getByLabel("就医（转院、治疗）日期").fill(later);
  await approvals.getByLabel("理由", { exact: true }).fill("本地无法手术");
  await page.getByRole("button", { name: "提交审批申请" }).click();
  await expect(page.getByRole("status")).toHaveText("审批申请已提交，等待医保经办机构答复。");
  const mine = page.locator("li[data-approval]", { hasText: "北京协和医院" }).first();
  await expect(mine).toContainText("待审批");
  const id = await mine.getAttribute("data-approval");

  const reviewer = await desktop(browser, "reviewer1");
  await reviewer.goto("/claims/review");
  const request = reviewer.locator(`li[data-approval="${id}"]`);
  await request.getByPlaceholder("说明").fill("同意转院");
  await request.getByRole("button", { name: "同意", exact: true }).click();
  await expect(reviewer.getByRole("status")).toHaveText("已答复审批申请。");

  await page.reload();
  await expect(page.locator(`li[data-approval="${id}"]`)).toContainText("已同意");
  await expect(page.locator(`li[data-approval="${id}"]`)).toContainText("同意转院");
  await fitsWidth(page);
});
