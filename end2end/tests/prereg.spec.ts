import { test, expect, Browser, Page } from "@playwright/test";
import { fitsWidth, hydrated, logIn } from "./helpers";

// One journey across three people and two screens: a resident on a 360 px
// phone pre-registers a member with photos; the office (desktop) completes
// it; the agency approves. Runs once, in the phone project: the office and
// the reviewer get desktop-sized contexts of their own.
test.describe.configure({ mode: "serial" });

const ID = "152201195208156421";
const NAME = "赵淑贞";
// A real 1×1 PNG, so the thumbnail decodes; the "JPEG" only needs its magic bytes.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.from("JFIF certificate"), Buffer.from([0xff, 0xd9])]);

async function desktop(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await logIn(page, user);
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  return page;
}

async function fillMember(page: Page) {
  await page.getByLabel("参保年度").selectOption("2027");
  await page.getByLabel("身份证号码").fill(ID);
  await page.getByLabel("姓名").fill(NAME);
}

test("a resident pre-registers on the phone, the office completes it, the agency approves", async ({ page, browser }, info) => {
  test.skip(info.project.name !== "phone", "the resident's part is the phone's");
  expect(page.viewportSize()?.width).toBe(360);

  await logIn(page, "resident1");
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  await page.getByRole("link", { name: "网上预登记" }).click();
  await expect(page).toHaveURL(/\/register$/);
  await fitsWidth(page);

  // A text file named like a photo is refused by its content; nothing is saved.
  await fillMember(page);
  await page.getByLabel("身份证照片").setInputFiles({ name: "id-card.jpg", mimeType: "image/jpeg", buffer: Buffer.from("not a photo at all") });
  await page.getByRole("button", { name: "提交预登记" }).click();
  await expect(page.getByRole("alert")).toHaveText(/不是图片/);
  await expect(page.getByText("还没有预登记的家庭成员。")).toBeVisible();

  // With real photos: the member, the quote, the office and what to bring.
  await fillMember(page);
  await page.getByLabel(/低保/).check();
  await page.getByLabel("身份证照片").setInputFiles({ name: "id.png", mimeType: "image/png", buffer: PNG });
  await page.getByLabel("证明材料类别").selectOption("dibao_certificate");
  await page.getByLabel(/证明材料照片/).setInputFiles({ name: "dibao.jpg", mimeType: "image/jpeg", buffer: JPEG });
  await page.getByRole("button", { name: "提交预登记" }).click();
  await expect(page.getByRole("status").filter({ hasText: "预登记已保存" })).toBeVisible();
  const mine = page.getByRole("article", { name: NAME });
  await expect(mine).toContainText("待事务所办理");
  await expect(mine).toContainText("老年居民 · 成年人困难资助档");
  await expect(mine).toContainText("和平街道劳动保障事务所");
  await expect(mine).toContainText("《城市居民最低生活保障金领取证》");
  await expect(mine.locator("ul.thumbs li")).toHaveCount(2);
  await expect(mine.locator("img").first()).toHaveJSProperty("naturalWidth", 1);
  await fitsWidth(page);

  // The office of the household completes it at the desk.
  const office = await desktop(browser, "office1");
  await office.getByRole("link", { name: new RegExp(`办理 ${NAME}`) }).click();
  await expect(office).toHaveURL(/\/prereg\/\d+$/);
  await expect(office.locator("ul.thumbs img")).toHaveCount(2);
  const correction = office.locator("section", { has: office.getByRole("heading", { name: "更正参保人信息" }) });
  await expect(correction.getByLabel(/低保/)).toBeChecked();
  await correction.getByLabel(/低收入家庭/).check();
  await correction.getByRole("button", { name: "保存更正" }).click();
  await expect(office.getByRole("status").filter({ hasText: "已更正" })).toBeVisible();
  await office.getByRole("button", { name: "已核对照片：登记并提交审核" }).click();
  const done = office.getByRole("status").filter({ hasText: "已登记并提交审核" });
  await expect(done).toBeVisible();
  const enrolmentId = await done.locator("[data-enrolment]").getAttribute("data-enrolment");
  expect(enrolmentId).toMatch(/^\d+$/);

  // The agent who entered it cannot approve it: the server refuses (and the
  // list below still shows it waiting for review).
  const own = await office.request.post("/api/review/decide", {
    form: { enrolment_id: enrolmentId!, decision: "approve" },
    headers: { Accept: "application/json" },
  });
  expect(own.ok()).toBe(false);
  expect(await own.text()).toContain("Forbidden");

  // The office's signed list shows the new record.
  await office.goto("/office/list?year=2027");
  await expect(office.getByRole("heading", { name: /参保人员登记名册/ })).toBeVisible();
  await expect(office.getByRole("row", { name: new RegExp(NAME) })).toContainText("已提交，待审核");
  await expect(office.getByText("经办人（签字）")).toBeVisible();

  // A reviewer sees the photographed certificate accepted, and approves.
  const reviewer = await desktop(browser, "reviewer1");
  await reviewer.goto("/review");
  await hydrated(reviewer);
  const item = reviewer.getByRole("article", { name: NAME });
  await expect(item).toContainText("《城市居民最低生活保障金领取证》");
  await item.getByRole("button", { name: "审核通过" }).click();
  await expect(reviewer.getByRole("article", { name: NAME })).toHaveCount(0);

  // Back on the phone: the member is registered; the printable form has its QR code.
  await page.goto("/register");
  await expect(page.getByRole("article", { name: NAME })).toContainText("事务所已登记");
  await page.getByRole("link", { name: "打印参保登记表" }).click();
  await expect(page.getByRole("heading", { name: "城镇居民基本医疗保险参保登记表" })).toBeVisible();
  await expect(page.locator("figure.qr svg")).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(NAME) })).toContainText("已审核通过");
});

test("documents open only within scope", async ({ page, browser }, info) => {
  test.skip(info.project.name !== "phone", "runs after the journey above");
  await logIn(page, "resident1");
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  await page.goto("/register");
  const src = await page.getByRole("article", { name: NAME }).locator("img").first().getAttribute("src");
  expect(src).toMatch(/^\/documents\/[0-9a-f]{64}$/);
  const mineRes = await page.request.get(src!);
  expect(mineRes.status()).toBe(200);
  expect(mineRes.headers()["content-type"]).toBe("image/png");
  // Another county's office may not open it.
  const other = await desktop(browser, "office2");
  expect((await other.request.get(src!)).status()).toBe(403);
});
