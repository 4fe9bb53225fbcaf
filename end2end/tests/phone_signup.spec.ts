import { test, expect, Browser, Page } from "@playwright/test";
import { fitsWidth, idNumber, logIn } from "./helpers";

// A stranger with no activation code signs up on a 360 px phone: the code
// is read from the administrator's outbox (the demo's LogMessenger sends no
// SMS) in a desktop context of its own; the stranger pre-registers a new
// household of two, office1 completes it, and the stranger's home then shows
// the household. Runs once, in the phone project.
test.describe.configure({ mode: "serial" });

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.from("JFIF register page"), Buffer.from([0xff, 0xd9])]);
const HEAD = { id: idNumber("15220119550606123"), name: "王秀兰" };
const CHILD = { id: idNumber("15220120160707124"), name: "王小宝" };

async function desktop(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await logIn(page, user);
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  return page;
}

async function addMember(page: Page, relation: string, who: { id: string; name: string }) {
  await page.getByLabel("与户主关系").selectOption({ label: relation });
  // Typed as people do: spaces and a lower-case x.
  await page.getByLabel("身份证号码").fill(`${who.id.slice(0, 6)} ${who.id.slice(6, 14)} ${who.id.slice(14).toLowerCase()}`);
  await page.getByLabel("姓名").fill(who.name);
  await page.getByLabel("身份证照片").setInputFiles({ name: "id.png", mimeType: "image/png", buffer: PNG });
  await page.getByLabel("户口簿本人页照片").setInputFiles({ name: "hukou.jpg", mimeType: "image/jpeg", buffer: JPEG });
  await page.getByRole("button", { name: "提交预登记" }).click();
  await expect(page.getByRole("status").filter({ hasText: "已保存" })).toBeVisible();
}

test("a stranger signs up by phone, pre-registers a new household, the office opens it", async ({ page, browser }, info) => {
  test.skip(info.project.name !== "phone", "the stranger's part is the phone's");
  expect(page.viewportSize()?.width).toBe(360);
  const stamp = String(Date.now()).slice(-8);
  const phone = `139${stamp}`;
  const username = `wang${stamp}`;

  await page.goto("/login");
  await page.getByRole("link", { name: /用手机注册/ }).click();
  await expect(page).toHaveURL(/\/signup\/phone$/);
  await fitsWidth(page);
  await page.getByLabel("姓名").fill(HEAD.name);
  await page.getByLabel("身份证号码").fill(HEAD.id);
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码", { exact: true }).fill("my phone pass 1");
  await page.getByRole("button", { name: "发送验证码" }).click();
  await expect(page.getByRole("status")).toContainText(`${phone.slice(0, 3)}****${phone.slice(7)}`);

  // The administrator reads the code in the outbox.
  const admin = await desktop(browser, "admin");
  await admin.goto("/admin/outbox");
  const message = admin.locator("li", { hasText: phone }).first();
  await expect(message).toBeVisible();
  const code = ((await message.locator(".body").textContent()) ?? "").match(/\d{6}/)?.[0];
  expect(code).toMatch(/^\d{6}$/);

  // A wrong code first: refused, the values still there.
  await page.getByLabel("6 位验证码").fill(code === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "确认并注册" }).click();
  await expect(page.getByRole("alert")).toHaveText(/验证码不对/);
  await expect(page.getByText(username)).toBeVisible();
  await page.getByLabel("6 位验证码").fill(code!);
  await page.getByRole("button", { name: "确认并注册" }).click();
  await expect(page).toHaveURL(/\/register\/new/);
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  await fitsWidth(page);

  // The household: the office, the address, then the head and a child with photos.
  await page.getByLabel("户籍地或居住地的社区劳动保障事务所").selectOption({ label: "和平街道劳动保障事务所" });
  await page.getByLabel("地址").fill("乌兰浩特市和平街道新民小区 3 号楼 2 单元 101");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "已保存" })).toBeVisible();
  await addMember(page, "户主", HEAD);
  await addMember(page, "子女", CHILD);
  await expect(page.locator("ul.members li")).toHaveCount(2);
  await expect(page.getByText("等待事务所确认")).toBeVisible();
  await fitsWidth(page);
  await page.screenshot({ path: "test-results/phone-signup-prereg.png", fullPage: true });

  // office1 sees it on its desk and opens the household.
  const office = await desktop(browser, "office1");
  await office.goto("/applications");
  await office.getByRole("link", { name: new RegExp(`办理 ${HEAD.name}`) }).click();
  await expect(office).toHaveURL(/\/applications\/\d+$/);
  await expect(office.locator("ul.members img")).toHaveCount(4);
  await office.getByRole("button", { name: "核实无误，建立家庭户" }).click();
  await expect(office.getByRole("status").filter({ hasText: "已确认建档" })).toBeVisible();

  // The stranger's home now shows the household and its members.
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "我的家庭" })).toBeVisible();
  // The office's own gap-free series: <office>-<year>-0001.
  await expect(page.getByText(/-\d{4}-\d{4}\b/).first()).toBeVisible();
  await expect(page.getByText(CHILD.name).first()).toBeVisible();
  await fitsWidth(page);
  await page.screenshot({ path: "test-results/phone-signup-home.png", fullPage: true });
});
