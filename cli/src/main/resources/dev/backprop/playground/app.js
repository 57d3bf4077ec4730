// The playground page: asks the local server (the same origin) for steps and draws what it returns.
"use strict";
const $ = id => document.getElementById(id);
// The reports' colours (dev.backprop.report: LineChart, NetworkDiagram), so that a run looks the same in both.
const BLUE = "#1f6feb", ORANGE = "#e8590c", PURPLE = "#8250df", POSITIVE = "#1d4ed8", NEGATIVE = "#dc2626";
const CLASS_COLOURS = [BLUE, ORANGE, PURPLE, "#2da44e", "#bf8700", "#57606a", "#cf222e", "#0969da"];
let state = null, running = false, lastExplained = null, points = null, queue = Promise.resolve();

async function call(method, path, body, raw) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.body = raw ? body : JSON.stringify(body);
    if (!raw) init.headers["Content-Type"] = "application/json";
  }
  const r = await fetch("api/" + path, init);
  const data = await r.json();
  if (!r.ok) throw new Error(data.error || ("HTTP " + r.status));
  return data;
}

function showError(e) {
  const box = $("error");
  if (!e) { box.hidden = true; box.textContent = ""; return; }
  box.hidden = false;
  box.textContent = e.message || String(e);
  running = false;
  $("run").textContent = "Run";
}

function config() {
  return {
    data: $("data").value, target: $("target").value.trim() || null,
    layers: $("layers").value.split(",").map(s => s.trim()).filter(s => s.length).map(Number),
    activation: $("activation").value, loss: $("loss").value, optimizer: $("optimizer").value,
    lr: Number($("lr").value), batch: Number($("batch").value), seed: Number($("seed").value),
    network: $("useSpec").checked ? "upload" : null
  };
}

// One action at a time, in the order clicked: a state drawn is never older than the one before it.
function act(fn) {
  queue = queue.then(async () => { try { showError(null); draw(await fn()); } catch (e) { showError(e); } });
  return queue;
}

function paren(v) { return v < 0 ? `(${fmt(v)})` : fmt(v); }
function fmt(v) { return v === null || v === undefined ? "–" : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4); }

function draw(s) {
  state = s;
  if (s.plane && s.plane.points) points = { points: s.plane.points, labels: s.plane.labels };
  if (s.plane && !s.plane.points && points) Object.assign(s.plane, points);
  const m = s.metrics;
  $("status").textContent = `step ${s.step} · epoch ${s.epoch} · ${s.data}`;
  $("numbers").textContent = `loss ${fmt(m.loss)}` + (m.accuracy !== undefined ? ` · accuracy ${(100 * m.accuracy).toFixed(1)}%` : "")
    + (m.rmse !== undefined ? ` · RMSE ${fmt(m.rmse)}` : "") + ` · ${s.rows} rows · ${s.task} (${s.loss_name})`;
  $("numbers").dataset.accuracy = m.accuracy === undefined ? "" : m.accuracy;
  $("numbers").dataset.step = s.step;
  $("to").value = s.step;
  drawLoss(s.losses);
  drawNet(s);
  $("planeBox").hidden = !s.plane;
  $("otherBox").hidden = !!s.plane;
  if (s.plane) { drawPlane(s); drawUnits(s.plane); } else { $("units").innerHTML = ""; drawOther(s); }
}

function drawLoss(losses) {
  const c = $("lossChart"), g = c.getContext("2d");
  g.clearRect(0, 0, c.width, c.height);
  if (!losses.length) return;
  const lo = Math.min(...losses), hi = Math.max(...losses), pad = 24;
  const ratio = hi > 0 && lo > 0 && hi / lo >= 20, f = v => ratio ? Math.log(v) : v;
  const a = f(lo), b = f(hi) === a ? a + 1 : f(hi);
  g.strokeStyle = "#ccc"; g.strokeRect(pad, 4, c.width - pad - 4, c.height - pad - 4);
  g.strokeStyle = BLUE; g.lineWidth = 1.5; g.beginPath();
  losses.forEach((v, i) => {
    const x = pad + (c.width - pad - 4) * (losses.length === 1 ? 0 : i / (losses.length - 1));
    const y = 4 + (c.height - pad - 4) * (1 - (f(v) - a) / (b - a));
    i ? g.lineTo(x, y) : g.moveTo(x, y);
  });
  g.stroke();
  g.fillStyle = "#555"; g.font = "11px sans-serif";
  g.fillText(fmt(hi), 2, 12); g.fillText(fmt(lo), 2, c.height - pad);
  if (ratio) g.fillText("log scale", c.width - 60, c.height - 6);
}

function mix(c1, c2, t) {
  const p = h => [1, 3, 5].map(i => parseInt(h.substr(i, 2), 16));
  const a = p(c1), b = p(c2);
  return `rgb(${a.map((v, i) => Math.round(v + (b[i] - v) * t)).join(",")})`;
}

function rgb(h) { return [1, 3, 5].map(i => parseInt(h.substr(i, 2), 16)); }
function blend(a, b, t) { return [0, 1, 2].map(i => Math.round(a[i] + (b[i] - a[i]) * t)); }
const WHITE = [255, 255, 255], BLUE_RGB = rgb(BLUE), ORANGE_RGB = rgb(ORANGE), CLASS_RGB = CLASS_COLOURS.map(rgb);

// A g × g grid of colours, drawn into a canvas scaled up (one ImageData, not one rectangle per cell).
function paint(c, g, colourOf) {
  const img = new ImageData(g, g);
  for (let i = 0; i < g * g; i++) {
    const [r, gr, b] = colourOf(i);
    img.data[4 * i] = r; img.data[4 * i + 1] = gr; img.data[4 * i + 2] = b; img.data[4 * i + 3] = 255;
  }
  const off = paint.canvas || (paint.canvas = document.createElement("canvas"));
  off.width = g; off.height = g;
  off.getContext("2d").putImageData(img, 0, 0);
  const ctx = c.getContext("2d");
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, c.width, c.height);
}

function drawPlane(s) {
  const p = s.plane, c = $("plane"), g = c.getContext("2d"), n = p.grid, k = s.outputs.length;
  const [x0, x1, y0, y1] = p.box;
  const classes = s.task === "classification", width = p.values.length / (n * n);
  paint(c, n, i => {
    if (classes && width === 2) return blend(WHITE, blend(BLUE_RGB, ORANGE_RGB, p.values[i * 2 + 1]), 0.55);
    if (classes) {
      let best = 0; for (let j = 1; j < width; j++) if (p.values[i * width + j] > p.values[i * width + best]) best = j;
      return blend(WHITE, CLASS_RGB[best % 8], 0.2 + 0.4 * p.values[i * width + best]);
    }
    return blend(WHITE, blend(BLUE_RGB, ORANGE_RGB, Math.max(0, Math.min(1, 0.5 + p.values[i * width] / 4))), 0.55);
  });
  if (!p.points) return;
  for (let i = 0; i < p.points.length / 2; i++) {
    const x = (p.points[2 * i] - x0) / (x1 - x0) * c.width, y = (1 - (p.points[2 * i + 1] - y0) / (y1 - y0)) * c.height;
    g.fillStyle = classes ? CLASS_COLOURS[Math.round(p.labels[i]) % 8] : "#333";
    g.beginPath(); g.arc(x, y, 2.5, 0, 2 * Math.PI); g.fill();
  }
}

function drawUnits(p) {
  const box = $("units"), n = p.unit_grid;
  const wanted = p.hidden.map(h => h.maps.length).join(",");
  if (box.dataset.shape !== wanted) {          // the canvases are made once per network shape, then repainted
    box.innerHTML = "";
    p.hidden.forEach(h => {
      const title = document.createElement("div");
      title.textContent = `hidden layer ${h.layer + 1}: ${h.maps.length} of ${h.units} units' outputs`;
      box.appendChild(title);
      h.maps.forEach(() => { const c = document.createElement("canvas"); c.width = c.height = 48; box.appendChild(c); });
    });
    box.dataset.shape = wanted;
  }
  const canvases = box.querySelectorAll("canvas");
  let k = 0;
  p.hidden.forEach(h => h.maps.forEach(map => {
    let lo = Infinity, hi = -Infinity;
    for (const v of map) { if (v < lo) lo = v; if (v > hi) hi = v; }
    const span = hi - lo || 1;
    paint(canvases[k++], n, i => blend(BLUE_RGB, ORANGE_RGB, (map[i] - lo) / span));
  }));
}

const SHOWN = 16;   // units drawn per layer: wider layers are summarised

function drawNet(s) {
  const svg = $("net"), W = svg.clientWidth || 760, H = 320;
  const widths = [s.layers[0].in, ...s.layers.map(l => l.out)];
  const cols = widths.length, xs = widths.map((_, i) => 30 + (W - 60) * i / (cols - 1));
  const ys = widths.map(w => { const k = Math.min(w, SHOWN); return Array.from({ length: k }, (_, j) => 20 + (H - 40) * (k === 1 ? 0.5 : j / (k - 1))); });
  let max = 1e-9;
  s.layers.forEach(l => l.weights.forEach(v => { max = Math.max(max, Math.abs(v)); }));
  const parts = [];
  s.layers.forEach((l, li) => {
    for (let j = 0; j < Math.min(l.out, SHOWN); j++) for (let i = 0; i < Math.min(l.in, SHOWN); i++) {
      const v = l.weights[j * l.in + i];
      parts.push(`<line x1="${xs[li]}" y1="${ys[li][i]}" x2="${xs[li + 1]}" y2="${ys[li + 1][j]}" stroke="${v >= 0 ? POSITIVE : NEGATIVE}"`
        + ` stroke-width="${(0.3 + 4 * Math.abs(v) / max).toFixed(2)}" stroke-opacity="0.7" data-layer="${li}" data-to="${j}" data-from="${i}"><title>w = ${v.toFixed(4)}</title></line>`);
    }
  });
  widths.forEach((w, li) => {
    ys[li].forEach((y, j) => {
      const unit = li > 0 ? ` data-unit-layer="${li - 1}" data-unit="${j}"` : "";
      parts.push(`<circle cx="${xs[li]}" cy="${y}" r="6" fill="#fff" stroke="#333"${unit}></circle>`);
    });
    if (w > SHOWN) parts.push(`<text x="${xs[li] - 20}" y="${H - 2}" font-size="11">+${w - SHOWN} more</text>`);
  });
  svg.innerHTML = parts.join("");
}

async function explain(layer, to, from) {
  try {
    showError(null);
    const e = await call("GET", `weight?layer=${layer}&to=${to}${from >= 0 ? "&from=" + from : ""}`);
    lastExplained = e;
    const rows = e.terms.map(t => `<tr><td>${t.row}</td><td class="terms">${t.factors.map(f => `<div>${f.symbol} = ${fmt(f.value)}</div>`).join("")}`
      + `<div>product ${t.factors.map(f => paren(f.value)).join(" · ")}</div></td><td>${fmt(t.product)}</td></tr>`).join("");
    $("hint").hidden = true;
    $("factorBody").innerHTML = `<p><b>${e.name}</b> = ${fmt(e.value)}; for each row of the next step's batch:</p>`
      + `<table><tr><th>row</th><th>factors</th><th>product</th></tr>${rows}</table>`
      + (e.batch > e.terms.length ? `<p>… ${e.batch - e.terms.length} more rows</p>` : "")
      + `<p id="gradient">∂E/∂${e.name} = (1/${e.batch}) Σ products = <b>${fmt(e.gradient)}</b></p>`
      + `<p>autodiff: ${fmt(e.autograd)} · finite difference: ${fmt(e.finite_difference)}</p>`
      + `<p>${e.optimizer} changes it by ${fmt(e.update)} at the next step</p>`
      + `<p><a download="explained-step.json" href="data:application/json,${encodeURIComponent(JSON.stringify(e))}">explained step as JSON</a></p>`;
  } catch (err) { showError(err); }
}

async function explainUnit(layer, unit) {
  try {
    showError(null);
    const u = await call("GET", `unit?layer=${layer}&unit=${unit}`);
    lastExplained = u;
    const rows = u.rows.map(r => `<tr><td>${r.row}</td><td>${fmt(r.f_prime)}</td><td class="terms">${r.terms
      ? r.terms.map(t => `<div>+ w(${u.name}→${t.unit})·δ(${t.unit}) = ${paren(t.weight)}·${paren(t.delta)}</div>`).join("") + (r.fed > r.terms.length ? "<div>+ …</div>" : "")
      : `<div>∂E/∂out = ${fmt(r.dE_dout)}</div>`}</td><td>${fmt(r.delta)}</td></tr>`).join("");
    $("hint").hidden = true;
    $("factorBody").innerHTML = `<p><b>δ(${u.name})</b> = f′(net) · Σ over the units it feeds of w·δ, for each row of the next step's batch:</p>`
      + `<table><tr><th>row</th><th>f′(net)</th><th>terms</th><th>δ</th></tr>${rows}</table>`
      + `<p id="gradient">mean δ over the batch of ${u.batch}: <b>${fmt(u.mean_delta)}</b></p>`
      + `<p><a href="#" id="biasLink">its bias b(${u.name})</a></p>`;
    $("biasLink").onclick = ev => { ev.preventDefault(); explain(layer, unit, -1); };
  } catch (err) { showError(err); }
}

$("net").addEventListener("click", ev => {
  const t = ev.target;
  if (!t.dataset) return;
  if (t.dataset.layer !== undefined) explain(Number(t.dataset.layer), Number(t.dataset.to), Number(t.dataset.from));
  else if (t.dataset.unit !== undefined) explainUnit(Number(t.dataset.unitLayer), Number(t.dataset.unit));
});

function drawOther(s) {
  const c = $("other"), g = c.getContext("2d");
  g.clearRect(0, 0, c.width, c.height);
  g.font = "11px sans-serif";
  if (s.confusion) {
    const k = s.confusion.length, cell = Math.min(40, (c.width - 40) / k);
    const max = Math.max(1, ...s.confusion.flat());
    $("otherCaption").textContent = "Confusion matrix (rows: actual, columns: predicted)";
    s.confusion.forEach((row, a) => row.forEach((v, p) => {
      g.fillStyle = mix("#ffffff", BLUE, v / max); g.fillRect(30 + p * cell, 20 + a * cell, cell - 1, cell - 1);
      g.fillStyle = v / max > 0.5 ? "#fff" : "#222"; g.fillText(String(v), 30 + p * cell + 4, 20 + a * cell + cell / 2 + 4);
    }));
  } else if (s.pairs) {
    const a = s.pairs.actual, p = s.pairs.predicted, lo = Math.min(...a, ...p), hi = Math.max(...a, ...p), span = hi - lo || 1;
    $("otherCaption").textContent = "Predicted against actual";
    g.strokeStyle = "#ccc"; g.beginPath(); g.moveTo(0, c.height); g.lineTo(c.width, 0); g.stroke();
    g.fillStyle = BLUE;
    a.forEach((v, i) => { g.beginPath(); g.arc((v - lo) / span * c.width, c.height - (p[i] - lo) / span * c.height, 2.5, 0, 2 * Math.PI); g.fill(); });
  }
}

async function loop() {
  while (running) {
    const t0 = performance.now();
    try { draw(await call("POST", "step", { steps: 5 })); } catch (e) { showError(e); break; }
    const spent = performance.now() - t0;
    if (spent < 30) await new Promise(r => setTimeout(r, 30 - spent));
  }
}

$("run").onclick = () => { running = !running; $("run").textContent = running ? "Pause" : "Run"; if (running) loop(); };
$("step").onclick = () => act(() => call("POST", "step", { steps: 1 }));
$("epoch").onclick = () => act(() => call("POST", "epoch", {}));
$("rewind").onclick = () => act(() => call("POST", "rewind", { step: Number($("to").value) }));
$("reset").onclick = () => { running = false; $("run").textContent = "Run"; act(() => call("POST", "run", config())); };
$("commandButton").onclick = async () => { try { $("command").textContent = (await call("GET", "command")).command; } catch (e) { showError(e); } };
$("specFile").onchange = async () => {
  const f = $("specFile").files[0];
  if (!f) return;
  try {
    showError(null);
    const r = await fetch("api/network", { method: "POST", body: f, headers: { "X-File-Name": f.name } });
    const data = await r.json();
    if (!r.ok) throw new Error(data.error);
    $("useSpec").checked = true;
    $("status").textContent = `network ${data.name}: ${data.layers}; "New run" trains it`;
  } catch (e) { showError(e); }
};
$("file").onchange = async () => {
  const f = $("file").files[0];
  if (!f) return;
  try {
    showError(null);
    const r = await fetch("api/upload", { method: "POST", body: f, headers: { "X-File-Name": f.name } });
    const data = await r.json();
    if (!r.ok) throw new Error(data.error);
    $("data").value = "upload";
    $("status").textContent = `uploaded ${data.name}: ${data.rows} rows, columns ${data.columns.join(", ")}`;
  } catch (e) { showError(e); }
};

act(() => call("GET", "state"));
