// Call rooms in three browsers: a refused join is refused; an approved one ends with the members' peer connection
// up; the room expires (the backend, ExamplesIT's, gives rooms CALL_ROOM_TTL).
import { run } from './browser.mjs';

const room = `r${Date.now()}`;

async function page(open, user) {
  const p = await open(user, `/call-rooms/?user=${user}&room=${room}`);
  await p.waitForFunction(() => document.getElementById('status').textContent.startsWith('connected'), null,
    { timeout: 15_000 });
  return p;
}

const statusIs = (p, prefix, timeout = 20_000) => p.waitForFunction(
  (want) => document.getElementById('status').textContent.startsWith(want), prefix, { timeout })
  .catch(async (error) => {
    throw new Error(`status is "${await p.textContent('#status')}", not "${prefix}…": ${error.message}`);
  });

const peerIs = (p, line, timeout = 30_000) => p.waitForFunction(
  (want) => [...document.querySelectorAll('#peers li')].some((li) => li.textContent === want), line, { timeout })
  .catch(async (error) => {
    throw new Error(`peers are "${await p.textContent('#peers')}", not "${line}": ${error.message}`);
  });

await run('calls', async (open) => {
  const alice = await page(open, 'alice');
  await alice.click('#create');
  await statusIs(alice, 'admin of');

  const mallory = await page(open, 'mallory');
  await mallory.click('#ask');
  await alice.waitForSelector('#requests li[data-user="mallory"]');
  await alice.click('#requests li[data-user="mallory"] >> text=Refuse');
  await statusIs(mallory, 'refused: the admin said no');

  const bob = await page(open, 'bob');
  await bob.click('#ask');
  await alice.waitForSelector('#requests li[data-user="bob"]');
  await alice.click('#requests li[data-user="bob"] >> text=Approve');
  await statusIs(bob, 'in ');
  await peerIs(alice, 'bob: connected');
  await peerIs(bob, 'alice: connected');
  if ((await mallory.textContent('#peers')).trim() !== '') throw new Error('mallory got into the call');

  const expiry = Number(process.env.CALL_ROOM_TTL_SECONDS ?? 30) * 1000 + 15_000;
  await statusIs(alice, `room ${room} expired`, expiry);
  await statusIs(bob, `room ${room} expired`, 15_000);
});
