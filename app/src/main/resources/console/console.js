// The console page: polls /console/api/state (this node's internal API) and draws it; no library, no CDN.
const $ = (id) => document.getElementById(id);

function cell(text) { const td = document.createElement('td'); td.textContent = text; return td; }
function rows(id, items, columns) {
  $(id).querySelector('tbody').replaceChildren(...items.map((item) => {
    const tr = document.createElement('tr');
    columns(item).forEach((text) => tr.append(cell(text)));
    return tr;
  }));
}

function chart(id, points) {
  const svg = $(id);
  const width = svg.width.baseVal.value, height = svg.height.baseVal.value;
  const max = Math.max(1, ...points);
  const step = points.length > 1 ? width / (points.length - 1) : width;
  const path = points.map((v, i) => `${(i * step).toFixed(1)},${(height - 4 - (v / max) * (height - 8)).toFixed(1)}`);
  svg.innerHTML = `<polyline fill="none" stroke="#06c" stroke-width="1.5" points="${path.join(' ')}"/>`
    + `<text x="4" y="12" font-size="10">${max.toFixed(0)}</text>`;
}

function rates(samples, key) {
  const out = [];
  for (let i = 1; i < samples.length; i++) {
    const seconds = (samples[i].at - samples[i - 1].at) / 1000;
    out.push(seconds > 0 ? (samples[i][key] - samples[i - 1][key]) / seconds : 0);
  }
  return out;
}

async function refresh() {
  const state = await (await fetch('/console/api/state')).json();
  $('node').textContent = state.node;
  $('count').textContent = state.connectionCount;
  rows('connections', state.connections, (c) => [c.user, c.since, (c.topics ?? []).join(', '), c.sourceIp]);
  rows('topics', state.topics, (t) => [t.topic, t.here, t.error ?? t.nodes.map((n) => `${n.node}: ${n.subscribers}`).join(', ')]);
  rows('nodes', state.nodes, (n) => [n.id, n.endpoint, n.leaseUntil]);
  rows('recent', state.recent, (e) => [new Date(e.at).toLocaleTimeString(), e.kind, e.detail]);
  chart('chart-connections', state.samples.map((s) => s.connections));
  chart('chart-in', rates(state.samples, 'framesIn'));
  chart('chart-out', rates(state.samples, 'framesOut'));
  $('slow').textContent = state.samples.at(-1)?.slowConsumerCloses ?? 0;
  $('send').disabled = !state.canNotify;
}

$('notify').onsubmit = async (event) => {
  event.preventDefault();
  const response = await fetch('/console/api/notify', { method: 'POST', body: $('request').value });
  $('result').textContent = response.ok ? `sent (${(await response.json()).messageId})` : `refused: ${await response.text()}`;
};

refresh();
setInterval(() => refresh().catch((e) => { $('result').textContent = String(e); }), 2000);
