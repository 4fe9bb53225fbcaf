import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { fitsWidth, hydrated, idNumber, logIn } from "./helpers";

test("a school checks a roster, imports it, imports it again, and fixes the bad rows", async ({ page }, info) => {
  // Different pupils per project: both projects share one database.
  const seq = info.project.name === "phone" ? 40 : 30;
  const id = (n: number) => idNumber(`152201201403${10 + n}${seq}${n}`);
  const good = [id(1), id(2)];
  const unnamed = id(3);
  const mistyped = id(4).slice(0, 17) + (id(4).endsWith("0") ? "1" : "0");
  const csv = [
    "身份证号,姓名,班级,低保",
    `${good[0]},周小${seq}一,一年级1班,否`,
    `${good[1]},吴小${seq}二,一年级1班,否`,
    `${unnamed},,一年级2班,否`,
    `${mistyped},郑小${seq}四,一年级2班,否`,
    `${good[0]},周小${seq}一,一年级1班,否`,
  ].join("\r\n") + "\r\n";
  const file = { name: "花名册.csv", mimeType: "text/csv", buffer: Buffer.from(csv) };

  await logIn(page, "school1");
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  await page.getByRole("link", { name: "学生花名册导入" }).click();
  await expect(page).toHaveURL(/\/school\/roster$/);
  await hydrated(page);

  // The dry run: a report, and nothing written yet.
  await page.getByLabel("参保年度").selectOption("2027");
  await page.getByLabel("花名册文件").setInputFiles(file);
  await page.getByRole("button", { name: "试检查（不写入）" }).click();
  const dry = page.getByRole("region", { name: "检查结果（尚未导入）" });
  await expect(dry).toContainText("可导入 2 人");
  await expect(dry).toContainText("3 行有误，未导入");
  await expect(dry.getByRole("row", { name: /缺少姓名/ })).toContainText("4");
  await expect(dry.getByRole("row", { name: /校验码不符/ })).toContainText("5");
  await expect(dry.getByRole("row", { name: /前面某行的身份证号码重复/ })).toContainText("6");
  if (info.project.name === "phone") await fitsWidth(page);

  // Import the checked file.
  await dry.getByRole("button", { name: "导入已检查的文件" }).click();
  const done = page.getByRole("region", { name: "导入结果" });
  await expect(done).toContainText("已导入 2 人");
  await expect(done).toContainText("3 行有误，未导入");

  // The bad rows download as CSV, with the reason in the user's language.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    done.getByRole("link", { name: /下载有误的行/ }).click(),
  ]);
  const bad = readFileSync(await download.path()).toString("utf8").replace(/^\uFEFF/, "");
  const lines = bad.trim().split(/\r?\n/);
  expect(lines[0]).toBe("身份证号,姓名,班级,低保,原因");
  expect(lines).toHaveLength(4);
  expect(lines[1]).toContain("缺少姓名");

  // The same file again changes nothing.
  await page.getByLabel("花名册文件").setInputFiles(file);
  await page.getByRole("button", { name: "检查并导入" }).click();
  const again = page.getByRole("region", { name: "导入结果" });
  await expect(again).toContainText("已导入 0 人");
  await expect(again).toContainText("2 人此前已导入，未作改动");

  // The school fixes the bad rows (a name, the right number; the duplicate goes) and uploads them alone.
  const fixed = [
    lines[0],
    lines[1].replace(`${unnamed},,`, `${unnamed},王小${seq}三,`),
    lines[2].replace(mistyped, id(4)),
  ].join("\r\n") + "\r\n";
  await page.getByLabel("花名册文件").setInputFiles({ name: "有误的行.csv", mimeType: "text/csv", buffer: Buffer.from(fixed) });
  await page.getByRole("button", { name: "检查并导入" }).click();
  const last = page.getByRole("region", { name: "导入结果" });
  await expect(last).toContainText("已导入 2 人");
  await expect(last).toContainText("0 行有误");

  // A file that is no table is refused whole, with a clear message.
  await page.getByLabel("花名册文件").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) });
  await page.getByRole("button", { name: "检查并导入" }).click();
  await expect(page.getByRole("alert")).toContainText("文件不是CSV或Excel");
});
