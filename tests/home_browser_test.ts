import assert from "node:assert/strict";
import { launchBrowser } from "./browser.ts";
import { startServer } from "./harness.ts";

Deno.test({
  name: "browser - the home page's island hydrates and reacts to clicks",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const { server } = await startServer("pglite");
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(server.url.href);
    const button = page.getByRole("button", { name: "Clicked 0 times" });
    await button.waitFor();
    await page.waitForFunction(() => document.querySelector("script[type=module]") !== null);
    await page.getByRole("button").click();
    await page.getByRole("button", { name: "Clicked 1 times" }).waitFor({ timeout: 5000 });
    await page.getByRole("button").click();
    assert.equal(await page.getByRole("button").textContent(), "Clicked 2 times");
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.shutdown();
  }
});
