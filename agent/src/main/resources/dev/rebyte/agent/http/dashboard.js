// Rebyte dashboard: polls /api/stats every second and draws with plain canvas (no library, no
// network). Rates are computed between consecutive samples; the last 5 minutes are kept.
(function () {
  'use strict';
  var PERIOD_MS = 1000, KEEP = 300, samples = [], failures = 0;
  var $ = function (id) { return document.getElementById(id); };

  function bytes(n) {
    if (n == null || isNaN(n)) return '–';
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (Math.abs(n) >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i === 0 ? Math.round(n) : n.toFixed(n < 10 ? 2 : 1)) + ' ' + u[i];
  }
  function count(n) {
    if (n == null || isNaN(n)) return '–';
    if (Math.abs(n) >= 1e9) return (n / 1e9).toFixed(2) + ' G';
    if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(2) + ' M';
    if (Math.abs(n) >= 1e4) return (n / 1e3).toFixed(1) + ' k';
    return String(Math.round(n));
  }
  function pct(x) { return x == null || isNaN(x) ? '–' : (100 * x).toFixed(1) + ' %'; }
  function text(id, s) { var e = $(id); if (e) e.textContent = s; }
  function esc(s) { return String(s == null ? '' : s).replace(/[&<>"]/g, function (c) { return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]; }); }
  // Simple class name on the page; the full name is in the cell's tooltip.
  function shortClass(c) { return String(c).substring(String(c).lastIndexOf('.') + 1); }
  function siteName(s) { return shortClass(s['class']) + '.' + s.method + (s.line >= 0 ? ':' + s.line : ''); }
  function fullName(s) { return s['class'] + '.' + s.method + (s.line >= 0 ? ':' + s.line : ''); }

  function table(id, head, rows, empty) {
    var h = '<tr>' + head.map(function (c) { return '<th class="' + (c[1] || '') + '">' + esc(c[0]) + '</th>'; }).join('') + '</tr>';
    if (!rows.length) { $(id).innerHTML = h + '<tr><td class="empty" colspan="' + head.length + '">' + esc(empty) + '</td></tr>'; return; }
    $(id).innerHTML = h + rows.map(function (r) {
      var tip = r.title;
      return '<tr>' + r.map(function (v, i) { return '<td class="' + (head[i][1] || '') + '"' + (head[i][1] === 'site' ? ' title="' + esc(i === 0 && tip ? tip : v) + '"' : '') + '>' + esc(v) + '</td>'; }).join('') + '</tr>';
    }).join('');
  }

  // series: [{values: [...], color, label, fill}], opts: {max, format, min}
  function chart(id, series, opts) {
    var c = $(id), dpr = window.devicePixelRatio || 1, w = c.clientWidth, h = c.clientHeight;
    if (c.width !== w * dpr || c.height !== h * dpr) { c.width = w * dpr; c.height = h * dpr; }
    var g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    var left = 64, right = 8, top = 18, bottom = 18, pw = w - left - right, ph = h - top - bottom;
    var max = opts.max || 0;
    series.forEach(function (s) { s.values.forEach(function (v) { if (v != null && v > max) max = v; }); });
    if (!(max > 0)) max = 1;
    if (!opts.max) max *= 1.1;
    g.font = '11px system-ui, sans-serif';
    g.strokeStyle = '#e2e5eb'; g.fillStyle = '#6b7385'; g.lineWidth = 1;
    for (var i = 0; i <= 4; i++) {
      var y = top + ph - ph * i / 4;
      g.beginPath(); g.moveTo(left, y + 0.5); g.lineTo(left + pw, y + 0.5); g.stroke();
      g.textAlign = 'right'; g.fillText(opts.format(max * i / 4), left - 6, y + 4);
    }
    // The time axis spans what has been sampled, at least a minute, at most KEEP samples.
    var n0 = series.length ? series[0].values.length : 0, span = Math.max(60, n0);
    var secs = Math.round(span * PERIOD_MS / 1000);
    g.textAlign = 'left'; g.fillText('-' + (secs >= 120 ? Math.round(secs / 60) + ' min' : secs + ' s'), left, h - 4);
    g.textAlign = 'right'; g.fillText('now', left + pw, h - 4);
    var lx = left + 8;
    series.forEach(function (s) {
      var n = s.values.length;
      g.strokeStyle = s.color; g.lineWidth = s.dash ? 1.5 : 2; g.setLineDash(s.dash ? [6, 4] : []);
      g.beginPath();
      var started = false;
      for (var k = 0; k < n; k++) {
        var v = s.values[k];
        if (v == null) { started = false; continue; }
        var x = left + pw * (span - n + k) / (span - 1), y2 = top + ph - ph * Math.min(v, max) / max;
        if (!started) { g.moveTo(x, y2); started = true; } else g.lineTo(x, y2);
      }
      g.stroke(); g.setLineDash([]);
      g.fillStyle = s.color; g.textAlign = 'left';
      g.fillRect(lx, 4, 10, 3); g.fillText(s.label, lx + 14, 10); lx += g.measureText(s.label).width + 34;
    });
  }

  function titled(title, row) { row.title = title; return row; }
  function rate(a, b, f) { var dt = (b.time - a.time) / 1000; return dt > 0 ? (f(b) - f(a)) / dt : null; }
  function gcTime(s) { return s.gc.reduce(function (t, g) { return t + g.timeMs; }, 0); }
  function gcCount(s) { return s.gc.reduce(function (t, g) { return t + g.count; }, 0); }

  function render(s) {
    var t = s.totals, prev = samples.length > 1 ? samples[samples.length - 2] : null;
    var served = t.hits + t.misses;
    text('hit-rate', pct(served ? t.hits / served : NaN));
    $('hit-rate').setAttribute('data-value', served ? String(t.hits / served) : '');
    text('acquires', count(t.hits) + ' hits, ' + count(t.misses) + ' misses, ' + count(t.bypasses) + ' bypasses');
    var old = samples[Math.max(0, samples.length - 61)], dh = t.hits - old.totals.hits, dm = t.misses - old.totals.misses;
    text('hit-rate-now', dh + dm > 0 ? pct(dh / (dh + dm)) : '–');
    text('hit-rate-note', dh + dm > 0 ? count(dh + dm) + ' acquires in ' + Math.round((s.time - old.time) / 1000) + ' s' : 'no acquires lately');
    text('bytes-saved', bytes(t.bytesSaved));
    text('saved-rate', prev ? bytes(rate(prev, s, function (x) { return x.totals.bytesSaved; })) + '/s now' : '');
    text('retained', bytes(t.retainedBytes) + ' / ' + bytes(t.maxBytes));
    $('retained-bar').style.width = Math.min(100, 100 * t.retainedBytes / Math.max(1, t.maxBytes)) + '%';
    text('outstanding', count(t.outstanding));
    text('releases', count(t.releasesPooled) + ' pooled, ' + count(t.releasesDropped) + ' dropped, ' + count(t.releasesRejected) + ' rejected');
    text('evictions', count(t.evictionsIdle + t.evictionsPressure + t.evictionsBound));
    text('evictions-note', 'idle ' + count(t.evictionsIdle) + ', pressure ' + count(t.evictionsPressure) + ', bound ' + count(t.evictionsBound));
    var leaks = t.siteLeaks + t.leaseLeaks;
    text('leaks', count(leaks));
    text('leaks-note', 'site ' + count(t.siteLeaks) + ', lease ' + count(t.leaseLeaks));
    $('leaks-tile').className = leaks > 0 ? 'tile alert' : 'tile';
    var d = s.decisions;
    text('sites', count(d.pooled) + ' pooled');
    text('sites-note', count(d.rejected || 0) + ' rejected, ' + count(d.skipped || 0) + ' skipped' + (d.observed ? ', ' + count(d.observed) + ' observed' : ''));

    var hit = [], hitAll = [], retained = [], bound = [], saved = [], gc = [], acq = [];
    for (var i = 0; i < samples.length; i++) {
      var a = samples[i - 1], b = samples[i];
      retained.push(b.totals.retainedBytes); bound.push(b.totals.maxBytes);
      var bs = b.totals.hits + b.totals.misses;
      hitAll.push(bs ? 100 * b.totals.hits / bs : null);
      if (!a) { hit.push(null); saved.push(null); gc.push(null); acq.push(null); continue; }
      var h = b.totals.hits - a.totals.hits, m = b.totals.misses - a.totals.misses;
      hit.push(h + m > 0 ? 100 * h / (h + m) : null);
      saved.push(rate(a, b, function (x) { return x.totals.bytesSaved; }));
      gc.push(gcTime(b) - gcTime(a));
      acq.push(rate(a, b, function (x) { return x.totals.hits + x.totals.misses + x.totals.bypasses; }));
    }
    chart('chart-hit', [{values: hit, color: '#1f9d55', label: 'per interval'}, {values: hitAll, color: '#6b7385', label: 'since start', dash: true}],
      {max: 100, format: function (v) { return Math.round(v) + ' %'; }});
    chart('chart-retained', [{values: retained, color: '#2f6fde', label: 'retained'}, {values: bound, color: '#c0392b', label: 'bound', dash: true}], {format: bytes});
    chart('chart-saved', [{values: saved, color: '#1f9d55', label: 'saved/s'}], {format: function (v) { return bytes(v) + '/s'; }});
    var maxAcq = Math.max.apply(null, acq.filter(function (v) { return v != null; }).concat([1]));
    var maxGc = Math.max.apply(null, gc.filter(function (v) { return v != null; }).concat([1]));
    chart('chart-gc', [{values: gc, color: '#c0392b', label: 'GC ms'},
                       {values: acq.map(function (v) { return v == null ? null : v * maxGc / maxAcq; }), color: '#2f6fde', label: 'acquires/s (scaled, peak ' + count(maxAcq) + '/s)', dash: true}],
      {format: function (v) { return v.toFixed(v < 10 ? 1 : 0) + ' ms'; }});

    var sites = s.sites.slice();
    var bySaved = sites.filter(function (x) { return x.bytesSaved > 0; }).sort(function (x, y) { return y.bytesSaved - x.bytesSaved; }).slice(0, 10);
    table('top-saved', [['site', 'site'], ['saved', 'num'], ['hits', 'num'], ['misses', 'num'], ['hit rate', 'num'], ['length', 'num']],
      bySaved.map(function (x) { return titled(fullName(x), [siteName(x), bytes(x.bytesSaved), count(x.hits), count(x.misses), pct(x.hits / Math.max(1, x.hits + x.misses)), x.length >= 0 ? bytes(x.length) : 'variable']); }),
      'no hits yet');
    var byMisses = sites.filter(function (x) { return x.misses > 0; }).sort(function (x, y) { return y.misses - x.misses; }).slice(0, 10);
    table('top-misses', [['site', 'site'], ['misses', 'num'], ['hits', 'num'], ['bypasses', 'num'], ['outstanding', 'num'], ['leaks', 'num']],
      byMisses.map(function (x) { return titled(fullName(x), [siteName(x), count(x.misses), count(x.hits), count(x.bypasses), count(x.outstanding), count(x.leaks)]); }),
      'no misses');
    table('classes', [['class', 'num'], ['retained', 'num'], ['share', 'num'], ['buffers', 'num'], ['hits', 'num'], ['misses', 'num'], ['evictions', 'num']],
      s.classes.filter(function (c) { return c.hits + c.misses + c.retainedBuffers + c.evictions > 0; }).map(function (c) {
        return [bytes(c.size) + (c.humongousEdge ? ' (G1 edge)' : ''), bytes(c.retainedBytes), bytes(c.maxBytes), count(c.retainedBuffers), count(c.hits), count(c.misses), count(c.evictions)];
      }), 'no class used yet');
    table('gc', [['collector'], ['collections', 'num'], ['total time', 'num'], ['last interval', 'num']],
      s.gc.map(function (g) {
        var p = prev && prev.gc.filter(function (x) { return x.name === g.name; })[0];
        return [g.name, count(g.count), g.timeMs + ' ms', p ? (g.timeMs - p.timeMs) + ' ms / ' + (g.count - p.count) : '–'];
      }), 'no collector reported');
    text('unrewritten-count', '(' + s.unrewrittenTotal + (s.unrewrittenTotal > s.unrewritten.length ? ', first ' + s.unrewritten.length + ' shown' : '') + ')');
    table('unrewritten', [['site', 'site'], ['decision'], ['reason'], ['about', 'site']],
      s.unrewritten.map(function (u) { return titled(fullName(u), [siteName(u), u.decision, u.reason, u.detail + (u.reasonLine >= 0 ? ' (line ' + u.reasonLine + ')' : '')]); }),
      'every site found was rewritten');
    var groups = {}, order = [];
    s.leaks.forEach(function (l) {
      var key = l.kind + ' ' + l.site;
      if (!groups[key]) { groups[key] = {kind: l.kind, site: l.site, n: 0, stack: l.stack}; order.push(key); }
      groups[key].n++;
    });
    var perSite = s.sites.filter(function (x) { return x.leaks > 0; }).sort(function (x, y) { return y.leaks - x.leaks; });
    table('leak-list', [['kind'], ['site', 'site'], ['leaks', 'num'], ['acquired at (recent leak)', 'site']],
      perSite.map(function (x) {
        var g2 = order.map(function (k) { return groups[k]; }).filter(function (g) { return g.kind === 'site' && g.site.indexOf(x['class'] + '.' + x.method) === 0; })[0];
        // an owned buffer leaks when its owner is collected without close(): say so, it names the culprit
        return titled(fullName(x), [x.mode === 'owned' ? 'owner never closed' : 'site', siteName(x), count(x.leaks), g2 && g2.stack.length ? g2.stack.slice(0, 3).join(' ← ') : '(stacks with leak-detection=paranoid)']);
      }).concat(t.leaseLeaks > 0 ? [['lease', 'Rebyte.lease() never closed', count(t.leaseLeaks), '']] : []),
      'no leak detected');
    text('config', 'config: ' + s.config);
    text('pool-config', 'pool: ' + s.pool);
    var st = $('status');
    st.className = 'status';
    st.textContent = 'mode ' + s.mode + ' · up ' + Math.round(s.uptimeMs / 1000) + ' s · updated ' + new Date(s.time).toLocaleTimeString();
  }

  function poll() {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', 'api/stats');
    xhr.timeout = 5000;
    xhr.onload = function () {
      if (xhr.status !== 200) { return fail('HTTP ' + xhr.status); }
      failures = 0;
      var s = JSON.parse(xhr.responseText);
      samples.push(s);
      if (samples.length > KEEP) samples.shift();
      render(s);
      setTimeout(poll, PERIOD_MS);
    };
    xhr.onerror = xhr.ontimeout = function () { fail('no answer'); };
    xhr.send();
  }
  function fail(why) {
    failures++;
    var st = $('status');
    st.className = 'status down';
    st.textContent = 'disconnected (' + why + '), retrying';
    setTimeout(poll, Math.min(10000, PERIOD_MS * failures));
  }
  poll();
}());
