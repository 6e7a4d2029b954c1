/**
 * Drives the chat page in a browser for the UI tests: one browser context
 * per person (separate storage and cookies, like separate browsers), with
 * every console error and page error collected so that a test can assert
 * there were none.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from "playwright-core";
import type { TestServer } from "./harness.ts";

/** One person with the chat open. */
export interface ChatUser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions, in order. */
  problems: string[];
}

/** Options of {@link openChat}. */
export interface OpenOptions extends BrowserContextOptions {
  /** Starts with this identity instead of a random one. */
  identity?: { user_id: string; name: string };
  /** Waits until the page is online (the default). */
  waitOnline?: boolean;
  /** Where to load the page from instead of the server's own address, such as a proxy in front of it. */
  address?: string;
  /** Called with the page before it loads, to watch or set it up from the start; awaited. */
  beforeLoad?: (page: Page) => unknown;
}

/** A phone's screen and touch input, as the phone layout is tested with. */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** Where the tests save screenshots (git-ignored). */
export const SCREENSHOTS = new URL("./screenshots/", import.meta.url);

/** Opens the chat for a new person, in a context of their own. */
export async function openChat(browser: Browser, server: TestServer, options: OpenOptions = {}): Promise<ChatUser> {
  const { identity, waitOnline = true, address = server.http("/"), beforeLoad, ...contextOptions } = options;
  const context = await browser.newContext(contextOptions);
  if (identity !== undefined) {
    // Only on the first load: later reloads keep whatever the page stored.
    await context.addInitScript((value) => {
      if (sessionStorage.getItem("test:seeded") === null) {
        sessionStorage.setItem("test:seeded", "1");
        localStorage.setItem("quick-chat:identity", value);
      }
    }, JSON.stringify(identity));
  }
  const page = await context.newPage();
  const problems = watchProblems(page);
  await beforeLoad?.(page);
  await page.goto(address);
  if (waitOnline) await waitUntilOnline(page);
  return { context, page, problems };
}

/** Collects console errors and uncaught exceptions of a page. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

/** Waits until the connection badge says "Online". */
export async function waitUntilOnline(page: Page): Promise<void> {
  await page.getByRole("status").filter({ hasText: /^Online$/ }).waitFor();
}

/** The list of people: everyone online, and those I have a conversation with. */
export function onlineList(page: Page): Locator {
  return page.getByRole("list", { name: "People" });
}

/** The button of a peer in the online list. */
export function peerButton(page: Page, name: string): Locator {
  return onlineList(page).getByRole("button", { name });
}

/** The open conversation. */
export function conversation(page: Page): Locator {
  return page.getByRole("log", { name: "Conversation" });
}

/** The message box. */
export function messageBox(page: Page): Locator {
  return page.getByRole("textbox", { name: "Message", exact: true });
}

/** The send button. */
export function sendButton(page: Page): Locator {
  return page.getByRole("button", { name: "Send", exact: true });
}

/** My display name as the page shows it, once known. */
export async function myName(page: Page): Promise<string> {
  const name = page.getByTestId("my-name");
  await page.waitForFunction(() => document.querySelector("[data-testid=my-name]")?.textContent !== "…");
  return (await name.textContent())!;
}

/**
 * Makes the page behave as in a browser set to block cookies: it says so
 * (`navigator.cookieEnabled`), and no cookie the server sets is kept, since
 * the answers to registrations reach it without their `Set-Cookie`.
 */
export async function blockCookies(page: Page): Promise<void> {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, "cookieEnabled", { get: () => false }));
  await page.route((url) => url.pathname === "/presence/register", async (route) => {
    const request = route.request();
    const headers = Object.entries(await request.allHeaders())
      .filter(([name]) => !["host", "content-length", "cookie"].includes(name) && !name.startsWith(":"));
    try {
      const response = await fetch(request.url(), {
        method: request.method(),
        headers,
        body: request.postData(),
      });
      const kept = [...response.headers].filter(([name]) => name !== "set-cookie");
      await route.fulfill({ status: response.status, headers: Object.fromEntries(kept), body: await response.text() });
    } catch {
      // The server could not be reached (a test cut the connection): so the page sees it.
      await route.abort("connectionfailed");
    }
  });
}
