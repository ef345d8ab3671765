// The gateway's console (its internal port): it shows a connection a page opened, and a notification sent from its
// form goes through the notifications queue and the pusher to that page.
import { run, line, required } from './browser.mjs';

const management = required('MANAGEMENT_URL');
const room = `console${Date.now()}`;

await run('console', async (open) => {
  const chat = await open('chatter', `/chat/?user=chatter&room=${room}`);
  await chat.click('#join');
  await line(chat, '#members', 'chatter');

  const consolePage = await open('console', `${management}/console`);
  await consolePage.waitForFunction(
    () => [...document.querySelectorAll('#connections td')].some((td) => td.textContent === 'chatter'),
    null,
    { timeout: 15_000 },
  );
  await consolePage.waitForFunction(
    (topic) => [...document.querySelectorAll('#topics td')].some((td) => td.textContent === topic),
    `chat-${room}`,
    { timeout: 15_000 },
  );
  await consolePage.fill('#request', JSON.stringify({ topics: [`chat-${room}`], data: { notice: 'from the console' } }));
  await consolePage.click('#send');
  await consolePage.waitForFunction(() => document.getElementById('result').textContent.startsWith('sent'));
  await line(chat, '#messages', 'notice: from the console', 20_000);
});
