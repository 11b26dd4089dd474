// BeamDAQ live monitor page: merges the server's updates (Server-Sent Events "update", each carrying only the
// parts that changed) into one model and redraws what changed, at most once per animation frame. A page that
// loses its server says so in a banner and reconnects by itself (EventSource retry, a fresh EventSource if the
// browser gave up, and a state re-fetch once connected). In a saved snapshot (window.BEAMDAQ_SNAPSHOT) it draws
// that state once and hides the live controls.
(function () {
  "use strict";
  const P = window.BeamPlots;
  const $ = id => document.getElementById(id);
  const snapshot = window.BEAMDAQ_SNAPSHOT || null;

  const model = {};
  const dirty = new Set();
  const charts = { spectra: {}, waveforms: {} };
  let reference = null;        // {name, byChannel: {ch: histogram}}
  let token = sessionStorage.getItem("beamdaq-token") || "";

  // What tests and the latency benchmark read: arrival time minus trigger time of every update that brought a
  // newer event, in ms (both clocks are the host's UTC).
  const probe = window.beamdaq = { updates: 0, latencies: [], connected: false, reconnects: 0, model: model, lastUpdateAt: 0 };

  // ---- receiving -------------------------------------------------------------------------------------------

  let lastNewest = null;
  function apply(update) {
    const arrived = performance.timeOrigin + performance.now();
    probe.updates++;
    probe.lastUpdateAt = Date.now();
    if (update.status && update.status.newest_t_ms !== undefined && update.status.newest_t_ms !== null) {
      if (lastNewest === null || update.status.newest_t_ms > lastNewest) {
        if (lastNewest !== null || update.full === false) {
          probe.latencies.push(arrived - update.status.newest_t_ms);
          if (probe.latencies.length > 100000) probe.latencies.splice(0, 50000);
        }
        lastNewest = update.status.newest_t_ms;
      }
    }
    for (const key of ["status", "run", "spectra", "fits", "trend", "waveforms", "noise", "slow_control", "alarms", "controls"]) {
      if (update[key] !== undefined) { model[key] = update[key]; dirty.add(key); }
    }
    if (update.full) ["status", "run", "spectra", "fits", "trend", "waveforms", "noise", "slow_control", "alarms", "controls"].forEach(k => dirty.add(k));
    scheduleRender();
  }

  // Updates arrive up to 20 times a second; people read at most a few frames a second. Drawing at most every
  // 200 ms keeps a page (and ten of them on the daq's machine) light; arrival times are recorded on arrival.
  const RenderInterval = 200;
  let renderPending = false, lastRender = 0;
  function scheduleRender() {
    if (renderPending) return;
    renderPending = true;
    const wait = Math.max(0, lastRender + RenderInterval - performance.now());
    setTimeout(() => requestAnimationFrame(() => { renderPending = false; lastRender = performance.now(); render(); }), wait);
  }

  // ---- connection ------------------------------------------------------------------------------------------

  let source = null, lostSince = null;
  function connect() {
    if (source) source.close();
    source = new EventSource("api/events");
    source.addEventListener("update", e => {
      try { apply(JSON.parse(e.data)); } catch (err) { console.error("bad update", err); }
      setConnected(true);
    });
    source.onopen = () => {
      setConnected(true);
      // The stream starts with a full update; the explicit re-fetch also covers a proxy that delays the stream.
      fetch("api/state", { cache: "no-store" }).then(r => r.ok ? r.json() : null).then(s => { if (s) apply(s); }).catch(() => {});
    };
    source.onerror = () => {
      setConnected(false);
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 1000);   // the browser gave up: start again
    };
  }

  function setConnected(ok) {
    if (ok === probe.connected && (ok || lostSince)) return;
    probe.connected = ok;
    if (ok) {
      if (lostSince) probe.reconnects++;
      lostSince = null;
      $("banner").classList.add("hidden");
    } else {
      lostSince = lostSince || Date.now();
      $("banner").textContent = "Connection to the monitor lost at " + P.fmtClock(lostSince) + " UTC — reconnecting… (the figures below are not live)";
      $("banner").classList.remove("hidden");
    }
    $("conn-dot").className = "dot " + (ok ? "ok" : "bad");
    $("conn-text").textContent = ok ? "live" : "disconnected";
  }

  // The server sends at least one update a second: silence means a hung connection even if the socket is open.
  function watchdog() {
    if (probe.connected && probe.lastUpdateAt && Date.now() - probe.lastUpdateAt > 4000) {
      setConnected(false);
      connect();
    }
    if (probe.lastUpdateAt) $("updated").textContent = Math.round((Date.now() - probe.lastUpdateAt) / 1000) + " s ago";
  }

  // ---- controls ----------------------------------------------------------------------------------------------

  function post(url, body) {
    const headers = { "X-BeamDAQ-Monitor": "1" };
    if (token) headers["X-BeamDAQ-Token"] = token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(url, { method: "POST", headers: headers, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(r => r.json().catch(() => ({})).then(j => { if (!r.ok) throw new Error(j.error || ("HTTP " + r.status)); return j; }));
  }

  function report(message, isError) {
    const el = $("run-control-reply");
    el.textContent = message;
    el.style.color = isError ? "var(--bad)" : "var(--muted)";
    if (isError) console.warn(message);
  }

  function fitChannel() {
    const f = model.fits;
    if (f && f.channel) return f.channel;
    const s = model.spectra || [];
    return s.length > 0 ? s[0].channel : 1;
  }

  function download(url, name) {
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function wireControls() {
    $("freeze").onclick = () => post("api/freeze?on=" + !(model.controls && model.controls.frozen)).catch(e => alert(e.message));
    $("reset-all").onclick = () => post("api/reset").catch(e => alert(e.message));
    $("clear-at-start").onchange = e => post("api/clear-at-run-start?on=" + e.target.checked).catch(err => alert(err.message));
    $("log-y").checked = localStorage.getItem("beamdaq-log") === "1";
    $("log-y").onchange = e => { localStorage.setItem("beamdaq-log", e.target.checked ? "1" : "0"); dirty.add("spectra"); scheduleRender(); };
    $("reference-file").onchange = e => { const f = e.target.files[0]; if (f) loadReference(f); e.target.value = ""; };
    $("reference-clear").onclick = () => { reference = null; $("reference-clear").classList.add("hidden"); dirty.add("spectra"); scheduleRender(); };
    $("save-spectrum").onclick = () => download("api/spectrum/" + fitChannel(), "spectrum.json");
    $("snapshot-png").onclick = () => {
      const plots = [];
      Object.values(charts.spectra).forEach(c => plots.push(c.plot));
      plots.push(charts.trend && charts.trend.plot);
      Object.values(charts.waveforms).forEach(c => plots.push(c.plot));
      plots.push(charts.rms && charts.rms.plot, charts.psd && charts.psd.plot);
      const run = model.status && model.status.run;
      download(P.snapshotPng("BeamDAQ run " + (run || "—") + " — " + $("lambda").textContent + " — " + P.fmtTime(Date.now()), plots),
        "beamdaq-run" + (run || "") + "-" + new Date().toISOString().replace(/[:.]/g, "-") + ".png");
    };
    $("snapshot-html").onclick = () => download("api/snapshot.html", "beamdaq-monitor.html");
    $("token").value = token;
    $("token").onchange = e => { token = e.target.value.trim(); sessionStorage.setItem("beamdaq-token", token); };
    $("run-start").onclick = () => post("api/run/start", { comment: $("comment").value })
      .then(r => report(r.ok === false ? "refused: " + r.error : "started run " + (r.run || ""), r.ok === false)).catch(e => report(e.message, true));
    $("run-stop").onclick = () => post("api/run/stop", { reason: "operator stop from the web monitor" })
      .then(r => report(r.ok === false ? "refused: " + r.error : "stopped", r.ok === false)).catch(e => report(e.message, true));
  }

  function loadReference(file) {
    const done = (doc, name) => {
      const found = P.findHistograms(doc);
      if (found.length === 0) { alert(name + ": no spectrum found (expected a saved spectrum JSON, 'analyze --json' output or a run file)"); return; }
      reference = { name: name, byChannel: {} };
      found.forEach(f => { if (!reference.byChannel[f.channel]) reference.byChannel[f.channel] = Object.assign({ name: name }, f.histogram); });
      reference.any = Object.assign({ name: name }, found[0].histogram);
      $("reference-clear").classList.remove("hidden");
      dirty.add("spectra");
      scheduleRender();
    };
    if (/\.json$/i.test(file.name)) {
      file.text().then(t => done(JSON.parse(t), file.name)).catch(e => alert(file.name + ": " + e.message));
    } else {
      const headers = { "X-BeamDAQ-Monitor": "1", "Content-Type": "application/octet-stream" };
      if (token) headers["X-BeamDAQ-Token"] = token;
      fetch("api/reference?name=" + encodeURIComponent(file.name), { method: "POST", headers: headers, body: file })
        .then(r => r.json().then(j => { if (!r.ok) throw new Error(j.error || ("HTTP " + r.status)); return j; }))
        .then(j => done(j, file.name)).catch(e => alert(file.name + ": " + e.message));
    }
  }

  // ---- drawing -----------------------------------------------------------------------------------------------

  function render() {
    if (dirty.has("status") || dirty.has("fits") || dirty.has("run")) renderFigures();
    if (dirty.has("spectra") || dirty.has("fits")) renderSpectra();
    if (dirty.has("trend")) renderTrend();
    if (dirty.has("waveforms")) renderWaveforms();
    if (dirty.has("noise")) renderNoise();
    if (dirty.has("slow_control")) renderSlowControl();
    if (dirty.has("alarms")) renderAlarms();
    if (dirty.has("run") || dirty.has("status")) renderRun();
    if (dirty.has("controls")) renderControls();
    dirty.clear();
    if (probe.lastUpdateAt) $("updated").textContent = Math.round((Date.now() - probe.lastUpdateAt) / 1000) + " s ago";
    const lat = probe.latencies;
    // Replayed runs carry their recorded trigger times: only a live-looking delay is shown.
    if (lat.length > 0) { const l = lat[lat.length - 1]; $("latency").textContent = l >= 0 && l < 60000 ? Math.round(l) + " ms" : "— (not live)"; }
  }

  function headlineFit() {
    const f = model.fits;
    if (!f || !f.items) return null;
    return f.items.find(i => i.channel === f.channel) || f.items[0] || null;
  }

  // A figure: the value, optionally its error in smaller type after it (kept in its own element so the value
  // itself stays readable and parseable), a line below, and red when it needs attention.
  function setFigure(id, text, sub, alert, error) {
    $(id).textContent = text;
    const err = $(id + "-error");
    if (err && error !== undefined) err.textContent = error;
    if (sub !== undefined && $(id + "-sub")) $(id + "-sub").textContent = sub;
    $(id).closest(".figure").classList.toggle("alert", !!alert);
  }

  function renderFigures() {
    const s = model.status || {};
    const fit = headlineFit();
    if (fit) {
      $("lambda-channel").textContent = "(ch " + fit.channel + ")";
      setFigure("lambda", P.fmt(fit.lambda, 3),
        (fit.converged ? "" : "NOT CONVERGED · ") + P.fmtInt(fit.events) + " events · fit at " + P.fmtClock(fit.time_ms) + (fit.final ? " · final" : ""),
        !fit.converged, "± " + P.fmt(fit.lambda_error, 3));
      setFigure("lambda0", P.fmt(fit.lambda0, 3), fit.lambda0_disagrees ? "disagrees with the fit" : "cross-check", fit.lambda0_disagrees,
        fit.lambda0_error !== null && fit.lambda0_error !== undefined ? "± " + P.fmt(fit.lambda0_error, 3) : "");
      setFigure("chi2", P.fmt(fit.ndf > 0 ? fit.chi2 / fit.ndf : NaN, 2), P.fmt(fit.chi2, 1) + " / " + fit.ndf + " · p = " + P.fmt(fit.p_value, 3));
    } else {
      setFigure("lambda", "—", "no fit yet", false, "");
      setFigure("lambda0", "—", "", false, "");
      setFigure("chi2", "—", "");
    }
    setFigure("rate", s.trigger_rate_hz !== undefined && s.trigger_rate_hz !== null ? P.fmt(s.trigger_rate_hz, 2) + " Hz" : P.fmt(s.event_rate_hz, 2) + " Hz",
      s.trigger_rate_hz !== undefined && s.trigger_rate_hz !== null ? "daq · monitor " + P.fmt(s.event_rate_hz, 1) + " Hz" : "seen by the monitor (no daq status)");
    setFigure("dead-time", s.dead_time_fraction !== undefined && s.dead_time_fraction !== null ? P.fmt(100 * s.dead_time_fraction, 2) + " %" : "—",
      s.daq_status_age_s !== undefined && s.daq_status_age_s !== null ? "daq status " + Math.round(s.daq_status_age_s) + " s old" : "no daq status", s.daq_status_age_s > 5);
    setFigure("events", P.fmtInt(s.events), (s.frozen ? P.fmtInt(s.frozen_events) + " while frozen · " : "") + P.fmtInt(s.events_total) + " since the monitor started");
    $("missed").textContent = s.daq_missed !== undefined && s.daq_missed !== null ? P.fmtInt(s.daq_missed) : "—";
    $("missed").closest(".figure").classList.toggle("alert", s.daq_missed > 0);
    setFigure("monitor-lost", P.fmtInt(s.missed_by_monitor) + " / " + P.fmtInt(s.dropped_by_monitor),
      "gaps in evt seq / queue drops" + (s.malformed ? " · " + s.malformed + " malformed" : ""), (s.missed_by_monitor + s.dropped_by_monitor) > 0);
    $("run-number").textContent = s.run !== undefined && s.run !== null ? s.run : "—";
    const state = (s.state || "—");
    $("run-state").textContent = state + (s.device_state && s.device_state !== "ok" ? " · device " + s.device_state : "");
    $("run-state").className = "badge " + (/running/i.test(state) ? "running" : /error|lost/i.test(state + s.device_state) ? "error" : "");
    $("frozen-badge").classList.toggle("hidden", !s.frozen);
  }

  function renderSpectra() {
    const spectra = model.spectra || [];
    const fits = (model.fits && model.fits.items) || [];
    const container = $("spectra");
    if (spectra.length === 0) { container.innerHTML = '<div class="empty">waiting for events…</div>'; charts.spectra = {}; return; }
    if (container.querySelector(".empty")) container.innerHTML = "";
    const log = $("log-y").checked;
    for (const s of spectra) {
      let block = $("spectrum-ch" + s.channel);
      if (!block) {
        block = document.createElement("div");
        block.className = "channel";
        block.id = "spectrum-ch" + s.channel;
        block.innerHTML = '<div class="channel-head"><span class="name">channel ' + s.channel + '</span><span class="fit"></span>' +
          '<span class="counts"></span><button type="button" class="live-only">reset ch ' + s.channel + '</button></div><div class="plot"></div>';
        block.querySelector("button").onclick = () => post("api/reset?channel=" + s.channel).catch(e => alert(e.message));
        container.appendChild(block);
        charts.spectra[s.channel] = P.spectrumChart(block.querySelector(".plot"), 300);
      }
      const fit = fits.find(f => f.channel === s.channel) || null;
      block.querySelector(".fit").innerHTML = fit
        ? "λ = <strong>" + P.fmt(fit.lambda, 3) + " ± " + P.fmt(fit.lambda_error, 3) + "</strong> · λ₀ = " + P.fmt(fit.lambda0, 3) +
          " · χ²/ndf = " + P.fmt(fit.chi2, 1) + "/" + fit.ndf +
          (fit.response_from ? ' · <span class="note" title="the single-electron response is fixed from a low-λ run; its uncertainty is in Δλ">response from ' + P.escapeHtml(fit.response_from) + "</span>" : "") +
          (fit.converged ? "" : ' · <span class="warning">not converged: ' + P.escapeHtml(fit.status_reason || fit.status) + "</span>") +
          (fit.warnings ? ' · <span class="warning">' + P.escapeHtml(fit.warnings.join("; ")) + "</span>" : "")
        : "no fit yet";
      const failure = ((model.fits && model.fits.failures) || []).find(x => x.channel === s.channel);
      if (failure) block.querySelector(".fit").innerHTML += ' · <span class="warning">latest fit (' + P.fmtInt(failure.events) + " events, " +
        P.fmtClock(failure.time_ms) + ") failed: " + P.escapeHtml(failure.message) + "</span>";
      block.querySelector(".counts").textContent = P.fmtInt(s.entries) + " entries" + (s.overflow ? " · " + P.fmtInt(s.overflow) + " overflow" : "") +
        (s.over_range ? " · " + P.fmtInt(s.over_range) + " over range" : "") + (s.without_amplitude ? " · " + P.fmtInt(s.without_amplitude) + " without amplitude" : "");
      const ref = reference ? (reference.byChannel[s.channel] || reference.any) : null;
      charts.spectra[s.channel].update(s, fit, { log: log, reference: ref });
    }
    for (const ch of Object.keys(charts.spectra)) {
      if (!spectra.some(s => String(s.channel) === ch)) { const b = $("spectrum-ch" + ch); if (b) b.remove(); delete charts.spectra[ch]; }
    }
  }

  function renderTrend() {
    const t = model.trend;
    charts.trend = charts.trend || P.trendChart($("trend"), 220);
    $("trend-note").textContent = t ? "one point per " + P.fmtInt(t.bunches_per_point) + " bunches" + (t.channel ? " of channel " + t.channel : "") +
      (t.dropped_blocks ? " · " + t.dropped_blocks + " blocks not fitted (fits behind)" : "") : "";
    charts.trend.update(t);
  }

  function renderWaveforms() {
    const parts = model.waveforms || [];
    const container = $("waveforms");
    if (parts.length === 0) { container.innerHTML = '<div class="empty">no waveform yet</div>'; charts.waveforms = {}; return; }
    if (container.querySelector(".empty")) container.innerHTML = "";
    for (const part of parts) {
      let block = $("waveform-ch" + part.channel);
      if (!block) {
        block = document.createElement("div");
        block.className = "channel";
        block.id = "waveform-ch" + part.channel;
        block.innerHTML = '<div class="channel-head"><span class="name">channel ' + part.channel + '</span><span class="fit"></span></div><div class="plot"></div>';
        container.appendChild(block);
        charts.waveforms[part.channel] = P.waveformChart(block.querySelector(".plot"), 220);
      }
      const w = part.items[part.items.length - 1];
      block.querySelector(".fit").textContent = w ? "trigger " + w.trigger + " · amplitude " + P.fmt(w.amplitude * 1e3, 2) + " mV · baseline " +
        P.fmt(w.baseline * 1e3, 2) + " mV (RMS " + P.fmt(w.baseline_rms * 1e3, 3) + " mV)" + (w.over_range ? " · OVER RANGE" : "") +
        (w.decimation > 1 ? " · min/max of " + w.decimation + " samples" : "") : "";
      charts.waveforms[part.channel].update(part.items);
    }
  }

  function renderNoise() {
    const noise = model.noise || [];
    charts.rms = charts.rms || P.noiseRmsChart($("noise-rms"), 170);
    charts.psd = charts.psd || P.psdChart($("noise-psd"), 170);
    $("noise-note").textContent = noise.map(n => "ch " + n.channel + ": " + P.fmt(n.rms * 1e3, 3) + " mV RMS").join(" · ");
    charts.rms.update(noise);
    charts.psd.update(noise);
  }

  function age(ms) {
    if (!ms) return "—";
    const s = Math.max(0, (Date.now() - ms) / 1000);
    return s < 90 ? Math.round(s) + " s" : s < 5400 ? Math.round(s / 60) + " min" : Math.round(s / 3600) + " h";
  }

  function renderSlowControl() {
    const rows = model.slow_control || [];
    const body = $("slow-control").querySelector("tbody");
    $("slow-control-empty").classList.toggle("hidden", rows.length > 0);
    $("slow-control").classList.toggle("hidden", rows.length === 0);
    body.innerHTML = rows.map((r, i) => "<tr><td>" + P.escapeHtml(r.device) + "</td><td>" + P.escapeHtml(r.quantity) + '</td><td class="num"><strong>' +
      P.fmt(r.value, 4) + "</strong></td><td>" + P.escapeHtml(r.unit) + "</td><td>" + age(r.t_ms) + '</td><td><canvas width="90" height="18" data-i="' + i + '"></canvas></td></tr>').join("");
    body.querySelectorAll("canvas").forEach(c => P.sparkline(c, rows[+c.dataset.i].history));
  }

  function renderAlarms() {
    const a = model.alarms || { total: 0, items: [] };
    $("alarm-count").textContent = a.total ? a.total + " since the monitor started" : "";
    $("alarms-empty").classList.toggle("hidden", a.items.length > 0);
    $("alarms").innerHTML = a.items.map(x => '<li><span class="time">' + P.fmtTime(x.t_ms) + '</span><span class="sev ' + P.escapeHtml(x.severity) + '">' +
      P.escapeHtml(x.severity) + "</span><strong>" + P.escapeHtml(x.source) + "</strong> " + P.escapeHtml(x.code) + ": " + P.escapeHtml(x.message) + "</li>").join("");
  }

  function facts(el, pairs) {
    el.innerHTML = pairs.filter(p => p[1] !== undefined && p[1] !== null && p[1] !== "").map(p => "<dt>" + P.escapeHtml(p[0]) + "</dt><dd>" + P.escapeHtml(p[1]) + "</dd>").join("");
  }

  function show(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : P.fmt(v, 4);
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  }

  function renderRun() {
    const r = model.run || {};
    const pairs = [["run", r.run], ["started", r.started_ms ? P.fmtTime(r.started_ms) : ""], ["software", r.software]];
    if (r.run_begin_missing) pairs.push(["note", "the monitor started during the run: no run.begin seen"]);
    const meta = r.meta || {};
    Object.keys(meta).sort().forEach(k => pairs.push([k, show(meta[k])]));
    if (r.ended) pairs.push(["ended", (r.ended.time_ms ? P.fmtTime(r.ended.time_ms) : "") + " · " + (r.ended.reason || "") + " · " + P.fmtInt(r.ended.events) + " events, " + P.fmtInt(r.ended.missed) + " missed"]);
    facts($("run-info"), pairs);
    const s = model.status || {};
    facts($("monitor-info"), [
      ["events analysed", P.fmtInt(s.events_total) + " (" + P.fmt(s.event_rate_hz, 1) + " Hz)"],
      ["missed by monitor", P.fmtInt(s.missed_by_monitor) + " (gaps in the evt sequence)"],
      ["dropped by monitor", P.fmtInt(s.dropped_by_monitor) + " (analysis behind; queue " + P.fmtInt(s.queued) + ")"],
      ["trigger gaps", P.fmtInt(s.trigger_gaps)],
      ["undecodable / bad", P.fmtInt(s.undecodable) + " / " + P.fmtInt(s.bad_messages)],
      ["fits", P.fmtInt(s.fits) + " (" + P.fmtInt(s.fits_published) + " published, " + P.fmtInt(s.fit_failures) + " failed" + (s.last_fit_ms ? ", last " + Math.round(s.last_fit_ms) + " ms" : "") + ")"],
      ["browsers", P.fmtInt(s.clients)],
    ]);
    const rows = s.connections || [];
    $("connections").querySelector("tbody").innerHTML = rows.map(c => "<tr><td>" + P.escapeHtml(c.address) + '</td><td class="num">' + P.fmtInt(c.received) +
      '</td><td class="num">' + P.fmtInt(c.missed_events + c.missed_other) + '</td><td class="num">' + P.fmtInt(c.malformed) + "</td><td>" +
      (c.last_message_age_s === null || c.last_message_age_s === undefined ? "never" : Math.round(c.last_message_age_s) + " s ago") + "</td></tr>").join("");
  }

  function renderControls() {
    const c = model.controls || {};
    $("freeze").textContent = c.frozen ? "Frozen — resume" : "Freeze";
    $("freeze").classList.toggle("active", !!c.frozen);
    $("clear-at-start").checked = !!c.clear_at_run_start;
    $("run-control").classList.toggle("hidden", !c.run_control || !!snapshot);
    $("software").textContent = c.software || "";
  }

  // ---- start -------------------------------------------------------------------------------------------------

  if (snapshot) {
    document.querySelectorAll(".live-only").forEach(e => e.classList.add("hidden"));
    $("snapshot-note").textContent = "Snapshot of the BeamDAQ monitor taken " + P.fmtTime(snapshot.server_time_ms) + " — not live.";
    $("snapshot-note").classList.remove("hidden");
    $("conn-text").textContent = "snapshot";
    apply(snapshot);
    return;
  }
  wireControls();
  connect();
  setInterval(watchdog, 1000);
  setInterval(() => { dirty.add("slow_control"); scheduleRender(); }, 10000);   // keep the ages current
})();
