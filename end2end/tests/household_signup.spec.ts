import { test, expect, devices } from "@playwright/test";
import { fitsWidth, idNumber, logIn } from "./helpers";

// A family walks in (#16): the office opens its household with three members
// at desktop width and prints the registration form with the activation
// code; at home, on a 360 px phone, the family signs up with that code and
// sees its household.
test("an office opens a household and the family signs up on its phone with the code", async ({ browser }, info) => {
  test.skip(info.project.name !== "desktop", "one journey across a desk and a phone");
  // Numbers of this run only (the sequence digits), so a second run never meets them.
  const seq = String(Date.now() % 1000).padStart(3, "0");
  const head = idNumber(`15220119580706${seq}`);
  const child = idNumber(`15220120170214${seq}`);
  const grandma = idNumber(`15220119400101${seq}`);

  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const office = await desk.newPage();
  await logIn(office, "office1");
  await expect(office.getByRole("button", { name: "退出登录" })).toBeVisible();
  await office.getByRole("link", { name: "新开家庭户" }).click();
  await expect(office.getByRole("heading", { name: "新开家庭户" })).toBeVisible();
  await office.locator("#address").fill("兴安盟乌兰浩特市和平街道红旗路18号");
  await office.locator("#hukou_type").selectOption("local_urban");
  await office.locator("#m0_id_number").fill(head);
  await office.locator("#m0_name").fill("孟德海");
  await office.locator("#m0_phone").fill("13800138000");
  await office.locator("#m1_id_number").fill(child);
  await office.locator("#m1_name").fill("孟小雨");
  await office.locator("#m1_relation").selectOption("grandchild");
  await office.locator("#m2_id_number").fill(grandma);
  await office.locator("#m2_name").fill("包桂兰");
  await office.locator("#m2_relation").selectOption("parent");
  await office.getByRole("button", { name: "保存并参保登记" }).click();

  // The registration form, with the code (shown this once) and its QR.
  await expect(office.getByRole("heading", { name: "城镇居民基本医疗保险参保登记表" })).toBeVisible();
  const code = (await office.locator("#activation-code").textContent())!.trim();
  expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
  await expect(office.locator("section.activation svg")).toBeVisible();
  await expect(office.locator("table.list")).toContainText("孟小雨");
  await office.screenshot({ path: "test-results/household-form.png", fullPage: true });
  await desk.close();

  // The family's phone: 360 px wide, no session.
  const phone = await browser.newContext({ ...devices["Pixel 5"], viewport: { width: 360, height: 740 } });
  const resident = await phone.newPage();
  await resident.goto("/login");
  await resident.getByRole("link", { name: /激活码注册/ }).click();
  await expect(resident.getByRole("heading", { name: "用激活码注册" })).toBeVisible();
  await expect(resident.getByRole("link", { name: "没有激活码？" })).toHaveAttribute("href", "/signup/phone");
  await fitsWidth(resident);
  // Typed as people type it off paper: lower case, spaces.
  await resident.getByLabel("激活码").fill(code.toLowerCase().replace(/-/g, " "));
  await resident.getByLabel("家庭成员的身份证号码").fill(grandma);
  await resident.getByLabel("用户名").fill(`meng${seq}`);
  await resident.locator("#display_name").fill("孟德海");
  await resident.getByLabel("密码", { exact: true }).fill("family-pass-2027");
  await resident.getByLabel("再次输入密码").fill("family-pass-2027");
  await resident.getByRole("button", { name: "注册并登录" }).click();

  // Logged in, at home, the household there.
  await expect(resident.getByRole("heading", { name: "我的家庭" })).toBeVisible();
  await expect(resident.locator(".household")).toContainText("孟小雨");
  await expect(resident.locator(".household")).toContainText("红旗路18号");
  await fitsWidth(resident);
  await resident.screenshot({ path: "test-results/household-signup-phone.png", fullPage: true });
  await phone.close();
});
