import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "./browser.ts";
import {
  blockCookies,
  type ChatUser,
  conversation,
  messageBox,
  myName,
  onlineList,
  openChat,
  peerButton,
  PHONE,
  SCREENSHOTS,
  sendButton,
  waitUntilOnline,
  watchProblems,
} from "./chat_page.ts";
import { startServer, type TestServer } from "./harness.ts";
import { TcpProxy } from "./tcp_proxy.ts";
import { NAME_MAX } from "../lib/protocol.ts";

const ADA = { user_id: "aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa", name: "Ada Lovelace" };
const BOB = { user_id: "bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb", name: "Bob Marley" };
const CAROL = { user_id: "cccccccc-3333-4333-8333-cccccccccccc", name: "Carol Shaw" };

/** An init script: collects in `globalThis.textsSeen` which of `texts` the page ever showed, however briefly. */
function watchForText(texts: string[]) {
  const seen: string[] = [];
  (globalThis as { textsSeen?: string[] }).textsSeen = seen;
  new MutationObserver(() => {
    const shown = document.body?.textContent ?? "";
    for (const text of texts) if (shown.includes(text) && !seen.includes(text)) seen.push(text);
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** Runs `fn` with a server and a browser, both stopped after, whatever happens. */
function uiTest(name: string, fn: (server: TestServer, browser: Browser) => Promise<void>, env = {}): void {
  Deno.test({
    name,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const server = await startServer("pglite", env);
      const browser = await launchBrowser();
      try {
        await fn(server, browser);
      } finally {
        await browser.close();
        await server.shutdown();
      }
    },
  });
}

function assertNoProblems(...users: ChatUser[]): void {
  assert.deepEqual(users.flatMap((user) => user.problems), []);
}

/** Waits until focus is on the row of the person named (not merely somewhere whose text has the name: the page). */
async function focusOnRowOf(page: Page, name: string): Promise<void> {
  await page.waitForFunction(
    (name) => document.activeElement?.closest("[data-peer]")?.textContent?.includes(name),
    name,
  );
}

uiTest(
  "ui - two people see each other and chat both ways, with receipts, typing, unread counts and the title",
  async (server, browser) => {
    const bob = await openChat(browser, server, { identity: BOB, viewport: { width: 1280, height: 800 } });
    // Time until the list is interactive: from navigation start until the other person shows as a button.
    const ada = await openChat(browser, server, {
      identity: ADA,
      viewport: { width: 1280, height: 800 },
      waitOnline: false,
    });
    await peerButton(ada.page, BOB.name).waitFor();
    const interactiveMs = await ada.page.evaluate(() => performance.now());
    console.log(`online list interactive after ${Math.round(interactiveMs)} ms`);
    const js = await ada.page.evaluate(() =>
      performance.getEntriesByType("resource")
        .filter((entry) => entry.name.endsWith(".js"))
        .map((entry) => entry as PerformanceResourceTiming)
        .reduce(
          (sum, entry) => ({
            files: sum.files + 1,
            raw: sum.raw + entry.decodedBodySize,
            sent: sum.sent + entry.encodedBodySize,
          }),
          { files: 0, raw: 0, sent: 0 },
        )
    );
    console.log(`JavaScript loaded: ${js.files} files, ${js.raw} bytes, ${js.sent} bytes as sent (gzip)`);
    await waitUntilOnline(ada.page);
    await peerButton(bob.page, ADA.name).waitFor();
    assert.match(await ada.page.getByTestId("online-count").innerText(), /^1 online$/);
    assert.equal(await onlineList(ada.page).getByRole("button").count(), 1, "I am not in my own list");

    // Ada opens the conversation: focus lands in the message box.
    await peerButton(ada.page, BOB.name).click();
    await conversation(ada.page).waitFor();
    assert.equal(await ada.page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "Message");

    // Typing shows on Bob's side, in the list.
    await messageBox(ada.page).pressSequentially("Hello Bob", { delay: 20 });
    await peerButton(bob.page, ADA.name).filter({ hasText: "typing…" }).waitFor();

    // Enter sends; Bob gets an unread badge and the title counts it.
    await messageBox(ada.page).press("Enter");
    assert.equal(await messageBox(ada.page).inputValue(), "");
    await conversation(ada.page).getByText("Hello Bob").waitFor();
    await peerButton(bob.page, ADA.name).filter({ hasText: "1 unread message" }).waitFor();
    await bob.page.waitForFunction(() => document.title === "(1) Quick Chat");
    await Deno.mkdir(SCREENSHOTS, { recursive: true });
    await bob.page.screenshot({ path: new URL("desktop-unread.png", SCREENSHOTS).pathname });
    await peerButton(bob.page, ADA.name).filter({ hasNotText: "typing…" }).waitFor();
    await conversation(ada.page).getByRole("img", { name: "Delivered" }).waitFor();
    const delivered = await conversation(ada.page).getByRole("img", { name: "Delivered" }).evaluate(
      lowestContrast,
      true,
    );
    assert.equal(delivered.ratio, 1, "the delivered mark has no shape of its own");

    // Bob opens it: the badge and title clear, and Ada sees it read.
    await peerButton(bob.page, ADA.name).click();
    await conversation(bob.page).getByText("Hello Bob").waitFor();
    await bob.page.waitForFunction(() => document.title === "Quick Chat");
    assert.equal(await peerButton(bob.page, ADA.name).filter({ hasText: "unread" }).count(), 0);
    await conversation(ada.page).getByRole("img", { name: "Read" }).waitFor();
    // Read and delivered look different by more than hue: the read mark is a shape of its own, which stands out from
    // the bubble (3:1, as WCAG asks of the parts of a control), where the delivered one has none.
    const read = await conversation(ada.page).getByRole("img", { name: "Read" }).evaluate(lowestContrast, true);
    assert.ok(read.ratio >= 3, `the read mark's shape stands out from its bubble at ${read.ratio.toFixed(2)}:1`);

    // Bob answers with the Send button; Ada sees him typing in the conversation first.
    await messageBox(bob.page).pressSequentially("Hi Ada!", { delay: 20 });
    await ada.page.getByRole("status").filter({ hasText: `${BOB.name} is typing…` }).waitFor();
    await sendButton(bob.page).click();
    await conversation(ada.page).getByText("Hi Ada!").waitFor();
    await ada.page.getByRole("status").filter({ hasText: "is typing" }).waitFor({ state: "detached" });

    // Shift+Enter adds a line; the two lines travel as one message.
    await messageBox(bob.page).fill("line one");
    await messageBox(bob.page).press("Shift+Enter");
    await messageBox(bob.page).pressSequentially("line two");
    assert.equal(await messageBox(bob.page).inputValue(), "line one\nline two");
    await messageBox(bob.page).press("Enter");
    const twoLines = conversation(ada.page).getByText("line one");
    await twoLines.waitFor();
    assert.equal(await twoLines.innerText(), "line one\nline two");

    // HTML is shown as text, never as markup.
    const html = `<img src=x onerror="window.pwned=1"><b>bold</b> & <script>window.pwned=2</script>`;
    await messageBox(ada.page).fill(html);
    await messageBox(ada.page).press("Enter");
    await conversation(bob.page).getByText(html, { exact: true }).waitFor();
    assert.equal(await conversation(bob.page).locator("img, b, script").count(), 0);
    assert.equal(await bob.page.evaluate(() => "pwned" in globalThis), false);

    // Empty and over-long messages cannot be sent.
    await messageBox(ada.page).fill("   \n  ");
    assert.equal(await sendButton(ada.page).isDisabled(), true);
    await messageBox(ada.page).fill("x".repeat(2001));
    assert.equal(await sendButton(ada.page).isDisabled(), true);
    await ada.page.getByText("1 characters over the 2,000 limit").waitFor();
    await messageBox(ada.page).press("Enter");
    assert.equal((await messageBox(ada.page).inputValue()).length, 2001, "Enter did not send it");
    await messageBox(ada.page).fill("x".repeat(2000));
    assert.equal(await sendButton(ada.page).isEnabled(), true);
    await messageBox(ada.page).fill("Nice to meet you!");

    await Deno.mkdir(SCREENSHOTS, { recursive: true });
    await ada.page.screenshot({ path: new URL("desktop.png", SCREENSHOTS).pathname });
    await bob.page.screenshot({ path: new URL("desktop-peer.png", SCREENSHOTS).pathname });
    assertNoProblems(ada, bob);
  },
);

uiTest(
  "ui - a reload keeps identity and conversation, and after closing the browser the user is offline but their messages can still be read",
  async (server, browser) => {
    const ada = await openChat(browser, server);
    const bob = await openChat(browser, server);
    const adaName = await myName(ada.page);
    const bobName = await myName(bob.page);
    assert.notEqual(adaName, "…");

    await peerButton(ada.page, bobName).click();
    await messageBox(ada.page).fill("before the reload");
    await messageBox(ada.page).press("Enter");
    await conversation(ada.page).getByRole("img", { name: "Delivered" }).waitFor();

    await ada.page.reload();
    await waitUntilOnline(ada.page);
    assert.equal(await myName(ada.page), adaName);
    await conversation(ada.page).getByText("before the reload").waitFor();
    assert.equal(await onlineList(bob.page).getByRole("button").count(), 1, "the reload did not duplicate Ada");

    // The sockets work after the reload: Ada's next message is delivered, and Bob has both unread.
    await messageBox(ada.page).fill("after the reload");
    await messageBox(ada.page).press("Enter");
    await conversation(ada.page).getByRole("img", { name: "Delivered" }).nth(1).waitFor();
    await peerButton(bob.page, adaName).filter({ hasText: "2 unread messages" }).waitFor();
    await bob.page.waitForFunction(() => document.title === "(2) Quick Chat");

    // Ada closes her browser before Bob reads them: she is no longer counted online, but her row
    // stays, marked offline, so that Bob can still open the conversation and read what she wrote.
    await ada.context.close();
    await peerButton(bob.page, adaName).filter({ hasText: "offline" }).waitFor();
    assert.match(await bob.page.getByTestId("online-count").innerText(), /^0 online$/);
    await peerButton(bob.page, adaName).click();
    await conversation(bob.page).getByText("after the reload").waitFor();
    await bob.page.waitForFunction(() => document.title === "Quick Chat");
    assert.equal(await peerButton(bob.page, adaName).filter({ hasText: "unread" }).count(), 0);

    // A message to her fails kindly.
    await bob.page.getByRole("heading", { name: adaName }).waitFor();
    await bob.page.getByText(`${adaName} is offline. Messages can't be delivered until they're back.`).waitFor();
    await messageBox(bob.page).fill("are you there?");
    await messageBox(bob.page).press("Enter");
    await conversation(bob.page).getByRole("alert").filter({
      hasText: `${adaName} was offline, so this wasn't delivered.`,
    })
      .waitFor();
    await conversation(bob.page).getByRole("button", { name: "Retry" }).waitFor();
    assertNoProblems(ada, bob);
  },
);

uiTest(
  "ui - on a phone the list and the conversation are separate views, without horizontal scroll",
  async (server, browser) => {
    const ada = await openChat(browser, server, { identity: ADA, ...PHONE });
    const bob = await openChat(browser, server, { identity: BOB, viewport: { width: 1280, height: 800 } });
    const noHorizontalScroll = () => document.documentElement.scrollWidth <= document.documentElement.clientWidth;

    await peerButton(ada.page, BOB.name).waitFor();
    assert.equal(await conversation(ada.page).count(), 0);
    assert.ok(await ada.page.evaluate(noHorizontalScroll));
    await Deno.mkdir(SCREENSHOTS, { recursive: true });
    await ada.page.screenshot({ path: new URL("mobile-list.png", SCREENSHOTS).pathname });

    await peerButton(ada.page, BOB.name).tap();
    await conversation(ada.page).waitFor();
    assert.equal(await onlineList(ada.page).isVisible(), false, "the list is a view of its own");
    assert.equal(await ada.page.evaluate(() => document.activeElement?.id), "conversation-title");
    const long = `https://example.com/${"a-very-long-path-segment".repeat(12)} ${"x".repeat(300)}`;
    // A touch keyboard has no Shift + Enter: there Return makes a new line, and the button sends.
    await messageBox(ada.page).fill("First line");
    await messageBox(ada.page).press("Enter");
    assert.equal(await messageBox(ada.page).inputValue(), "First line\n");
    const described = (element: Element) =>
      document.getElementById(element.getAttribute("aria-describedby")!)?.textContent;
    assert.equal(
      await messageBox(ada.page).evaluate(described),
      "Return makes a new line; the button, or Ctrl + Enter, sends.",
    );
    // A tablet's own keyboard sends with Ctrl + Enter.
    await messageBox(ada.page).fill("From the keyboard");
    await messageBox(ada.page).press("Control+Enter");
    await conversation(ada.page).getByText("From the keyboard").waitFor();
    await messageBox(ada.page).fill(`First line\n${long}`);
    await sendButton(ada.page).tap();
    await peerButton(bob.page, ADA.name).click();
    const twoLines = conversation(bob.page).getByText("First line");
    assert.equal(await twoLines.evaluate((element) => element.textContent), `First line\n${long}`);
    await messageBox(bob.page).fill("Replies fit the screen too, however long the words get.");
    await messageBox(bob.page).press("Enter");
    await conversation(ada.page).getByText("Replies fit the screen").waitFor();
    assert.ok(await ada.page.evaluate(noHorizontalScroll));
    await ada.page.screenshot({ path: new URL("mobile-conversation.png", SCREENSHOTS).pathname });

    // Back to the list: focus returns to the person the conversation was with.
    await ada.page.getByRole("button", { name: "Back to people" }).tap();
    await onlineList(ada.page).waitFor();
    assert.equal(await conversation(ada.page).count(), 0);
    await focusOnRowOf(ada.page, BOB.name);
    assert.ok(await ada.page.evaluate(noHorizontalScroll));
    assertNoProblems(ada, bob);
  },
);

uiTest(
  "ui - right-to-left text reads right to left, in the bubble, the preview and the message box",
  async (server, browser) => {
    const ada = await openChat(browser, server, { identity: ADA });
    const bob = await openChat(browser, server, { identity: BOB });
    const direction = (element: Element) => getComputedStyle(element).direction;
    const hebrew = "שלום, מה שלומך?";
    await peerButton(ada.page, BOB.name).click();
    await messageBox(ada.page).fill("Hello first.");
    await messageBox(ada.page).press("Enter");
    await messageBox(ada.page).fill(hebrew);
    assert.equal(await messageBox(ada.page).evaluate(direction), "rtl", "the message box, as it is typed in");
    await messageBox(ada.page).press("Enter");

    await peerButton(bob.page, ADA.name).filter({ hasText: hebrew }).waitFor();
    const preview = peerButton(bob.page, ADA.name).getByText(hebrew, { exact: true });
    assert.equal(await preview.evaluate(direction), "rtl", "the list's preview");
    // Cut short, it loses its end and not its beginning: what cuts it reads right to left itself.
    assert.equal(await preview.evaluate((element) => getComputedStyle(element).textOverflow), "ellipsis");
    await peerButton(bob.page, ADA.name).click();
    // The bubble, so that its question mark ends the sentence on the left and wrapped lines align right.
    const bubble = (text: string) => conversation(bob.page).getByText(text).locator("..");
    assert.equal(await bubble(hebrew).evaluate(direction), "rtl");
    assert.equal(await bubble("Hello first.").evaluate(direction), "ltr");
    assert.equal(await messageBox(bob.page).evaluate(direction), "ltr", "an empty box reads as the page does");
    assertNoProblems(ada, bob);
  },
);

uiTest("ui - someone who leaves while typing is no longer shown typing", async (server, browser) => {
  const ada = await openChat(browser, server, { identity: ADA });
  const bob = await openChat(browser, server, { identity: BOB });
  await peerButton(ada.page, BOB.name).click();
  await messageBox(ada.page).fill("Are you there?");
  await messageBox(ada.page).press("Enter");
  await peerButton(bob.page, ADA.name).click();
  await conversation(bob.page).getByText("Are you there?").waitFor();
  await messageBox(bob.page).pressSequentially("I was about to say", { delay: 20 });
  await ada.page.getByRole("status").filter({ hasText: `${BOB.name} is typing…` }).waitFor();

  // Bob's page goes away mid-sentence: no "stop" ever comes, but his leaving says enough.
  await bob.context.close();
  await ada.page.getByText(`${BOB.name} is offline. Messages can't be delivered until they're back.`).waitFor();
  assert.equal(await ada.page.getByText("typing…").count(), 0, "not in the conversation, nor in the list");
  assertNoProblems(ada);
});

/**
 * The lowest WCAG contrast ratio among the texts shown inside `root` (leaf elements with text, not visually hidden),
 * and the placeholder of every field in it, each against the background it is drawn on; with the worst text. With
 * `ownBackground`, instead the contrast of `root`'s own background against what it is drawn on.
 */
function lowestContrast(root: Element, ownBackground = false): { ratio: number; text: string } {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const context = canvas.getContext("2d", { willReadFrequently: true })!;
  // Any CSS colour (Tailwind's are oklch) as sRGB channels 0–255 and alpha 0–1, as the browser paints it.
  const rgba = (color: string) => {
    context.clearRect(0, 0, 1, 1);
    context.fillStyle = color;
    context.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top: number[], below: number[]) => [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3]));
  const background = (element: Element) => {
    const layers: number[][] = [];
    for (let node: Element | null = element; node !== null; node = node.parentElement) {
      const layer = rgba(getComputedStyle(node).backgroundColor);
      if (layer[3] > 0) layers.push(layer);
      if (layer[3] >= 1) break;
    }
    return layers.reduceRight((below, layer) => over(layer, below), [255, 255, 255]);
  };
  const luminance = (rgb: number[]) => {
    const [r, g, b] = rgb.map((channel) => {
      const c = channel / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (element: Element, pseudo?: string) => {
    const behind = background(element);
    const [a, b] = [luminance(over(rgba(getComputedStyle(element, pseudo).color), behind)), luminance(behind)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  if (ownBackground) {
    const [a, b] = [luminance(background(root)), luminance(background(root.parentElement!))];
    return { ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), text: root.textContent ?? "" };
  }
  let worst = { ratio: Infinity, text: "" };
  for (const element of root.querySelectorAll("*")) {
    const own = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim());
    const box = element.getBoundingClientRect();
    if (own && box.width > 1 && box.height > 1 && element.checkVisibility()) {
      const value = ratio(element);
      if (value < worst.ratio) worst = { ratio: value, text: element.textContent!.trim() };
    }
    if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
      const value = ratio(element, "::placeholder");
      if (value < worst.ratio) worst = { ratio: value, text: `placeholder "${element.placeholder}"` };
    }
  }
  return worst;
}

for (const colorScheme of ["light", "dark"] as const) {
  uiTest(
    `ui - every text in the list and the message box is readable (contrast 4.5:1), ${colorScheme}`,
    async (server, browser) => {
      const ada = await openChat(browser, server, {
        identity: ADA,
        colorScheme,
        viewport: { width: 1280, height: 800 },
      });
      const bob = await openChat(browser, server, { identity: BOB });
      // Ada's list has Bob's row selected, with a preview and its time, and then marked offline.
      await peerButton(ada.page, BOB.name).click();
      await messageBox(ada.page).fill("Hello there");
      await messageBox(ada.page).press("Enter");
      await conversation(ada.page).getByRole("img", { name: "Delivered" }).waitFor();
      await bob.context.close();
      await peerButton(ada.page, BOB.name).filter({ hasText: "offline" }).waitFor();
      for (const root of [ada.page.getByRole("region", { name: "People" }), ada.page.locator("form")]) {
        const { ratio, text } = await root.evaluate(lowestContrast);
        assert.ok(ratio >= 4.5, `"${text}" has a contrast of ${ratio.toFixed(2)}:1`);
      }
      assertNoProblems(ada);
    },
  );
}

uiTest(
  "ui - on a phone a name as wide as allowed gives way instead of running off the screen",
  async (server, browser) => {
    const wide = { ...ADA, name: "W".repeat(NAME_MAX) };
    const ada = await openChat(browser, server, { identity: wide });
    const bob = await openChat(browser, server, { identity: BOB, ...PHONE });
    await peerButton(ada.page, BOB.name).click();
    await messageBox(ada.page).fill("Hello from a long name");
    await messageBox(ada.page).press("Enter");
    await peerButton(bob.page, wide.name).tap();
    await conversation(bob.page).getByText("Hello from a long name").waitFor();
    await messageBox(ada.page).pressSequentially("And more", { delay: 20 });
    const typing = bob.page.getByRole("status").filter({ hasText: `${wide.name} is typing…` });
    await typing.waitFor();

    const beyond = await bob.page.evaluate(() =>
      [...document.querySelectorAll("body *")]
        .filter((element) => element.checkVisibility() && element.getBoundingClientRect().right > innerWidth + 0.5)
        .map((element) => element.outerHTML.slice(0, 100))
    );
    assert.deepEqual(beyond, [], "nothing reaches past the screen's right edge");
    assert.ok(await typing.evaluate((element) => element.scrollHeight <= element.clientHeight), "one line, not cut");
    assertNoProblems(ada, bob);
  },
);

uiTest("ui - on a phone, Back closes the conversation instead of leaving Quick Chat", async (server, browser) => {
  const ada = await openChat(browser, server, { identity: ADA, ...PHONE });
  const bob = await openChat(browser, server, { identity: BOB });
  const address = ada.page.url();
  await peerButton(ada.page, BOB.name).tap();
  await conversation(ada.page).waitFor();

  await ada.page.goBack();
  await onlineList(ada.page).waitFor();
  assert.equal(await conversation(ada.page).count(), 0);
  assert.equal(ada.page.url(), address, "still on Quick Chat");
  await ada.page.goForward();
  await conversation(ada.page).waitFor();

  // Closed with the page's own button, the conversation takes its entry along: Forward reopens it.
  await ada.page.getByRole("button", { name: "Back to people" }).tap();
  await onlineList(ada.page).waitFor();
  await ada.page.waitForFunction(() => (history.state?.quickChatPeer ?? null) === null);
  await ada.page.goForward();
  await conversation(ada.page).waitFor();
  // Closed and another opened at once, before the history caught up: the one opened stays, with its entry.
  const carol = await server.register("Carol Shaw");
  const carolSocket = await server.chat(carol);
  await ada.page.locator(`[data-peer="${carol.userId}"]`).waitFor({ state: "attached" });
  await ada.page.evaluate((carolId) => {
    document.querySelector<HTMLButtonElement>("[aria-label='Back to people']")!.click();
    document.querySelector<HTMLButtonElement>(`[data-peer="${carolId}"]`)!.click();
  }, carol.userId);
  await ada.page.waitForFunction((carolId) => history.state?.quickChatPeer === carolId, carol.userId);
  await ada.page.getByRole("heading", { name: "Carol Shaw" }).waitFor();
  await ada.page.goBack();
  await onlineList(ada.page).waitFor();
  // A reload with the conversation open keeps Back working.
  await peerButton(ada.page, BOB.name).tap();
  await conversation(ada.page).waitFor();
  await ada.page.reload();
  await conversation(ada.page).waitFor();
  await ada.page.goBack();
  await onlineList(ada.page).waitFor();
  assert.equal(ada.page.url(), address);
  await carolSocket.close();
  assertNoProblems(ada, bob);
});

uiTest("ui - in a conversation on a phone, a message from someone else is pointed out", async (server, browser) => {
  const ada = await openChat(browser, server, { identity: ADA, ...PHONE });
  const bob = await openChat(browser, server, { identity: BOB });
  const carolsPage = await openChat(browser, server, { identity: CAROL });
  await peerButton(ada.page, BOB.name).tap();
  await conversation(ada.page).waitFor();

  // Bob's message shows in the open conversation; it is not pointed out.
  await peerButton(bob.page, ADA.name).click();
  await messageBox(bob.page).fill("Lunch?");
  await messageBox(bob.page).press("Enter");
  await conversation(ada.page).getByText("Lunch?").waitFor();
  // Carol's would otherwise show only in the hidden list.
  await peerButton(carolsPage.page, ADA.name).click();
  await messageBox(carolsPage.page).fill("Are you free at three?");
  await messageBox(carolsPage.page).press("Enter");
  const notice = ada.page.getByRole("status").filter({
    hasText: "New message from Carol Shaw: Are you free at three?",
  });
  await notice.waitFor();
  assert.equal(await ada.page.getByRole("status").filter({ hasText: "New message from Bob" }).count(), 0);

  await ada.page.getByRole("button", { name: "Open the conversation with Carol Shaw" }).tap();
  await ada.page.getByRole("heading", { name: CAROL.name }).waitFor();
  await conversation(ada.page).getByText("Are you free at three?").waitFor();
  await notice.waitFor({ state: "detached" });
  assertNoProblems(ada, bob, carolsPage);
});

uiTest("ui - a message pointed out while the page is hidden waits there for the reader", async (server, browser) => {
  // The page's clock is Playwright's, so that the notice's time can pass without waiting for it.
  const ada = await openChat(browser, server, { identity: ADA, ...PHONE, beforeLoad: (page) => page.clock.install() });
  const carolsPage = await openChat(browser, server, { identity: CAROL });
  await openChat(browser, server, { identity: BOB });
  await peerButton(ada.page, BOB.name).tap();
  await conversation(ada.page).waitFor();
  const setVisibility = (state: DocumentVisibilityState) =>
    ada.page.evaluate((state) => {
      Object.defineProperty(document, "visibilityState", { value: state, configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    }, state);

  // Ada's phone is in her pocket when Carol writes, and stays there for a while.
  await setVisibility("hidden");
  await peerButton(carolsPage.page, ADA.name).click();
  await messageBox(carolsPage.page).fill("Call me when you can");
  await messageBox(carolsPage.page).press("Enter");
  const notice = ada.page.getByRole("status").filter({ hasText: "New message from Carol Shaw: Call me when you can" });
  await notice.waitFor();
  await ada.page.clock.fastForward(60_000);
  assert.equal(await notice.count(), 1, "still there after a minute out of view");

  // Back in view, it stays for its while, and then goes.
  await setVisibility("visible");
  await ada.page.clock.fastForward(4_000);
  assert.equal(await notice.count(), 1);
  await ada.page.clock.fastForward(5_000);
  await notice.waitFor({ state: "detached" });
  assertNoProblems(ada, carolsPage);
});

uiTest(
  "ui - when the person whose row has focus leaves, focus moves to the row in their place",
  async (server, browser) => {
    const ada = await openChat(browser, server, { identity: ADA });
    const bob = await openChat(browser, server, { identity: BOB });
    await openChat(browser, server, { identity: CAROL });
    await peerButton(ada.page, CAROL.name).waitFor();
    await peerButton(ada.page, BOB.name).focus();

    await bob.context.close();
    await peerButton(ada.page, BOB.name).waitFor({ state: "detached" });
    await ada.page.waitForFunction(
      (name) => document.activeElement?.closest("[data-peer]")?.textContent?.includes(name),
      CAROL.name,
    );
    assertNoProblems(ada);
  },
);

uiTest(
  "ui - when a focused person leaves while the reader has scrolled away, the list stays put",
  async (server, browser) => {
    const sockets = [];
    for (let i = 1; i <= 40; i++) {
      sockets.push(
        await server.chat(await server.register(`Person ${String(i).padStart(2, "0")}`)),
      );
    }
    try {
      const ada = await openChat(browser, server, { identity: ADA, viewport: { width: 1280, height: 800 } });
      await ada.page.getByTestId("online-count").filter({ hasText: "40" }).waitFor();
      await peerButton(ada.page, "Person 02").focus();
      const scroller = onlineList(ada.page).locator("..");
      // Halfway down: far from Person 02, and not at the end, where a shorter list would have to scroll up.
      await scroller.evaluate((element) => element.scrollTo({ top: 20 * 64, behavior: "instant" }));
      await peerButton(ada.page, "Person 25").waitFor();
      const halfway = await scroller.evaluate((element) => element.scrollTop);

      await sockets.splice(1, 1)[0].close();
      await peerButton(ada.page, "Person 02").waitFor({ state: "detached" });
      await ada.page.waitForFunction(() => document.activeElement?.closest("[data-peer]") !== null);
      assert.equal(await scroller.evaluate((element) => element.scrollTop), halfway, "the list did not scroll");
      const inView = await ada.page.evaluate(() => {
        const row = document.activeElement!.getBoundingClientRect();
        const view = document.activeElement!.closest("ul")!.parentElement!.getBoundingClientRect();
        return row.top >= view.top && row.bottom <= view.bottom;
      });
      assert.ok(inView, "focus went to a row in view");
      assertNoProblems(ada);
    } finally {
      await Promise.all(sockets.map((socket) => socket.close()));
    }
  },
);

uiTest("ui - dark mode follows the system and stays readable", async (server, browser) => {
  const dark = { colorScheme: "dark" as const, viewport: { width: 1280, height: 800 } };
  const ada = await openChat(browser, server, { identity: ADA, ...dark });
  const bob = await openChat(browser, server, { identity: BOB, ...dark, viewport: { width: 390, height: 844 } });
  await peerButton(ada.page, BOB.name).click();
  await messageBox(ada.page).fill("Evening! Dark mode is easy on the eyes.");
  await messageBox(ada.page).press("Enter");
  await peerButton(bob.page, ADA.name).click();
  await conversation(bob.page).getByText("Evening!").waitFor();
  await messageBox(bob.page).fill("It really is. Night owls unite.");
  await messageBox(bob.page).press("Enter");
  await conversation(ada.page).getByText("Night owls").waitFor();
  const background = await ada.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  // Tailwind's colours are oklch(): the first number is the lightness, 0 to 1.
  const lightness = Number(background.match(/^oklch\(([\d.]+)/)?.[1]);
  assert.ok(lightness < 0.3, `the page is dark (${background})`);
  await Deno.mkdir(SCREENSHOTS, { recursive: true });
  await ada.page.screenshot({ path: new URL("dark.png", SCREENSHOTS).pathname });
  await bob.page.screenshot({ path: new URL("dark-mobile.png", SCREENSHOTS).pathname });
  assertNoProblems(ada, bob);
});

uiTest(
  "ui - without JavaScript the page says chat needs it; with it, the page keeps a strict CSP",
  async (server, browser) => {
    const response = await fetch(server.http("/"));
    const html = await response.text();
    const csp = response.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self' 'nonce-[^']+'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.doesNotMatch(html, /\sstyle=|<style/i, "no inline styles in the server's markup");
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    for (const tag of scripts) assert.match(tag, /type="application\/json"|nonce="/, `${tag} is allowed by the CSP`);

    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.http("/"));
    await page.getByRole("heading", { name: "Quick Chat needs JavaScript" }).waitFor();
    assert.equal(await onlineList(page).isVisible(), false);
    assert.equal(await page.getByText("Connecting…").first().isVisible(), false);
    await Deno.mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: new URL("no-javascript.png", SCREENSHOTS).pathname });
    await context.close();
  },
);

uiTest(
  "ui - the keyboard alone finds a person, opens the conversation and sends; renaming shows everywhere",
  async (server, browser) => {
    const ada = await openChat(browser, server, { identity: ADA });
    const bob = await openChat(browser, server, { identity: BOB });
    await peerButton(ada.page, BOB.name).waitFor();

    const focused = () =>
      ada.page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute("aria-label"));
    for (let presses = 0; presses < 10 && await focused() !== "people-search"; presses++) {
      await ada.page.keyboard
        .press("Tab");
    }
    assert.equal(await focused(), "people-search");
    await ada.page.keyboard.type("bob");
    await ada.page.keyboard.press("ArrowDown");
    await focusOnRowOf(ada.page, BOB.name);
    await ada.page.keyboard.press("Enter");
    await conversation(ada.page).waitFor();
    await ada.page.waitForFunction(() => document.activeElement?.getAttribute("aria-label") === "Message");
    await ada.page.keyboard.type("Typed without a mouse");
    await ada.page.keyboard.press("Enter");
    await peerButton(bob.page, ADA.name).filter({ hasText: "Typed without a mouse" }).waitFor();

    // A search that matches nobody says so.
    await ada.page.getByRole("searchbox", { name: "Search people" }).fill("zzz");
    await ada.page.getByText("No one matches “zzz”.").waitFor();
    await ada.page.getByRole("searchbox", { name: "Search people" }).fill("");

    // Renaming: a refused name is explained, a good one reaches the peer.
    await ada.page.getByRole("button", { name: "Change your name" }).click();
    const field = ada.page.getByRole("textbox", { name: "Your name" });
    assert.equal(await field.inputValue(), ADA.name);
    await field.fill("   ");
    await field.press("Enter");
    await ada.page.getByRole("alert").filter({ hasText: "Your name can't be empty." }).waitFor();
    await field.fill("Countess Ada");
    await field.press("Enter");
    await ada.page.getByTestId("my-name").filter({ hasText: "Countess Ada" }).waitFor();
    assert.equal(await focused(), "Change your name", "focus returns to the button");
    await peerButton(bob.page, "Countess Ada").waitFor();
    await ada.page.reload();
    await waitUntilOnline(ada.page);
    assert.equal(await myName(ada.page), "Countess Ada");
    assertNoProblems(ada, bob);
  },
);

uiTest("ui - keyboard focus stays on the person it was on when the list reorders", async (server, browser) => {
  const ada = await openChat(browser, server, { identity: ADA });
  const carol = await server.register("Carol");
  const dan = await server.register("Dan");
  const [carolChat, danChat] = [await server.chat(carol), await server.chat(dan)];
  const focusedPeer = () => ada.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.peer);
  const order = () =>
    onlineList(ada.page).locator("[data-peer]").evaluateAll((rows) =>
      rows.map((row) => (row as HTMLElement).dataset.peer)
    );
  const dm = (socket: typeof carolChat, text: string) => socket.send({ type: "dm", to: ADA.user_id, text });

  await peerButton(ada.page, "Dan").waitFor();
  await peerButton(ada.page, "Carol").focus();
  await ada.page.keyboard.press("ArrowDown");
  await ada.page.waitForFunction(
    (id) => (document.activeElement as HTMLElement | null)?.dataset.peer === id,
    dan.userId,
  );

  // Dan writes: his row moves to the top, and focus goes with him.
  dm(danChat, "Hello from Dan");
  await peerButton(ada.page, "Dan").filter({ hasText: "Hello from Dan" }).waitFor();
  assert.deepEqual(await order(), [dan.userId, carol.userId]);
  assert.equal(await focusedPeer(), dan.userId, "focus followed Dan to the top");

  // Carol writes: she moves above him, and focus stays on Dan.
  dm(carolChat, "Hello from Carol");
  await peerButton(ada.page, "Carol").filter({ hasText: "Hello from Carol" }).waitFor();
  assert.deepEqual(await order(), [carol.userId, dan.userId]);
  assert.equal(await focusedPeer(), dan.userId, "focus stayed on Dan");

  // The arrow keys go on from where focus is.
  await ada.page.keyboard.press("ArrowUp");
  await ada.page.waitForFunction(
    (id) => (document.activeElement as HTMLElement | null)?.dataset.peer === id,
    carol.userId,
  );

  // Twenty more people write: Carol is pushed below the rows in view. Focus stays on her; the list stays put.
  const crowd = [];
  for (let i = 1; i <= 20; i++) {
    const user = await server.register(`Writer ${String(i).padStart(2, "0")}`);
    crowd.push(await server.chat(user));
  }
  await ada.page.getByTestId("online-count").filter({ hasText: "22" }).waitFor();
  crowd.forEach((socket, i) => dm(socket, `Note ${i + 1}`));
  // Each note puts its writer above her: after the twentieth she is 21st.
  await ada.page.locator(`li[aria-posinset="21"] [data-peer="${carol.userId}"]`).waitFor({ state: "attached" });
  await ada.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  assert.equal(await focusedPeer(), carol.userId, "focus stayed on Carol");
  assert.equal(
    await onlineList(ada.page).evaluate((list) => list.parentElement!.scrollTop),
    0,
    "the list did not scroll by itself",
  );
  await Promise.all([carolChat, danChat, ...crowd].map((socket) => socket.close()));
  assertNoProblems(ada);
});

uiTest("ui - a focused row stays focused wherever the list moves it or the reader scrolls", async (server, browser) => {
  const ada = await openChat(browser, server, { identity: ADA });
  const carol = await server.register("Carol");
  const sockets = [await server.chat(carol)];
  for (let i = 1; i <= 20; i++) {
    sockets.push(await server.chat(await server.register(`Writer ${String(i).padStart(2, "0")}`)));
  }
  await ada.page.getByTestId("online-count").filter({ hasText: "21" }).waitFor();
  const focusedPeer = () => ada.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.peer);
  const scrollTop = () => onlineList(ada.page).evaluate((list) => list.parentElement!.scrollTop);
  const twoFrames = () =>
    ada.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

  // Tab lands on the first row, Carol's; the arrow keys have not been used. Twenty people write above her.
  await peerButton(ada.page, "Carol").focus();
  sockets.slice(1).forEach((socket, i) => socket.send({ type: "dm", to: ADA.user_id, text: `Note ${i + 1}` }));
  await ada.page.locator(`li[aria-posinset="21"] [data-peer="${carol.userId}"]`).waitFor({ state: "attached" });
  await twoFrames();
  assert.equal(await focusedPeer(), carol.userId, "focus stayed on Carol, far below the rows in view");
  assert.equal(await scrollTop(), 0, "the list did not scroll by itself");
  const tabbable = await onlineList(ada.page).locator('[data-peer][tabindex="0"]').getAttribute("data-peer");
  assert.equal(tabbable, carol.userId, "Tab comes back to her row, the one in the list that takes Tab");

  // The arrow keys go on from her place: the row above hers is focused and scrolled into view.
  await ada.page.keyboard.press("ArrowUp");
  const above = ada.page.locator(`li[aria-posinset="20"] [data-peer]`);
  await ada.page.waitForFunction(
    () => (document.activeElement?.parentElement as HTMLElement | null)?.getAttribute("aria-posinset") === "20",
  );
  const aboveId = await above.getAttribute("data-peer");
  assert.ok(await scrollTop() > 0, "scrolled to the row the arrow key went to");

  // Ada scrolls back to the top: the list stays where she put it, and focus stays on that row, out of view.
  // (Notes stamped in the same millisecond sort by name, so which writer heads the list is not fixed.)
  await onlineList(ada.page).evaluate((list) => list.parentElement!.scrollTo({ top: 0, behavior: "instant" }));
  await onlineList(ada.page).locator('li[aria-posinset="1"] [data-peer]').waitFor();
  await twoFrames();
  assert.equal(await scrollTop(), 0);
  assert.equal(await focusedPeer(), aboveId);
  await Promise.all(sockets.map((socket) => socket.close()));
  assertNoProblems(ada);
});

uiTest("ui - the list stays quick with a thousand people online", async (server, browser) => {
  const crowd = 1000;
  const sockets = [];
  for (let start = 0; start < crowd; start += 50) {
    const batch = Array.from({ length: Math.min(50, crowd - start) }, async (_, offset) => {
      const user = await server.register(`Person ${String(start + offset + 1).padStart(4, "0")}`);
      return await server.chat(user);
    });
    sockets.push(...await Promise.all(batch));
  }
  try {
    const ada = await openChat(browser, server, { identity: ADA, waitOnline: false });
    await ada.page.getByTestId("online-count").filter({ hasText: String(crowd) }).waitFor();
    const shownMs = await ada.page.evaluate(() => performance.now());
    console.log(`${crowd} people listed after ${Math.round(shownMs)} ms`);
    const rendered = await onlineList(ada.page).getByRole("button").count();
    assert.ok(rendered < 60, `only the rows in view are rendered (${rendered})`);

    // Scrolled to the middle, the keyboard still gets into the list, at a row in view: by Tab from the search box,
    // and by its down arrow.
    await onlineList(ada.page).evaluate((list) => list.parentElement!.scrollTo({ top: 400 * 64, behavior: "instant" }));
    await peerButton(ada.page, "Person 0410").waitFor();
    const search = ada.page.getByRole("searchbox", { name: "Search people" });
    const focusedRowInView = () => {
      const row = document.activeElement?.closest("[data-peer]");
      const view = row?.closest("ul")?.parentElement?.getBoundingClientRect();
      const box = row?.getBoundingClientRect();
      return row && view && box ? box.top >= view.top && box.bottom <= view.bottom : false;
    };
    for (const key of ["Tab", "ArrowDown"]) {
      await search.click();
      await ada.page.keyboard.press(key);
      assert.ok(await ada.page.evaluate(focusedRowInView), `${key} from the search box lands on a row in view`);
    }
    await onlineList(ada.page).evaluate((list) => list.parentElement!.scrollTo({ top: 0, behavior: "instant" }));

    // The end of the list is reachable by keyboard, and its rows say where they are.
    await peerButton(ada.page, "Person 0001").focus();
    await ada.page.keyboard.press("End");
    await focusOnRowOf(ada.page, "Person 1000");
    const focusedPosition = await ada.page.evaluate(() =>
      document.activeElement?.closest("li")?.getAttribute("aria-posinset")
    );
    assert.equal(focusedPosition, String(crowd));

    // Searching narrows a thousand to one at once.
    const started = Date.now();
    await ada.page.getByRole("searchbox", { name: "Search people" }).fill("person 0777");
    await ada.page.getByTestId("online-count").filter({ hasText: `1 of ${crowd}` }).waitFor();
    console.log(`search over ${crowd} people took ${Date.now() - started} ms`);
    assert.equal(await onlineList(ada.page).getByRole("button").count(), 1);
    await peerButton(ada.page, "Person 0777").click();
    await conversation(ada.page).waitFor();
    assertNoProblems(ada);
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
  }
});

uiTest(
  "ui - the page reconnects by itself when the server comes back, and sends what was written meanwhile",
  async (server, browser) => {
    const ada = await openChat(browser, server, { identity: ADA });
    const bob = await openChat(browser, server, { identity: BOB });
    await peerButton(ada.page, BOB.name).click();
    await messageBox(ada.page).fill("before the restart");
    await messageBox(ada.page).press("Enter");
    await conversation(ada.page).getByRole("img", { name: "Delivered" }).waitFor();

    const port = server.server.url.port;
    await server.shutdown();
    await ada.page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor();
    await ada.page.getByText("Connection lost. Reconnecting…").filter({ visible: true }).waitFor();
    await messageBox(ada.page).fill("written while offline");
    await messageBox(ada.page).press("Enter");
    await conversation(ada.page).getByRole("img", { name: "Sending" }).waitFor();
    await Deno.mkdir(SCREENSHOTS, { recursive: true });
    await ada.page.screenshot({ path: new URL("reconnecting.png", SCREENSHOTS).pathname });

    // The same address comes back (with an emptied database): both register again and find each other.
    const restarted = await startServer("pglite", { PORT: port });
    try {
      await waitUntilOnline(ada.page);
      await waitUntilOnline(bob.page);
      await peerButton(bob.page, ADA.name).click();
      await conversation(bob.page).getByText("written while offline").waitFor();
      await conversation(ada.page).getByRole("img", { name: "Read" }).nth(1).waitFor();
      // While the server stopped and was down the browser itself logs the registrations it refused (503) and the
      // refused connections; nothing else may appear.
      const expected =
        /WebSocket connection to .* failed|Failed to load resource: (net::ERR_CONNECTION_REFUSED|the server responded with a status of 503)/;
      const unexpected = [...ada.problems, ...bob.problems].filter((problem) => !expected.test(problem));
      assert.deepEqual(unexpected, []);
    } finally {
      await browser.close();
      await restarted.shutdown();
    }
  },
);

uiTest(
  "ui - a conversation read while the connection was down is shown as read once it is back",
  async (server, browser) => {
    const ada = await openChat(browser, server, { identity: ADA });
    // Bob reaches the server through a proxy that can cut his connection alone; Ada stays online.
    const proxy = new TcpProxy(TcpProxy.freePort(), { hostname: "127.0.0.1", port: Number(server.server.url.port) });
    proxy.open();
    try {
      const bob = await openChat(browser, server, {
        identity: BOB,
        ...PHONE,
        address: `http://127.0.0.1:${proxy.port}/`,
      });
      await peerButton(ada.page, BOB.name).click();
      await messageBox(ada.page).fill("read me when you can");
      await messageBox(ada.page).press("Enter");
      await peerButton(bob.page, ADA.name).filter({ hasText: "1 unread message" }).waitFor();

      proxy.cut();
      await bob.page.getByText("Connection lost. Reconnecting…").filter({ visible: true }).waitFor();
      // Bob reads it while offline, then goes back to the list: the conversation is no longer open when he is back.
      await peerButton(bob.page, ADA.name).click();
      await conversation(bob.page).getByText("read me when you can").waitFor();
      // The list and its badge are hidden in the conversation: a screen reader still hears the state.
      await bob.page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor();
      await bob.page.keyboard.press("Escape");
      await conversation(bob.page).waitFor({ state: "detached" });

      proxy.open();
      await waitUntilOnline(bob.page);
      await conversation(ada.page).getByRole("img", { name: "Read" }).waitFor();
      assertNoProblems(ada);
    } finally {
      proxy.cut();
    }
  },
);

uiTest("ui - two tabs that lost their cookie come back as one person, not two", async (server, browser) => {
  const bob = await openChat(browser, server, { identity: BOB });
  // Ada reaches the server through a proxy that can cut her connections alone.
  const proxy = new TcpProxy(TcpProxy.freePort(), { hostname: "127.0.0.1", port: Number(server.server.url.port) });
  proxy.open();
  try {
    const address = `http://127.0.0.1:${proxy.port}/`;
    const ada = await openChat(browser, server, { identity: ADA, address });
    const secondTab = await ada.context.newPage();
    const secondTabProblems = watchProblems(secondTab);
    await secondTab.goto(address);
    await waitUntilOnline(secondTab);
    const tabs = [ada.page, secondTab];

    // The browser loses the token cookie (cleared, expired), then the connection: the old id cannot be proven.
    await ada.context.clearCookies();
    proxy.cut();
    for (const tab of tabs) await tab.getByText("Connection lost. Reconnecting…").filter({ visible: true }).waitFor();
    proxy.open();
    for (const tab of tabs) await waitUntilOnline(tab);

    // Ada comes back under a new id, one for both tabs: Bob sees one Ada, and what he writes reaches both.
    await onlineList(bob.page).locator(`[data-peer="${ADA.user_id}"]`).waitFor({ state: "detached" });
    // A tab that had made an id of its own too follows the other's, and its own leaves after the grace period.
    await bob.page.waitForFunction(
      (name) =>
        [...document.querySelectorAll("[data-peer]")].filter((row) => row.textContent?.includes(name)).length === 1,
      ADA.name,
    );
    await peerButton(bob.page, ADA.name).click();
    await messageBox(bob.page).fill("Both tabs?");
    await messageBox(bob.page).press("Enter");
    for (const tab of tabs) await peerButton(tab, BOB.name).filter({ hasText: "Both tabs?" }).waitFor();
    assert.equal(await onlineList(bob.page).getByRole("button", { name: ADA.name }).count(), 1);
    // Ada's tabs logged the outage and the refused id as failed requests; no script failed.
    assert.deepEqual([...ada.problems, ...secondTabProblems].filter((problem) => problem.startsWith("pageerror")), []);
    assertNoProblems(bob);
  } finally {
    proxy.cut();
  }
});

uiTest("ui - a browser that keeps no cookies stays one person through a reconnect", async (server, browser) => {
  // Where cookies work, the token stays out of every URL (a proxy's logs could keep it).
  const bobUrls: string[] = [];
  const bob = await openChat(browser, server, {
    identity: BOB,
    beforeLoad: (page) => {
      page.on("request", (request) => bobUrls.push(request.url()));
      page.on("websocket", (socket) => bobUrls.push(socket.url()));
    },
  });
  // Ada reaches the server through a proxy that can cut her connections alone.
  const proxy = new TcpProxy(TcpProxy.freePort(), { hostname: "127.0.0.1", port: Number(server.server.url.port) });
  proxy.open();
  try {
    const statuses: number[] = [];
    const adaSockets: string[] = [];
    const registers: Promise<{ url: string; bearer: string | undefined }>[] = [];
    const ada = await openChat(browser, server, {
      identity: ADA,
      address: `http://127.0.0.1:${proxy.port}/`,
      beforeLoad: async (page) => {
        await blockCookies(page);
        page.on("websocket", (socket) => adaSockets.push(socket.url()));
        page.on("response", (response) => {
          if (new URL(response.url()).pathname === "/presence/register") statuses.push(response.status());
        });
        page.on("request", (request) => {
          if (new URL(request.url()).pathname !== "/presence/register") return;
          registers.push(
            request.allHeaders().then((headers) => ({ url: request.url(), bearer: headers.authorization })),
          );
        });
      },
    });
    assert.deepEqual(await ada.context.cookies(), [], "the browser kept no cookie");
    await peerButton(bob.page, ADA.name).waitFor();

    proxy.cut();
    await ada.page.getByText("Connection lost. Reconnecting…").filter({ visible: true }).waitFor();
    proxy.open();
    await waitUntilOnline(ada.page);
    // Still the same Ada: Bob's conversation with her reaches her, and he never saw a second one.
    await peerButton(bob.page, ADA.name).click();
    await messageBox(bob.page).fill("Still you?");
    await messageBox(bob.page).press("Enter");
    await peerButton(ada.page, BOB.name).filter({ hasText: "Still you?" }).waitFor();
    assert.equal(await onlineList(bob.page).getByRole("button", { name: ADA.name }).count(), 1);
    assert.ok(statuses.length >= 2 && statuses.every((status) => status === 200), `registers: ${statuses}`);

    // A reload cannot prove the stored id without the cookie: the page starts afresh under the same name, without
    // claiming the old id first (a refusal that would cost the network one of its new users).
    await ada.page.reload();
    await waitUntilOnline(ada.page);
    assert.equal(await myName(ada.page), ADA.name);
    assert.ok(statuses.every((status) => status === 200), `registers: ${statuses}`);
    // Hers carry the token instead: the first pair, the pair after the cut and the pair after the reload.
    assert.ok(adaSockets.length >= 6 && adaSockets.every((url) => url.includes("token=")), `${adaSockets}`);
    // Her registrations carry it in a header, out of their URLs: the one after the cut proved her id with it.
    const sent = await Promise.all(registers);
    assert.deepEqual(sent.filter(({ url }) => url.includes("token=")), []);
    assert.ok(sent.some(({ bearer }) => /^Bearer [0-9a-f]{32}\.[\w-]{43}$/.test(bearer ?? "")), JSON.stringify(sent));
    assert.ok(bobUrls.some((url) => url.includes("/ws/chat")), "Bob's sockets were watched");
    assert.deepEqual(bobUrls.filter((url) => url.includes("token=")), []);
    assert.deepEqual(ada.problems.filter((problem) => problem.startsWith("pageerror")), []);
    assertNoProblems(bob);
  } finally {
    proxy.cut();
  }
});

uiTest(
  "ui - a newcomer from an address that just brought many gets in once the server allows",
  async (server, browser) => {
    const ada = await openChat(browser, server, { identity: ADA });
    // Ada took the address's one new user for the next 5 s; Bob, from the same address, is refused at first.
    const registers: { status: number; retryAfter: string | null }[] = [];
    const bob = await openChat(browser, server, {
      identity: BOB,
      waitOnline: false,
      beforeLoad: async (page) => {
        page.on("response", (response) => {
          if (!response.url().endsWith("/presence/register")) return;
          registers.push({ status: response.status(), retryAfter: response.headers()["retry-after"] ?? null });
        });
        await page.addInitScript(watchForText, ["Connection lost", "Reconnecting"]);
      },
    });
    // Meanwhile Bob's page says why it waits, and offers nothing to press that would only be refused again.
    const held = bob.page.getByText("Lots of people just joined from your network").filter({ visible: true });
    await held.waitFor();
    await bob.page.getByRole("status").filter({ hasText: "Waiting to join…" }).waitFor();
    assert.equal(await bob.page.getByRole("button", { name: "Retry now" }).count(), 0);
    await waitUntilOnline(bob.page);
    await held.waitFor({ state: "detached" });
    // Never, on the way in, did it look like a connection lost: it had none yet.
    assert.deepEqual(await bob.page.evaluate(() => (globalThis as { textsSeen?: string[] }).textsSeen), []);
    await peerButton(ada.page, BOB.name).waitFor();
    assert.equal(registers[0].status, 429);
    assert.match(registers[0].retryAfter!, /^[1-5]$/);
    // Each socket registers before it opens; none tried again before the server allowed it (that would be a 429).
    assert.deepEqual(registers.slice(1).map((register) => register.status), registers.slice(1).map(() => 200));
    // Chromium logs the refused request; no script failed.
    assert.deepEqual(bob.problems.filter((problem) => problem.startsWith("pageerror")), []);
    assertNoProblems(ada);
  },
  { REGISTER_RATE_PER_MIN: "12", REGISTER_BURST: "1" },
);

uiTest(
  "ui - a page held back for longer counts down the wait the server named",
  async (server, browser) => {
    // One new user per 10 s from this address: Ada takes it, and Bob waits most of ten seconds.
    await openChat(browser, server, { identity: ADA });
    const bob = await openChat(browser, server, { identity: BOB, waitOnline: false });
    const banner = bob.page.getByText("Lots of people just joined from your network").filter({ visible: true });
    const first = Number((await banner.innerText()).match(/in about (\d+) seconds/)?.[1]);
    assert.ok(first > 5 && first <= 10, `first said: ${await banner.innerText()}`);
    await banner.filter({ hasText: `in about ${first - 1} seconds` }).waitFor();
    await banner.filter({ hasText: "in a few seconds" }).waitFor();
    await waitUntilOnline(bob.page);
    assert.deepEqual(bob.problems.filter((problem) => problem.startsWith("pageerror")), []);
  },
  { REGISTER_RATE_PER_MIN: "6", REGISTER_BURST: "1" },
);

uiTest(
  "ui - a page whose stored id is taken gets a new one, and keeps it while the server makes it wait",
  async (server, browser) => {
    // Someone else holds Ada's stored id: her page is refused it (401), makes a new identity, and that one is
    // refused for now (429: the address's allowance went to the other holder and the refused claim).
    await server.register(ADA.name, ADA.user_id);
    const statuses: number[] = [];
    const ada = await openChat(browser, server, {
      identity: ADA,
      waitOnline: false,
      beforeLoad: (page) =>
        page.on("response", (response) => {
          if (response.url().endsWith("/presence/register")) statuses.push(response.status());
        }),
    });
    await waitUntilOnline(ada.page);
    assert.deepEqual(statuses.slice(0, 2), [401, 429]);
    assert.ok(
      statuses.slice(2).every((status) => status === 200),
      `then in, without claiming the old id again: ${statuses}`,
    );
    assert.equal(await myName(ada.page), ADA.name, "under her name");
    assert.deepEqual(ada.problems.filter((problem) => problem.startsWith("pageerror")), []);
  },
  { REGISTER_RATE_PER_MIN: "12", REGISTER_BURST: "2" },
);

uiTest("ui - after logging out elsewhere the page stays offline until asked to come back", async (server, browser) => {
  const ada = await openChat(browser, server, { identity: ADA });
  const bob = await openChat(browser, server, { identity: BOB });
  await peerButton(bob.page, ADA.name).waitFor();

  const token = (await ada.context.cookies()).find((cookie) => cookie.name === "qc_token")!.value;
  const response = await server.post("/presence/logout", { user_id: ADA.user_id }, { cookie: `qc_token=${token}` });
  assert.equal(response.status, 200);
  await response.body?.cancel();
  await ada.page.getByText("You went offline.").filter({ visible: true }).waitFor();
  await ada.page.getByRole("status").filter({ hasText: "Offline" }).waitFor();
  await peerButton(bob.page, ADA.name).waitFor({ state: "detached" });

  await ada.page.getByRole("button", { name: "Come back" }).click();
  await waitUntilOnline(ada.page);
  await peerButton(bob.page, ADA.name).waitFor();
  assert.equal(await ada.page.getByText("You went offline.").count(), 0);
  assertNoProblems(ada, bob);
});

uiTest(
  "ui - new messages follow the reader at the bottom, and never pull away one who scrolled up",
  async (server, browser) => {
    const ada = await openChat(browser, server, { identity: ADA });
    const bob = await openChat(browser, server, { identity: BOB, viewport: { width: 1024, height: 600 } });
    await peerButton(bob.page, ADA.name).click();
    await peerButton(ada.page, BOB.name).click();
    for (let i = 1; i <= 30; i++) {
      await messageBox(ada.page).fill(`Message number ${i}`);
      await messageBox(ada.page).press("Enter");
    }
    const log = conversation(bob.page);
    await log.getByText("Message number 30", { exact: true }).waitFor();
    const atBottom = () => {
      const element = document.querySelector("[role=log]")!;
      return element.scrollHeight - element.scrollTop - element.clientHeight < 4;
    };
    await bob.page.waitForFunction(atBottom);

    // Bob scrolls up to reread: a new message leaves him where he is and offers a way down.
    await log.evaluate((element) => element.scrollTo({ top: 0, behavior: "instant" }));
    await messageBox(ada.page).fill("One more thing");
    await messageBox(ada.page).press("Enter");
    await log.getByText("One more thing").waitFor({ state: "attached" });
    const jump = bob.page.getByRole("button", { name: "New messages" });
    await jump.waitFor();
    assert.equal(await log.evaluate((element) => element.scrollTop), 0);
    // Nor is it read while he is up there. His typing reaches Ada after any receipt sent before it (one socket).
    const mark = conversation(ada.page).getByText("One more thing").locator("..").getByRole("img");
    await messageBox(bob.page).pressSequentially("Hm", { delay: 20 });
    await ada.page.getByRole("status").filter({ hasText: `${BOB.name} is typing…` }).waitFor();
    assert.equal(await mark.getAttribute("aria-label"), "Delivered");
    await jump.click();
    await bob.page.waitForFunction(atBottom);
    await jump.waitFor({ state: "detached" });
    await mark.and(ada.page.getByRole("img", { name: "Read" })).waitFor();

    // Up again, and then the window grows until the log cannot scroll: what arrives is in view, so it is read.
    await log.evaluate((element) => element.scrollTo({ top: 0, behavior: "instant" }));
    await messageBox(ada.page).fill("Seen without scrolling");
    await messageBox(ada.page).press("Enter");
    await jump.waitFor();
    await bob.page.setViewportSize({ width: 1024, height: 4000 });
    const seen = conversation(ada.page).getByText("Seen without scrolling").locator("..").getByRole("img");
    await seen.and(ada.page.getByRole("img", { name: "Read" })).waitFor();
    assertNoProblems(ada, bob);
  },
);

uiTest("ui - the online list becomes interactive quickly", async (server, browser) => {
  const bob = await openChat(browser, server, { identity: BOB });
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const visitor = await openChat(browser, server, { waitOnline: false });
    // From navigation start until the other person shows as a button in the list.
    await peerButton(visitor.page, BOB.name).waitFor();
    times.push(Math.round(await visitor.page.evaluate(() => performance.now())));
    assertNoProblems(visitor);
    await visitor.context.close();
  }
  const median = times.toSorted((a, b) => a - b)[2];
  console.log(`online list interactive after ${times.join(", ")} ms (median ${median} ms)`);
  assert.ok(median < 3000, `median ${median} ms`);
  assertNoProblems(bob);
});

uiTest(
  "ui - messages sent faster than the rate limit allows all arrive, none failed",
  async (server, browser) => {
    const ada = await openChat(browser, server, { identity: ADA });
    const bob = await openChat(browser, server, { identity: BOB });
    await peerButton(bob.page, ADA.name).click();
    await peerButton(ada.page, BOB.name).click();
    const count = 20;
    for (let i = 1; i <= count; i++) {
      await messageBox(ada.page).fill(`Quick ${i}`);
      await messageBox(ada.page).press("Enter");
    }
    // Some were refused for Ada's pace: she is told to slow down, and they go out again on their own.
    const log = conversation(bob.page);
    for (let i = 1; i <= count; i++) await log.getByText(`Quick ${i}`, { exact: true }).waitFor();
    const received = await log.getByText(/^Quick \d+$/).allTextContents();
    assert.equal(received.length, count, "each message arrived once");
    const mine = conversation(ada.page).locator("[data-delivery]");
    await ada.page.waitForFunction(
      (n) =>
        document.querySelectorAll("[role=log] [data-delivery=delivered], [role=log] [data-delivery=read]").length === n,
      count,
    );
    assert.equal(await mine.count(), count);
    assert.equal(await conversation(ada.page).getByRole("alert").count(), 0, "no message failed");
    assertNoProblems(ada, bob);
  },
  { RATE_LIMIT_PER_SEC: "10", RATE_LIMIT_BURST: "16" },
);

Deno.test({
  name: "ui - a page on an allowed origin registers across origins and gets the cookie; another origin is kept out",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // Two frontends of their own, as the original version's Vite page on another port.
    const page = () =>
      new Response("<!doctype html><title>frontend</title>", { headers: { "content-type": "text/html" } });
    const allowed = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, page);
    const other = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, page);
    const origin = (server: Deno.HttpServer<Deno.NetAddr>) => `http://127.0.0.1:${server.addr.port}`;
    const server = await startServer("pglite", { FRONTEND_ORIGIN: origin(allowed) });
    const browser = await launchBrowser();
    try {
      const register = async (frontend: string) => {
        const context = await browser.newContext();
        const tab = await context.newPage();
        await tab.goto(frontend);
        const outcome = await tab.evaluate(async (api) => {
          try {
            const response = await fetch(`${api}presence/register`, {
              method: "POST",
              credentials: "include",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ user_id: crypto.randomUUID(), name: "Ada" }),
            });
            return { status: response.status, ok: (await response.json()).ok };
          } catch (error) {
            return { blocked: String(error) };
          }
        }, server.http("/"));
        const cookies = await context.cookies(server.http("/"));
        await context.close();
        return { outcome, cookie: cookies.some((cookie) => cookie.name === "qc_token") };
      };
      assert.deepEqual(await register(origin(allowed)), { outcome: { status: 200, ok: true }, cookie: true });
      const refused = await register(origin(other));
      assert.match(refused.outcome.blocked ?? "", /Failed to fetch/);
      assert.equal(refused.cookie, false);
    } finally {
      await browser.close();
      await server.shutdown();
      await allowed.shutdown();
      await other.shutdown();
    }
  },
});
