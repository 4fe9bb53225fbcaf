import { test, expect } from "@playwright/test";
import { fitsWidth, hydrated } from "./helpers";

// Runs in the phone project only (see playwright.config.ts).
test("touch targets are at least 44 px on the phone", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  for (const el of await page.locator("button, input, a.button").all()) {
    const box = await el.boundingBox();
    if (box) expect(box.height).toBeGreaterThanOrEqual(44);
  }
  await fitsWidth(page);
});
