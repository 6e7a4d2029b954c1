import assert from "node:assert/strict";
import { clientAddress } from "./client_address.ts";

const request = (forwardedFor?: string) =>
  new Request("http://chat.example/presence/register", {
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  });
const tcp = (hostname: string) =>
  ({ remoteAddr: { transport: "tcp", hostname, port: 40_000 } }) as Deno.ServeHandlerInfo;
/** Behind a trusted proxy: `TRUST_PROXY` set. */
const from = (hostname: string, forwardedFor?: string) => clientAddress(request(forwardedFor), tcp(hostname), true).key;

Deno.test("client address - a client on the internet is its own address, whatever it forwards", () => {
  assert.equal(from("203.0.113.7"), "203.0.113.7");
  assert.equal(from("203.0.113.7", "198.51.100.1"), "203.0.113.7");
  assert.equal(from("::ffff:203.0.113.7"), "203.0.113.7", "an IPv4 address mapped into IPv6 is that address");
});

Deno.test("client address - unless told a proxy is trusted, the header counts for nothing", () => {
  assert.equal(clientAddress(request("203.0.113.7"), tcp("127.0.0.1"), false).key, "127.0.0.1");
  assert.equal(clientAddress(request("203.0.113.7"), tcp("10.0.0.2"), false).key, "10.0.0.2");
});

Deno.test("client address - IPv6 clients count by their /64, however the address is written", () => {
  assert.equal(from("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  assert.equal(from("2001:db8:1:2::9"), "2001:db8:1:2::/64", "another address in the same block");
  assert.equal(from("2001:0DB8:0001:0002:0000:0000:0000:0001"), "2001:db8:1:2::/64");
  assert.equal(from("2001:db8::1"), "2001:db8:0:0::/64");
  assert.notEqual(from("2001:db8:1:3::1"), from("2001:db8:1:2::1"), "the next block is another client");
});

Deno.test("client address - IPv6 clients belong to their /48; IPv4 and local ones to no site", () => {
  const site = (hostname: string, forwardedFor?: string) =>
    clientAddress(request(forwardedFor), tcp(hostname), true).site;
  assert.equal(site("2001:db8:1:2:3:4:5:6"), "2001:db8:1::/48");
  assert.equal(site("2001:db8:1:ffff::1"), "2001:db8:1::/48", "another block of the same site");
  assert.notEqual(site("2001:db8:2::1"), site("2001:db8:1::1"), "the next /48 is another site");
  assert.equal(site("127.0.0.1", "[2001:db8:1:2::5]:4000"), "2001:db8:1::/48", "forwarded by a trusted proxy");
  assert.equal(site("203.0.113.7"), null);
  assert.equal(site("::ffff:203.0.113.7"), null, "an IPv4 address mapped into IPv6 is IPv4");
  assert.equal(site("127.0.0.1"), null);
});

Deno.test("client address - behind a proxy on a private address, the address the proxy appended counts", () => {
  for (const proxy of ["127.0.0.1", "::1", "10.0.0.2", "172.17.0.1", "192.168.1.1", "fd00::1", "fe80::1"]) {
    assert.equal(from(proxy, "198.51.100.1, 203.0.113.7"), "203.0.113.7", `through ${proxy}`);
  }
  assert.equal(from("127.0.0.1", "2001:db8:1:2::5"), "2001:db8:1:2::/64");
  assert.equal(from("127.0.0.1", "[2001:db8:1:2::5]"), "2001:db8:1:2::/64");
  assert.equal(from("127.0.0.1", "[2001:db8:1:2::5]:4000"), "2001:db8:1:2::/64", "some proxies add the port");
  assert.equal(from("127.0.0.1", "203.0.113.7:4000"), "203.0.113.7");
  assert.equal(from("172.32.0.1", "203.0.113.7"), "172.32.0.1", "172.32/16 is not private");
  assert.equal(from("127.0.0.1"), "127.0.0.1", "no proxy: the peer itself");
  assert.equal(from("127.0.0.1", "not an address"), "127.0.0.1", "an unreadable entry is ignored");
  assert.equal(from("127.0.0.1", "1.2.3.4.5"), "127.0.0.1");
  assert.equal(from("127.0.0.1", "1:2:3:4:5:6:7:8:9"), "127.0.0.1");
  assert.equal(from("127.0.0.1", "1::2::3"), "127.0.0.1");
});

Deno.test("client address - through a Unix socket, a proxy's clients count apart; without one, all are one", () => {
  const through = (forwardedFor?: string) =>
    clientAddress(
      new Request("http://chat.example/", {
        headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
      }),
      { remoteAddr: { transport: "unix", path: "/run/chat.sock" } } as Deno.ServeHandlerInfo,
      true,
    );
  assert.equal(through("203.0.113.7").key, "203.0.113.7");
  assert.deepEqual(through(), { key: "local", site: null });
});
