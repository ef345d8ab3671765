// The chat example's main flow in three browsers: presence, history on a late join, recovery after a dropped
// connection (exactly the missed message), and a backend's notification through SQS and the pusher.
import { run, line, lines, required } from './browser.mjs';

const queue = required('NOTIFICATIONS_QUEUE_URL');
const room = `t${Date.now()}`;
const topic = `chat-${room}`;

async function join(open, user, where = room, rooms = '') {
  const page = await open(user, `/chat/?user=${user}&room=${where}&rooms=${rooms}`);
  await page.click('#join');
  return page;
}

async function say(page, text) {
  await page.fill('#text', text);
  await page.click('#send');
}

/** A backend's notification request, as SendMessage to the notifications queue (ElasticMQ takes it unsigned). */
async function notify(body) {
  const response = await fetch(queue, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Action: 'SendMessage', MessageBody: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`SendMessage: ${response.status} ${await response.text()}`);
}

await run('chat', async (open) => {
  const alice = await join(open, 'alice');
  await line(alice, '#members', 'alice');
  const bob = await join(open, 'bob');
  await line(bob, '#members', 'bob');
  await line(alice, '#members', 'bob');
  await line(bob, '#members', 'alice');

  await say(alice, 'hello');
  await line(bob, '#messages', 'alice: hello');

  const carol = await join(open, 'carol');
  await line(carol, '#members', 'carol');
  await line(carol, '#messages', 'alice: hello'); // the room's history on join

  await bob.evaluate(() => window.dropConnection());
  await bob.waitForFunction(() => document.getElementById('status').textContent.startsWith('disconnected'));
  await say(alice, 'while you were away');
  await line(alice, '#messages', 'alice: while you were away');
  await line(bob, '#messages', 'alice: while you were away', 20_000); // recovered on reconnect
  const bobs = await lines(bob, '#messages');
  const missed = bobs.filter((l) => l === 'alice: while you were away').length;
  if (missed !== 1) throw new Error(`bob saw the missed message ${missed} times: ${bobs.join(' | ')}`);
  if (bobs.filter((l) => l === 'alice: hello').length !== 1) throw new Error(`hello twice: ${bobs.join(' | ')}`);

  await notify({ topics: [topic], data: { notice: 'maintenance at noon' } });
  for (const page of [alice, bob, carol]) await line(page, '#messages', 'notice: maintenance at noon');

  // A private room: only a token whose rooms claim names it gets in.
  const secret = `private-${room}`;
  const dave = await join(open, 'dave', secret, room);
  await line(dave, '#members', 'dave');
  const eve = await join(open, 'eve', secret);
  await line(eve, '#messages', `not allowed in chat-${secret}`);
  await say(dave, 'for the invited');
  await line(dave, '#messages', 'dave: for the invited');
  await say(alice, 'a last word in the open room');
  await line(alice, '#messages', 'alice: a last word in the open room');
  const eves = await lines(eve, '#messages');
  if (eves.some((l) => l.includes('for the invited'))) throw new Error(`eve read the private room: ${eves.join(' | ')}`);
  if ((await lines(eve, '#members')).includes('dave')) throw new Error('eve sees who is in the private room');
});
