// Call rooms: ask the room's admin to let you in (through the example's backend on the messages queue), and once
// approved, connect to every member over WebRTC, the offers and answers travelling through the room's secret topic.
// A data channel stands for the call: no camera is needed to show the flow.
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
if (params.has('user')) $('user').value = params.get('user');
if (params.has('room')) $('room').value = params.get('room');
const me = () => $('user').value.trim();

const config = await (await fetch('/config.json')).json();
let socket;
let topic = null;
const peers = new Map(); // user -> { pc, channel, state }
let signals = Promise.resolve();

function log(text) { const li = document.createElement('li'); li.textContent = text; $('log').append(li); }
function send(frame) { socket.send(JSON.stringify(frame)); }
function toBackend(message) { send({ action: 'send', message: { ...message, room: $('room').value.trim() } }); }
function signal(to, data) { send({ type: 'publish', topic, data: { from: me(), to, ...data } }); }

function renderPeers() {
  $('peers').replaceChildren(...[...peers.entries()].sort().map(([user, peer]) => {
    const li = document.createElement('li');
    li.textContent = `${user}: ${peer.state}`;
    return li;
  }));
}

function peer(user) {
  let p = peers.get(user);
  if (p) return p;
  const pc = new RTCPeerConnection({ iceServers: [] }); // peers on this machine: no STUN server outside
  p = { pc, channel: null, state: 'connecting' };
  peers.set(user, p);
  pc.onicecandidate = (e) => { if (e.candidate) signal(user, { candidate: e.candidate.toJSON() }); };
  const opened = (channel) => {
    p.channel = channel;
    channel.onopen = () => { p.state = 'connected'; renderPeers(); };
    channel.onclose = () => { p.state = 'closed'; renderPeers(); };
  };
  pc.ondatachannel = (e) => opened(e.channel);
  p.opened = opened;
  renderPeers();
  return p;
}

async function call(user) { // the member whose name sorts first makes the offer
  const p = peer(user);
  p.opened(p.pc.createDataChannel('call'));
  await p.pc.setLocalDescription(await p.pc.createOffer());
  signal(user, { description: p.pc.localDescription.toJSON() });
}

async function onSignal(data) {
  if (data.from === me()) return;
  if (data.hello) {
    if (peers.has(data.from)) return;
    if (me() < data.from) await call(data.from);
    else if (!peers.has(data.from)) signal(data.from, { hello: true, reply: true }); // so they call us
    return;
  }
  if (data.to !== me()) return;
  const p = peer(data.from);
  if (data.description) {
    await p.pc.setRemoteDescription(data.description);
    if (data.description.type === 'offer') {
      await p.pc.setLocalDescription(await p.pc.createAnswer());
      signal(data.from, { description: p.pc.localDescription.toJSON() });
    }
  } else if (data.candidate) {
    await p.pc.addIceCandidate(data.candidate);
  }
}

function enter(newTopic) {
  topic = newTopic;
  send({ type: 'subscribe', topics: [topic] });
  signal(null, { hello: true });
}

function leave() {
  for (const p of peers.values()) p.pc.close();
  peers.clear();
  renderPeers();
  if (topic) send({ type: 'unsubscribe', topics: [topic] });
  topic = null;
}

function onBackend(answer) {
  switch (answer.callrooms) {
    case 'created': status(`admin of ${answer.room} until ${new Date(answer.expiresAt).toLocaleTimeString()}`); enter(answer.topic); break;
    case 'approved': status(`in ${answer.room}`); log(`approved: you are in ${answer.room}`); enter(answer.topic); break;
    case 'refused': status(`refused: ${answer.reason}`); log(`refused: ${answer.reason}`); break;
    case 'expired': status(`room ${answer.room} expired`); log(`room ${answer.room} expired`); leave(); break;
    case 'request': {
      const li = document.createElement('li');
      li.dataset.user = answer.user;
      li.append(`${answer.user} asks to join `);
      for (const [label, approve] of [['Approve', true], ['Refuse', false]]) {
        const button = document.createElement('button');
        button.textContent = label;
        button.onclick = () => { toBackend({ callrooms: 'decide', user: answer.user, approve }); li.remove(); };
        li.append(button, ' ');
      }
      $('requests').append(li);
      break;
    }
  }
}

function status(text) { $('status').textContent = text; }

async function connect() {
  const token = await (await fetch(`${config.tokenUrl}?user=${encodeURIComponent(me())}`)).text();
  socket = new WebSocket(`${config.wsUrl}?authorization=${encodeURIComponent(token)}`);
  socket.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (frame.callrooms) onBackend(frame);
    else if (frame.type === 'publish' && frame.topic === topic) {
      signals = signals.then(() => onSignal(frame.data)).catch((e) => log(String(e))); // one at a time, in order
    }
    else if (frame.type === 'error') log(`error ${frame.code}: ${frame.message}`);
  };
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  status(`connected as ${me()}`);
}

await connect();
$('create').onclick = () => toBackend({ callrooms: 'create' });
$('ask').onclick = () => { toBackend({ callrooms: 'join' }); status('asked the admin…'); };
