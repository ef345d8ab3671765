// The chat example: a room is the topic "chat-<name>". Joining subscribes with presence (who is here) and, when we
// were here before, with `since` (what we missed); otherwise it asks the room's history. Every publish carries the
// room's offset and epoch, kept in localStorage so that a reconnect — to any node — recovers exactly what was missed.
const $ = (id) => document.getElementById(id);
const config = await (await fetch('/config.json')).json();
const params = new URLSearchParams(location.search);
if (params.has('user')) $('user').value = params.get('user');
if (params.has('room')) $('room').value = params.get('room');
if (params.has('rooms')) $('rooms').value = params.get('rooms');

let socket = null;
let topic = null;
let leaving = false;
const members = new Map(); // user -> connections

function status(text) { $('status').textContent = text; }

function show(text, kind) {
  const item = document.createElement('li');
  item.textContent = text;
  if (kind) item.className = kind;
  $('messages').append(item);
  item.scrollIntoView({ block: 'nearest' });
}

function positionKey() { return `switchboard-chat:${$('user').value}:${topic}`; }
function remember(frame) {
  if (typeof frame.offset === 'number') {
    localStorage.setItem(positionKey(), JSON.stringify({ offset: frame.offset, epoch: frame.epoch }));
  }
}

function renderMembers() {
  const list = $('members');
  list.replaceChildren(...[...members.keys()].sort().map((user) => {
    const item = document.createElement('li');
    item.textContent = user;
    return item;
  }));
}

function send(frame) { socket.send(JSON.stringify(frame)); }

function showMessage(frame) {
  if (frame.data && typeof frame.data === 'object' && 'text' in frame.data) {
    show(`${frame.data.from}: ${frame.data.text}`);
  } else if ('notice' in frame) {
    show(`notice: ${frame.notice}`, 'backend'); // from a backend, through the pusher
  } else {
    show(JSON.stringify(frame.data ?? frame), 'system');
  }
  remember(frame);
}

function onFrame(frame) {
  switch (frame.type) {
    case 'publish': showMessage(frame); break;
    case 'history':
      frame.messages.forEach(showMessage);
      break;
    case 'recovery':
      if (!frame.recovered) {
        show('(could not recover what was missed: the room\'s history instead)', 'system');
        send({ type: 'history', topic, limit: 50 });
      } else {
        show('(reconnected: what was missed follows)', 'system');
      }
      break;
    case 'join': members.set(frame.user, 1); renderMembers(); show(`${frame.user} joined`, 'system'); break;
    case 'leave': members.delete(frame.user); renderMembers(); show(`${frame.user} left`, 'system'); break;
    case 'presence':
      members.clear();
      frame.members.forEach((m) => members.set(m.user, m.connections));
      renderMembers();
      break;
    case 'error':
      show(frame.code === 'forbidden' ? `not allowed in ${frame.topic}` : `error ${frame.code}: ${frame.message}`,
        'system');
      break;
    case 'pong': break;
    default:
      if (frame.topic === topic || 'notice' in frame) showMessage(frame);
  }
}

async function connect() {
  const user = $('user').value.trim();
  // The dev token route puts the private rooms we are invited to in the token's `rooms` claim; the local stack's rule
  // {"pattern":"chat-private-{claim.rooms}",…} lets only those in (others get a `forbidden` error).
  const rooms = $('rooms').value.trim();
  const token = await (await fetch(`${config.tokenUrl}?user=${encodeURIComponent(user)}`
    + (rooms ? `&rooms=${encodeURIComponent(rooms)}` : ''))).text();
  socket = new WebSocket(`${config.wsUrl}?authorization=${encodeURIComponent(token)}`);
  socket.onmessage = (event) => onFrame(JSON.parse(event.data));
  socket.onclose = (event) => {
    status(`disconnected (${event.code})`);
    if (!leaving) setTimeout(() => connect().catch((e) => status(String(e))), 1000); // and recover on rejoin
  };
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  status(`connected as ${user}`);
  const saved = localStorage.getItem(positionKey());
  const subscribe = { type: 'subscribe', topics: [topic], presence: true };
  if (saved) subscribe.since = { [topic]: JSON.parse(saved) };
  send(subscribe);
  if (!saved) send({ type: 'history', topic, limit: 50 });
  send({ type: 'presence', topic });
}

$('join').onclick = async () => {
  topic = `chat-${$('room').value.trim()}`;
  leaving = false;
  $('messages').replaceChildren();
  members.clear();
  localStorage.removeItem(positionKey()); // a fresh join shows the history
  await connect();
  for (const id of ['text', 'send', 'leave']) $(id).disabled = false;
  $('join').disabled = true;
};

// Join is enabled only now, with the config read and its handler attached: a click before would do nothing.
$('join').disabled = false;

$('leave').onclick = () => {
  leaving = true;
  socket.close(1000, 'left');
  members.clear();
  renderMembers();
  for (const id of ['text', 'send', 'leave']) $(id).disabled = true;
  $('join').disabled = false;
};

$('say').onsubmit = (event) => {
  event.preventDefault();
  const text = $('text').value.trim();
  if (!text) return;
  send({ type: 'publish', topic, data: { from: $('user').value, text } });
  $('text').value = '';
};

// For the tests: drop the connection as a network change would (the page reconnects and recovers).
window.dropConnection = () => socket.close(4999, 'dropped');
