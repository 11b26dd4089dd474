// BeamDAQ plots: the uPlot charts the live monitor, its snapshots and the offline reports share.
// Every function takes plain data (the JSON parts the server sends) and a container element, and returns an
// object with update(data) so a chart is created once and then only gets new data.
(function () {
  "use strict";

  const palette = ["#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b7950b", "#2c3e50"];
  const componentColors = ["#7f8c8d", "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

  function fmt(x, digits) {
    if (x === null || x === undefined || !isFinite(x)) return "—";
    const d = digits === undefined ? 3 : digits;
    const a = Math.abs(x);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(Math.max(1, d - 1));
    return x.toFixed(d);
  }

  function fmtHz(f) {
    if (f === null || f === undefined) return "";
    if (f >= 1e6) return +(f / 1e6).toPrecision(3) + " MHz";
    if (f >= 1e3) return +(f / 1e3).toPrecision(3) + " kHz";
    return +f.toPrecision(3) + " Hz";
  }

  function fmtInt(x) {
    if (x === null || x === undefined || !isFinite(x)) return "—";
    return Math.round(x).toLocaleString("en-US");
  }

  function fmtTime(ms) {
    if (!ms) return "—";
    const d = new Date(ms);
    return d.toISOString().replace("T", " ").substring(0, 19) + " UTC";
  }

  function fmtClock(ms) {
    if (!ms) return "—";
    return new Date(ms).toISOString().substring(11, 19);
  }

  function width(el) {
    return Math.max(260, Math.floor(el.clientWidth || el.parentElement.clientWidth || 600));
  }

  // A chart that is rebuilt when its series change shape (a new fit with more components, log toggled) and
  // otherwise only receives setData.
  function chart(el, height) {
    let plot = null, key = null;
    const resize = () => { if (plot) plot.setSize({ width: width(el), height: height }); };
    window.addEventListener("resize", resize);
    return {
      draw(shapeKey, makeOpts, data) {
        if (!plot || key !== shapeKey) {
          if (plot) plot.destroy();
          el.innerHTML = "";
          const opts = makeOpts();
          opts.width = width(el);
          opts.height = height;
          plot = new uPlot(opts, data, el);
          key = shapeKey;
        } else {
          plot.setData(data);
        }
        return plot;
      },
      get plot() { return plot; },
      clear(message) {
        if (plot) { plot.destroy(); plot = null; key = null; }
        el.innerHTML = '<div class="empty">' + message + "</div>";
      },
    };
  }

  function histogramEdges(lowEdge, binWidth, count) {
    const edges = new Array(count + 1);
    for (let i = 0; i <= count; i++) edges[i] = (lowEdge + i * binWidth) * 1e3; // V -> mV
    return edges;
  }

  // Normalises any saved spectrum to {low_edge, bin_width, counts, entries}: the monitor's saved JSON, a bare
  // histogram, "analyze --json" output, or the monitor's reference reply. Returns histograms by channel.
  function findHistograms(doc) {
    const found = [];
    function asHistogram(h) {
      if (!h || !Array.isArray(h.counts) || h.low_edge === undefined) return null;
      const n = h.counts.length;
      const bw = h.bin_width !== undefined ? h.bin_width : (h.high_edge - h.low_edge) / (h.bin_count || n);
      const entries = h.entries || h.counts.reduce((a, b) => a + b, 0);
      return { low_edge: h.low_edge, bin_width: bw, counts: h.counts, entries: entries };
    }
    function walk(node, channel) {
      if (!node || typeof node !== "object") return;
      if (Array.isArray(node)) { node.forEach(n => walk(n, channel)); return; }
      const ch = node.channel || node.id || channel;
      const direct = asHistogram(node);
      if (direct) { found.push({ channel: ch || 1, histogram: direct }); return; }
      if (node.histogram) {
        const h = asHistogram(node.histogram);
        if (h) { found.push({ channel: ch || 1, histogram: h }); return; }
      }
      for (const k of ["channels", "files", "spectra"]) if (node[k]) walk(node[k], ch);
    }
    walk(doc, null);
    return found;
  }

  // The amplitude spectrum: data (steps), fitted model and its components (pedestal, 1, 2, 3... electrons),
  // an optional reference overlay scaled to the same number of entries.
  function spectrumChart(el, height) {
    const c = chart(el, height || 300);
    return {
      update(spectrum, fit, options) {
        options = options || {};
        if (!spectrum || spectrum.collecting || !spectrum.counts) {
          const n = spectrum ? fmtInt(spectrum.entries) : "0";
          c.clear("collecting amplitudes for the binning: " + n + " / " + (spectrum ? spectrum.binning_events : "…"));
          return;
        }
        const log = !!options.log;
        const counts = spectrum.counts;
        const edges = histogramEdges(spectrum.low_edge, spectrum.bin_width, counts.length);
        const ys = counts.concat([counts[counts.length - 1]]).map(v => (log && v <= 0) ? null : v);
        const tables = [[edges, ys]];
        const series = [{ label: "amplitude (mV)" }, { label: "data", stroke: "#111", width: 1.25, fill: "rgba(31,95,168,0.12)", paths: uPlot.paths.stepped({ align: 1 }) }];
        let componentCount = 0;
        if (fit && fit.expected && fit.bin_count > 0 && isFinite(fit.low_edge)) {
          const scale = (fit.events > 0 ? spectrum.entries / fit.events : 1) * (spectrum.bin_width / fit.bin_width);
          const centers = new Array(fit.bin_count);
          for (let i = 0; i < fit.bin_count; i++) centers[i] = (fit.low_edge + (i + 0.5) * fit.bin_width) * 1e3;
          const clean = arr => arr.map(v => { const s = v * scale; return (log && s < 0.05) ? null : s; });
          const columns = [centers, clean(fit.expected)];
          series.push({ label: "model", stroke: "#c0392b", width: 2, spanGaps: false });
          const comps = (fit.components || []).slice(0, 7);
          comps.forEach((comp, n) => {
            columns.push(clean(comp));
            series.push({ label: n === 0 ? "pedestal" : n + " e⁻", stroke: componentColors[n % componentColors.length], width: 1, dash: [4, 3] });
          });
          componentCount = comps.length;
          tables.push(columns);
        }
        const ref = options.reference;
        if (ref && ref.counts && ref.entries > 0) {
          const scale = spectrum.entries / ref.entries * (spectrum.bin_width / ref.bin_width);
          const refEdges = histogramEdges(ref.low_edge, ref.bin_width, ref.counts.length);
          const refY = ref.counts.concat([ref.counts[ref.counts.length - 1]]).map(v => { const s = v * scale; return (log && s <= 0) ? null : s; });
          tables.push([refEdges, refY]);
          series.push({ label: "reference" + (ref.name ? " (" + ref.name + ")" : ""), stroke: "#8e44ad", width: 1.5, dash: [6, 4], paths: uPlot.paths.stepped({ align: 1 }) });
        }
        const data = uPlot.join(tables);
        const key = [log, componentCount, tables.length, !!ref].join("/");
        c.draw(key, () => ({
          scales: { x: { time: false }, y: log ? { distr: 3, range: (u, min, max) => [0.5, Math.max(2, max * 2)] } : { range: (u, min, max) => [0, Math.max(1, max * 1.08)] } },
          series: series,
          axes: [{ label: "amplitude (mV)" }, { label: "events per bin", size: 60 }],
          legend: { live: false },
          cursor: { drag: { x: true, y: false } },
        }), data);
      },
      get plot() { return c.plot; },
    };
  }

  // λ over the run: one point per block of bunches, with its ±1σ band and the zero-fraction λ0.
  function trendChart(el, height) {
    const c = chart(el, height || 220);
    return {
      update(trend) {
        if (!trend || !trend.points || trend.points.length === 0) {
          const got = trend ? fmtInt(trend.collected) + " / " + fmtInt(trend.bunches_per_point) : "…";
          c.clear("first point after " + (trend ? fmtInt(trend.bunches_per_point) : "N") + " bunches (" + got + ")");
          return;
        }
        const pts = trend.points;
        const x = pts.map(p => p.t_ms / 1000);
        const lam = pts.map(p => p.lambda);
        const lo = pts.map(p => (p.lambda !== null && p.lambda_error !== null) ? p.lambda - p.lambda_error : null);
        const hi = pts.map(p => (p.lambda !== null && p.lambda_error !== null) ? p.lambda + p.lambda_error : null);
        const l0 = pts.map(p => p.lambda0);
        c.draw("trend", () => ({
          scales: { x: { time: true } },
          series: [
            { label: "time (UTC)" },
            { label: "λ + σ", stroke: "rgba(31,95,168,0.25)", width: 1 },
            { label: "λ (fit)", stroke: "#1f5fa8", width: 2, points: { show: true, size: 5 } },
            { label: "λ − σ", stroke: "rgba(31,95,168,0.25)", width: 1 },
            { label: "λ₀ (zero fraction)", stroke: "#d35400", width: 0, points: { show: true, size: 5, fill: "#d35400" }, paths: () => null },
          ],
          bands: [{ series: [1, 3], fill: "rgba(31,95,168,0.15)" }],
          axes: [{}, { label: "λ (electrons / bunch)", size: 60 }],
          legend: { live: false },
        }), [x, hi, lam, lo, l0]);
      },
      get plot() { return c.plot; },
    };
  }

  // Shades the baseline and integration windows and draws the baseline level of the newest waveform.
  function windowMarkers(getMarks) {
    return {
      hooks: {
        draw: [u => {
          const m = getMarks();
          if (!m) return;
          const ctx = u.ctx, top = u.bbox.top, h = u.bbox.height;
          ctx.save();
          const shade = (range, color) => {
            if (!range || range[0] === null || range[1] === null) return;
            const x0 = u.valToPos(range[0], "x", true), x1 = u.valToPos(range[1], "x", true);
            ctx.fillStyle = color;
            ctx.fillRect(Math.min(x0, x1), top, Math.abs(x1 - x0), h);
          };
          shade(m.baseline_window_us, "rgba(46,139,87,0.12)");
          shade(m.integral_window_us, "rgba(211,84,0,0.10)");
          if (m.baseline !== null && isFinite(m.baseline)) {
            const y = u.valToPos(m.baseline * 1e3, "y", true);
            ctx.strokeStyle = "#2e8b57";
            ctx.setLineDash([5, 4]);
            ctx.lineWidth = 1.5;
            ctx.beginPath();
            ctx.moveTo(u.bbox.left, y);
            ctx.lineTo(u.bbox.left + u.bbox.width, y);
            ctx.stroke();
          }
          ctx.restore();
        }],
      },
    };
  }

  // The last waveforms of one channel (newest dark, older ones faded) with their windows.
  function waveformChart(el, height) {
    let marks = null;
    const c = chart(el, height || 220);
    return {
      update(items) {
        if (!items || items.length === 0) { c.clear("no waveform yet"); return; }
        marks = items[items.length - 1];
        const tables = items.map(w => [Array.from(w.t_us), Array.from(w.volts).map(v => v * 1e3)]);
        const data = tables.length === 1 ? tables[0] : uPlot.join(tables);
        const series = [{ label: "time from trigger (µs)" }];
        items.forEach((w, i) => {
          const newest = i === items.length - 1, back = items.length - 1 - i;
          // Labels by position (the chart is reused while the triggers move on): the header names the newest trigger.
          series.push({ label: newest ? "newest" : back + " before", stroke: newest ? "#111" : "rgba(31,95,168," + (0.25 + 0.15 * i) + ")", width: newest ? 1.5 : 1, spanGaps: true });
        });
        c.draw("wf" + items.length, () => ({
          scales: { x: { time: false } },
          series: series,
          axes: [{ label: "time from trigger (µs)" }, { label: "mV", size: 60 }],
          legend: { live: false },
          plugins: [windowMarkers(() => marks)],
        }), data);
        if (c.plot) c.plot.redraw(false, false);
      },
      get plot() { return c.plot; },
    };
  }

  // Baseline RMS over time, one series per channel (mV).
  function noiseRmsChart(el, height) {
    const c = chart(el, height || 180);
    return {
      update(noise) {
        const withHistory = (noise || []).filter(n => n.history_t_ms && n.history_t_ms.length > 0);
        if (withHistory.length === 0) { c.clear("no baseline yet"); return; }
        const tables = withHistory.map(n => [n.history_t_ms.map(t => t / 1000), n.history_rms.map(v => v * 1e3)]);
        const data = tables.length === 1 ? tables[0] : uPlot.join(tables);
        const series = [{ label: "time (UTC)" }].concat(withHistory.map((n, i) => ({ label: "ch " + n.channel, stroke: palette[i % palette.length], width: 1.5, spanGaps: true })));
        c.draw("rms" + withHistory.map(n => n.channel).join(","), () => ({
          scales: { x: { time: true } },
          series: series,
          axes: [{}, { label: "baseline RMS (mV)", size: 60 }],
          legend: { live: false },
        }), data);
      },
      get plot() { return c.plot; },
    };
  }

  // The Welch noise power spectral density of the pre-trigger samples (log-log).
  function psdChart(el, height) {
    const c = chart(el, height || 180);
    return {
      update(noise) {
        const withPsd = (noise || []).filter(n => n.psd_frequency_hz && n.psd_frequency_hz.length > 0);
        if (withPsd.length === 0) { c.clear("no noise spectrum yet (needs ≥ 8 pre-trigger samples)"); return; }
        const tables = withPsd.map(n => [Array.from(n.psd_frequency_hz), Array.from(n.psd_density).map(v => v > 0 ? v : null)]);
        const data = tables.length === 1 ? tables[0] : uPlot.join(tables);
        const series = [{ label: "frequency (Hz)" }].concat(withPsd.map((n, i) => ({ label: "ch " + n.channel, stroke: palette[i % palette.length], width: 1.5, spanGaps: true })));
        let fMin = Infinity, fMax = 0;
        withPsd.forEach(n => n.psd_frequency_hz.forEach(f => { if (f > 0) { fMin = Math.min(fMin, f); fMax = Math.max(fMax, f); } }));
        c.draw("psd" + withPsd.map(n => n.channel).join(","), () => ({
          scales: { x: { time: false, distr: 3, range: () => [fMin, fMax] }, y: { distr: 3 } },
          series: series,
          axes: [
            { label: "frequency", values: (u, splits) => splits.map(fmtHz) },
            { label: "V²/Hz", size: 70, values: (u, splits) => splits.map(v => v === null ? "" : v.toExponential(0)) },
          ],
          legend: { live: false },
        }), data);
      },
      get plot() { return c.plot; },
    };
  }

  // A tiny line for a slow-control value's recent history.
  function sparkline(canvas, values) {
    const ctx = canvas.getContext("2d");
    const w = canvas.width, h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    const v = (values || []).filter(x => x !== null && isFinite(x));
    if (v.length < 2) return;
    let min = Math.min.apply(null, v), max = Math.max.apply(null, v);
    if (max === min) { max += 1; min -= 1; }
    ctx.strokeStyle = "#1f5fa8";
    ctx.lineWidth = 1;
    ctx.beginPath();
    v.forEach((x, i) => {
      const px = i / (v.length - 1) * (w - 2) + 1, py = h - 1 - (x - min) / (max - min) * (h - 2);
      if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
    });
    ctx.stroke();
  }

  function escapeHtml(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, ch => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch]));
  }

  // Renders every chart canvas of the page into one PNG with a title line.
  function snapshotPng(title, plots) {
    const live = plots.filter(p => p && p.ctx);
    const cols = 2, pad = 16, head = 40;
    const cellW = Math.max.apply(null, live.map(p => p.ctx.canvas.width).concat([400]));
    const cellH = Math.max.apply(null, live.map(p => p.ctx.canvas.height).concat([200]));
    const rows = Math.ceil(live.length / cols);
    const out = document.createElement("canvas");
    out.width = cols * cellW + (cols + 1) * pad;
    out.height = head + rows * (cellH + pad) + pad;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = "#111";
    ctx.font = "20px sans-serif";
    ctx.fillText(title, pad, 28);
    live.forEach((p, i) => {
      const x = pad + (i % cols) * (cellW + pad), y = head + Math.floor(i / cols) * (cellH + pad);
      ctx.drawImage(p.ctx.canvas, x, y);
    });
    return out.toDataURL("image/png");
  }

  window.BeamPlots = {
    fmt, fmtInt, fmtTime, fmtClock, escapeHtml, findHistograms, snapshotPng, sparkline,
    spectrumChart, trendChart, waveformChart, noiseRmsChart, psdChart,
  };
})();
