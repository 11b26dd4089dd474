// BeamDAQ offline report: draws the data inlined in the page (window.BEAMDAQ_REPORT) with the same charts as the
// live monitor. Opens from a file, offline: everything it needs is in the one HTML file.
(function () {
  "use strict";
  const P = window.BeamPlots;
  const report = window.BEAMDAQ_REPORT;
  const main = document.getElementById("report");
  const esc = P.escapeHtml;
  window.beamdaqReport = { drawn: 0, charts: [] };

  function facts(pairs) {
    return '<dl class="facts">' + pairs.filter(p => p[1] !== undefined && p[1] !== null && p[1] !== "")
      .map(p => "<dt>" + esc(p[0]) + "</dt><dd>" + esc(p[1]) + "</dd>").join("") + "</dl>";
  }

  function show(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : P.fmt(v, 4);
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  }

  document.getElementById("generated").textContent = "generated " + P.fmtTime(report.generated_ms) + " by " + report.software;

  report.files.forEach((file, index) => {
    const section = document.createElement("section");
    section.className = "report-file";
    const id = "file" + index;
    const fit = (file.fits || [])[0];
    let html = "<h2>" + esc(file.name) + (file.run !== null && file.run !== undefined ? " — run " + esc(file.run) : "") + "</h2>";
    if (file.failure) {
      section.innerHTML = html + '<p class="warning">' + esc(file.failure) + "</p>";
      main.appendChild(section);
      return;
    }
    const summary = [
      ["λ ± Δλ", fit ? P.fmt(fit.lambda, 4) + " ± " + P.fmt(fit.lambda_error, 4) + " (channel " + fit.channel + (fit.converged ? "" : ", NOT CONVERGED") + ")" : "no fit"],
      ["λ₀ (zero fraction)", fit ? P.fmt(fit.lambda0, 4) + (fit.lambda0_error !== null && fit.lambda0_error !== undefined ? " ± " + P.fmt(fit.lambda0_error, 4) : "") : ""],
      ["χ² / ndf", fit ? P.fmt(fit.chi2, 1) + " / " + fit.ndf + " (p = " + P.fmt(fit.p_value, 3) + ")" : ""],
      ["events", P.fmtInt(file.events)],
      ["missed triggers", P.fmtInt(file.missed)],
      ["trigger gaps in the file", P.fmtInt(file.trigger_gaps) + (file.gaps && file.gaps.length ? " (" + file.gaps.map(g => g.after + "–" + g.before).slice(0, 12).join(", ") + (file.gaps.length > 12 ? ", …" : "") + ")" : "")],
      ["skipped records", P.fmtInt(file.undecodable)],
      ["file", file.path + " (" + P.fmtInt(file.bytes) + " bytes)"],
      ["end", file.end],
    ];
    // The run's own description (start, end, meta) beside the figures; the full settings folded away below.
    const settings = file.metadata.filter(m => /^(applied|config)\./.test(m.key));
    const description = file.metadata.filter(m => !/^(applied|config)\./.test(m.key));
    html += '<div class="report-grid"><div>' + facts(summary) + "</div><div>" + facts(description.map(m => [m.key, show(m.value)])) + "</div></div>";
    if (file.notes && file.notes.length) html += '<ul class="notes">' + file.notes.map(n => "<li>" + esc(n) + "</li>").join("") + "</ul>";
    const folded = settings.length ? "<details><summary>Digitizer settings as applied and the run's configuration (" + settings.length + " values)</summary>" +
      facts(settings.map(m => [m.key, show(m.value)])) + "</details>" : "";
    html += '<div class="report-grid">';
    (file.spectra || []).forEach(s => { html += '<div><h3>Amplitude spectrum, channel ' + s.channel + '</h3><div class="plot" id="' + id + "-spectrum" + s.channel + '"></div></div>'; });
    html += '<div><h3>λ over the run <small>one point per ' + P.fmtInt(file.trend.bunches_per_point) + ' bunches</small></h3><div class="plot" id="' + id + '-trend"></div></div>';
    html += '<div><h3>Baseline noise RMS</h3><div class="plot" id="' + id + '-rms"></div><h3>Noise spectrum (Welch, pre-trigger samples)</h3><div class="plot" id="' + id + '-psd"></div></div>';
    html += '<div><h3>Alarms <small>' + (file.alarms.length || "none") + '</small></h3><ul class="alarms">' + file.alarms.map(a =>
      '<li><span class="time">' + P.fmtTime(a.t_ms) + '</span><span class="sev ' + esc(a.severity) + '">' + esc(a.severity) + "</span><strong>" + esc(a.source) + "</strong> " +
      esc(a.code) + ": " + esc(a.message) + "</li>").join("") + "</ul>";
    if (file.slow_control.length) {
      html += '<h3>Slow control <small>last reading of each quantity</small></h3><table class="table"><tr><th>device</th><th>quantity</th><th class="num">value</th><th>unit</th><th>readings</th></tr>' +
        file.slow_control.map(r => "<tr><td>" + esc(r.device) + "</td><td>" + esc(r.quantity) + '</td><td class="num">' + P.fmt(r.value, 4) + "</td><td>" + esc(r.unit) + "</td><td>" + r.readings + "</td></tr>").join("") + "</table>";
    }
    html += "</div></div>" + folded;
    section.innerHTML = html;
    main.appendChild(section);

    (file.spectra || []).forEach(s => {
      const c = P.spectrumChart(document.getElementById(id + "-spectrum" + s.channel), 300);
      c.update(s, (file.fits || []).find(f => f.channel === s.channel) || null, { log: false });
      window.beamdaqReport.charts.push(c);
    });
    const t = P.trendChart(document.getElementById(id + "-trend"), 220);
    t.update(file.trend);
    const r = P.noiseRmsChart(document.getElementById(id + "-rms"), 170);
    r.update(file.noise);
    const p = P.psdChart(document.getElementById(id + "-psd"), 170);
    p.update(file.noise);
    window.beamdaqReport.charts.push(t, r, p);
    window.beamdaqReport.drawn++;
  });
})();
