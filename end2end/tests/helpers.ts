import { expect, Page } from "@playwright/test";

export const DEMO_PASSWORD = "demo-pass-2026";

/** Waits until the WebAssembly has hydrated the page, so clicks run client
 * code. A page rendered on the server only (no hydration scripts) is ready
 * as it stands. */
export async function hydrated(page: Page) {
  await page.waitForLoadState("domcontentloaded");
  if (!(await page.evaluate(() => !!document.querySelector("link[rel=modulepreload]")))) return;
  await page.waitForFunction(() => (window as any).__portal_hydrated === true, null, { timeout: 30_000 });
}

export async function logIn(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/密码|Password/).fill(password);
  await page.getByRole("button", { name: /^(登录|Log in)$/ }).last().click();
}

/** No sideways scrolling at the phone's width. */
export async function fitsWidth(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** An identity number: 17 digits and their GB 11643 check character. */
export function idNumber(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const s = [...first17].reduce((sum, c, i) => sum + Number(c) * w[i], 0);
  return first17 + "10X98765432"[s % 11];
}
