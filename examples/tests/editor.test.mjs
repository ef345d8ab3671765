// The shared editor in three browsers: two edit together and converge; a third that joins late gets the whole
// document. Yjs over WebRTC between the pages, signaling through the gateway.
import { run } from './browser.mjs';

const room = `doc-${Date.now()}`;

async function editor(open, user) {
  const page = await open(user, `/yjs-editor/?user=${user}&room=${room}`);
  await page.waitForFunction(() => document.getElementById('status').textContent === 'signaling connected', null,
    { timeout: 15_000 });
  return page;
}

const peers = (page, n) => page.waitForFunction(
  (want) => Number(document.getElementById('peers').textContent) >= want, n, { timeout: 30_000 });

const hasText = (page, value) => page.waitForFunction(
  (want) => document.getElementById('text').value === want, value, { timeout: 30_000 })
  .catch(async (error) => {
    throw new Error(`text is "${await page.inputValue('#text')}", not "${value}": ${error.message}`);
  });

await run('editor', async (open) => {
  const alice = await editor(open, 'alice');
  const bob = await editor(open, 'bob');
  await peers(alice, 1);
  await peers(bob, 1);

  await alice.click('#text');
  await alice.keyboard.type('hello');
  await hasText(bob, 'hello');
  await bob.click('#text');
  await bob.keyboard.press('End');
  await bob.keyboard.type(' world');
  await alice.keyboard.press('Home');
  await alice.keyboard.type('> ');
  await hasText(alice, '> hello world');
  await hasText(bob, '> hello world');

  const carol = await editor(open, 'carol');
  await peers(carol, 1);
  await hasText(carol, '> hello world'); // the whole document, joining late
});
