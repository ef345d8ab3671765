// One y-webrtc client, as a browser tab runs it, under Node: `ws` stands in for the browser's WebSocket, and a
// stand-in RTCPeerConnection lets y-webrtc produce its offers and answers (no media or data ever flows: only the
// signaling, which is what the gateway carries, is under test).
// Usage: node yclient.mjs <signaling ws:// URL with token> <room>
// Prints every signaling frame it receives as `RECV <json>`.
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';

const [url, room] = process.argv.slice(2);

globalThis.WebSocket = class extends WebSocket {
  constructor(address, protocols) {
    super(address, protocols);
    this.addEventListener('message', (event) => console.log('RECV ' + event.data));
  }
};

class StandInPeerConnection {
  constructor() {
    this.localDescription = null;
    this.remoteDescription = null;
    this.iceConnectionState = 'new';
    this.iceGatheringState = 'new';
    this.signalingState = 'stable';
    this.connectionState = 'new';
  }
  createDataChannel() {
    return { binaryType: 'arraybuffer', readyState: 'connecting', bufferedAmountLowThreshold: 0, close() {} };
  }
  createOffer() { return Promise.resolve({ type: 'offer', sdp: 'v=0 stand-in offer' }); }
  createAnswer() { return Promise.resolve({ type: 'answer', sdp: 'v=0 stand-in answer' }); }
  setLocalDescription(description) { this.localDescription = description; return Promise.resolve(); }
  setRemoteDescription(description) { this.remoteDescription = description; return Promise.resolve(); }
  addIceCandidate() { return Promise.resolve(); }
  getStats() { return Promise.resolve(new Map()); }
  addEventListener() {}
  removeEventListener() {}
  close() {}
}
const wrtc = {
  RTCPeerConnection: StandInPeerConnection,
  RTCSessionDescription: class { constructor(init) { Object.assign(this, init); } },
  RTCIceCandidate: class { constructor(init) { Object.assign(this, init); } },
};

process.on('uncaughtException', (error) => console.log('NOTE ' + error.message));

new WebrtcProvider(room, new Y.Doc(), { signaling: [url], filterBcConns: false, peerOpts: { wrtc } });
setTimeout(() => process.exit(0), 30000);
