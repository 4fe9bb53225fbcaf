import { test, expect, Page, CDPSession } from "@playwright/test";
import { hydrated, logIn } from "./helpers";

// A benchmark, not a timed test: the resident's home on a phone over "Slow 4G"
// (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip), first visit with an
// empty cache, then a second visit. It prints its figures (the README and the
// closing notes quote them) and fails only on what does not depend on the
// machine's speed: the bytes of WebAssembly, JavaScript and CSS sent over the
// wire, the encoding they came in, their cache headers, and a second visit
// downloading none of them again.
//
// The budget is 250 KB; the portal does not meet it yet (378 KB at
// 897a2b8: brotli of a 1.54 MB WebAssembly that hydrates 13 pages). The test
// holds the line near where it is, so no change makes it much heavier, and
// prints how far from the target it is.
const SLOW_4G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1000 * 1000) / 8,
  uploadThroughput: (750 * 1000) / 8,
};
const TARGET_BYTES = 250 * 1000;
const CEILING_BYTES = 385 * 1000;

type Asset = { url: string; type: string; bytes: number; encoding: string; cacheControl: string; fromCache: boolean };

/** Every /pkg/ asset the page loads, with the bytes that crossed the network. */
async function watchAssets(cdp: CDPSession): Promise<Asset[]> {
  const assets: Asset[] = [];
  const pending = new Map<string, Asset>();
  cdp.on("Network.responseReceived", (e: any) => {
    if (!e.response.url.includes("/pkg/")) return;
    const h = e.response.headers;
    pending.set(e.requestId, {
      url: e.response.url, type: e.type, bytes: 0,
      encoding: h["content-encoding"] ?? h["Content-Encoding"] ?? "",
      cacheControl: h["cache-control"] ?? h["Cache-Control"] ?? "",
      fromCache: !!e.response.fromDiskCache || !!e.response.fromPrefetchCache,
    });
  });
  cdp.on("Network.requestServedFromCache", (e: any) => {
    const a = pending.get(e.requestId);
    if (a) a.fromCache = true;
  });
  cdp.on("Network.loadingFinished", (e: any) => {
    const a = pending.get(e.requestId);
    if (!a) return;
    a.bytes = e.encodedDataLength;
    assets.push(a);
    pending.delete(e.requestId);
  });
  return assets;
}

async function timings(page: Page) {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    return {
      html_ms: Math.round(nav.responseEnd),
      content_ms: Math.round(fcp ? fcp.startTime : NaN),
      interactive_ms: Math.round((window as any).__portal_hydrated_at ?? NaN),
    };
  });
}

test("the resident's home on Slow 4G: weight, caching and time to content", async ({ page, context }, info) => {
  test.skip(info.project.name !== "phone", "a phone benchmark");
  await logIn(page, "resident1");
  await expect(page.getByRole("heading", { name: /我的家庭/ })).toBeVisible();

  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.clearBrowserCache");
  await cdp.send("Network.emulateNetworkConditions", SLOW_4G);

  // First visit: nothing cached.
  let assets = await watchAssets(cdp);
  const html = await page.goto("/");
  // What a browser shows before any script: the page without its scripts
  // (the texts handed to the WebAssembly carry every word, 正在加载 too).
  const body = (await html!.text()).replace(/<script[\s\S]*?<\/script>/g, "");
  // The content is in the first HTML, not behind the WebAssembly.
  expect(body).toContain("我的家庭");
  expect(body).not.toContain("正在加载");
  await hydrated(page);
  const first = await timings(page);
  const total = assets.reduce((s, a) => s + a.bytes, 0);
  for (const a of assets) {
    expect(a.encoding, `${a.url} compressed`).toMatch(/^(br|gzip)$/);
    expect(a.cacheControl, `${a.url} cached`).toBe("public, max-age=31536000, immutable");
    expect(a.url, `${a.url} named by its hash`).toMatch(/\/pkg\/portal\.[A-Za-z0-9_-]{16,}\.(wasm|js|css)$/);
  }
  expect(assets.map((a) => a.url.split(".").pop()).sort()).toEqual(["css", "js", "wasm"]);

  // Second visit: the assets come from the cache.
  assets = await watchAssets(cdp);
  await page.goto("/");
  await hydrated(page);
  const second = await timings(page);
  const again = assets.filter((a) => !a.fromCache).reduce((s, a) => s + a.bytes, 0);

  const figures = {
    first_visit: { ...first, asset_bytes: total },
    second_visit: { ...second, asset_bytes_downloaded: again },
    target_bytes: TARGET_BYTES,
    ceiling_bytes: CEILING_BYTES,
  };
  console.log(`SLOW4G ${JSON.stringify(figures)}`);
  await info.attach("slow4g.json", { body: JSON.stringify(figures, null, 2), contentType: "application/json" });

  expect(total, "WebAssembly + JS + CSS as transferred").toBeLessThanOrEqual(CEILING_BYTES);
  expect(again, "bytes of assets downloaded again on the second visit").toBe(0);
});
