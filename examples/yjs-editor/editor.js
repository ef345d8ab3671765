// A shared text document: a Y.Doc whose text is bound to a <textarea>, synced peer to peer over WebRTC, the peers
// finding each other through the Switchboard gateway (y-webrtc's signaling protocol, unchanged) with a token.
import * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const user = params.get('user') ?? `writer-${Math.floor(Math.random() * 1000)}`;
const room = params.get('room') ?? 'shared-doc';
$('who').textContent = `${user} in ${room}`;

const config = await (await fetch('/config.json')).json();
const token = await (await fetch(`${config.tokenUrl}?user=${encodeURIComponent(user)}`)).text();

const doc = new Y.Doc();
const text = doc.getText('text');
const provider = new WebrtcProvider(room, doc, {
  signaling: [`${config.wsUrl}?authorization=${encodeURIComponent(token)}`],
  // Peers on this machine only: no STUN server out on the internet.
  peerOpts: { config: { iceServers: [] } },
  filterBcConns: true,
});

const area = $('text');
let shown = '';
function render() {
  const value = text.toString();
  if (value === area.value) return;
  const at = area.selectionStart;
  area.value = value;
  area.selectionStart = area.selectionEnd = Math.min(at, value.length);
  shown = value;
}
text.observe(render);

// The textarea's change as one delete and one insert: its common prefix and suffix with what was shown are kept.
area.addEventListener('input', () => {
  const next = area.value;
  let start = 0;
  while (start < shown.length && start < next.length && shown[start] === next[start]) start++;
  let end = 0;
  while (end < shown.length - start && end < next.length - start
      && shown[shown.length - 1 - end] === next[next.length - 1 - end]) end++;
  doc.transact(() => {
    text.delete(start, shown.length - start - end);
    text.insert(start, next.slice(start, next.length - end));
  });
  shown = next;
});

provider.on('peers', (event) => { $('peers').textContent = String(event.webrtcPeers.length); });
provider.on('status', (event) => { $('status').textContent = event.connected ? 'signaling connected' : 'signaling…'; });
window.editor = { doc, text, provider };
