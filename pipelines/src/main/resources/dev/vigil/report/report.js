/*
 * Vigil run report: draws the charts from the JSON embedded in the page (#vigil-report-data) with uPlot.
 *
 * When every chart has drawn, the root element carries data-report-state="rendered",
 * data-charts-expected and data-charts-rendered; each <figure class="chart"> carries data-chart-state and
 * data-ink (coloured pixels in its plot area), so that a headless browser can check the page without a screen.
 * Text from the data is only ever inserted with textContent, never parsed as HTML.
 */
(function () {
  'use strict';

  var root = document.documentElement;
  var data = JSON.parse(document.getElementById('vigil-report-data').textContent);

  /* Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), black left out. */
  var PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#8E6C00', '#7F3C8D'];
  var LEVEL_COLOURS = { LOW_MEDIUM: '#E69F00', MEDIUM: '#D55E00', HIGH: '#B2182B' };
  var LEVEL_ORDER = ['LOW_MEDIUM', 'MEDIUM', 'HIGH'];
  var KIND_COLOURS = { DRIFT: '#B2182B', WARNING: '#E69F00' };
  var MAX_TABLE_ROWS = 200;
  var MINUTE = 60000;
  var SIGNAL_LABEL_CHARS = 34;

  var charts = [];
  var expected = 0;
  var rendered = 0;
  var constructed = false;

  /* ---------- small helpers ---------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function isNum(v) {
    return typeof v === 'number' && isFinite(v);
  }

  function anyFinite(columns) {
    for (var i = 0; i < columns.length; i++) {
      for (var j = 0; j < columns[i].length; j++) {
        if (isNum(columns[i][j])) {
          return true;
        }
      }
    }
    return false;
  }

  function fmtTime(ms) {
    if (!isNum(ms)) {
      return '–';
    }
    return new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
  }

  function fmtNum(v, digits) {
    return isNum(v) ? v.toFixed(digits) : '–';
  }

  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + alpha + ')';
  }

  function utc(ms) {
    return uPlot.tzDate(new Date(ms), 'Etc/UTC');
  }

  function note(container, text) {
    container.appendChild(el('p', 'note', text));
  }

  function chartWidth(container) {
    var w = container.clientWidth || 960;
    return Math.max(320, Math.min(1120, w - 26));
  }

  /** Pads a degenerate (single-instant) time range so that one point still gets an axis. */
  function timeRange(u, min, max) {
    if (min === null || max === null) {
      return [Date.now() - MINUTE, Date.now() + MINUTE];
    }
    return min === max ? [min - MINUTE, max + MINUTE] : [min, max];
  }

  /** Tick labels in UTC, 24-hour ISO style; the date is added under the first tick and where the day changes. */
  function timeValues(u, splits, axisIdx, foundSpace, foundIncr) {
    return splits.map(function (v, i) {
      if (!isNum(v)) {
        return '';
      }
      var iso = new Date(v).toISOString();
      var date = iso.slice(0, 10);
      if (foundIncr >= 86400000) {
        return date;
      }
      var time = foundIncr >= MINUTE ? iso.slice(11, 16) : iso.slice(11, 19);
      var previous = i > 0 && isNum(splits[i - 1]) ? new Date(splits[i - 1]).toISOString().slice(0, 10) : null;
      return previous === date ? time : time + '\n' + date;
    });
  }

  /** The time range padded by 3% on each side, so that markers at the first and last instant are whole. */
  function paddedTimeRange(u, min, max) {
    var range = timeRange(u, min, max);
    var pad = (range[1] - range[0]) * 0.03;
    return [range[0] - pad, range[1] + pad];
  }

  function timeAxis(label) {
    return {
      label: label, labelSize: 22, stroke: '#1b1f24', grid: { stroke: 'rgba(0,0,0,0.08)' }, values: timeValues,
      size: 56
    };
  }

  function shorten(text, max) {
    return text.length <= max ? text : text.slice(0, max - 1) + '…';
  }

  /** Hides legend rows (e.g. interval bounds, which the shading already shows). */
  function hideLegendRows(plot, seriesIndexes) {
    var rows = plot.root.querySelectorAll('.u-legend .u-series');
    seriesIndexes.forEach(function (i) {
      if (rows[i]) {
        rows[i].style.display = 'none';
      }
    });
  }

  function valueAxis(label, scale, side, values) {
    var axis = {
      label: label, labelSize: 22, scale: scale, stroke: '#1b1f24', size: 56,
      grid: { show: side !== 1, stroke: 'rgba(0,0,0,0.08)' }
    };
    if (side !== undefined) {
      axis.side = side;
    }
    if (values) {
      axis.values = values;
    }
    return axis;
  }

  function lineSeries(label, colour, scale, digits, extra) {
    var s = {
      label: label, stroke: colour, width: 2, scale: scale,
      value: function (u, v) { return fmtNum(v, digits); }
    };
    for (var k in extra || {}) {
      s[k] = extra[k];
    }
    return s;
  }

  function pointSeries(label, colour, scale, size, value) {
    return {
      label: label, stroke: colour, fill: colour, scale: scale, width: 0,
      paths: function () { return null; },
      points: { show: true, size: size, stroke: colour, fill: colour, width: 1 },
      value: value || function (u, v) { return v === null || v === undefined ? '–' : 'yes'; }
    };
  }

  function timeXSeries() {
    return { label: 'time', value: function (u, v) { return fmtTime(v); } };
  }

  /** Coloured (not grey) pixels in the plot area: grid, axes and text are grey or black, data is coloured. */
  function inkPixels(u) {
    var b = u.bbox;
    if (!b || b.width < 1 || b.height < 1) {
      return 0;
    }
    var pixels = u.ctx.getImageData(Math.round(b.left), Math.round(b.top), Math.round(b.width),
        Math.round(b.height)).data;
    var count = 0;
    for (var i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] > 64) {
        var r = pixels[i], g = pixels[i + 1], bl = pixels[i + 2];
        if (Math.max(r, g, bl) - Math.min(r, g, bl) > 60) {
          count++;
        }
      }
    }
    return count;
  }

  function publishProgress() {
    if (!constructed) {
      return;
    }
    root.setAttribute('data-charts-expected', String(expected));
    root.setAttribute('data-charts-rendered', String(rendered));
    if (rendered === expected) {
      root.setAttribute('data-report-state', 'rendered');
    }
  }

  /**
   * Adds one chart: a <figure> with a caption, and a uPlot chart whose x values are epoch milliseconds.
   * description is read by screen readers in place of the canvas.
   */
  function chart(container, id, caption, detail, description, opts, columns) {
    expected++;
    var figure = el('figure', 'chart');
    figure.id = id;
    figure.setAttribute('data-chart-state', 'pending');
    var figcaption = el('figcaption', null, caption);
    if (detail) {
      figcaption.appendChild(el('span', 'detail', detail));
    }
    figure.appendChild(figcaption);
    var holder = el('div', 'chart-holder');
    holder.setAttribute('role', 'img');
    holder.setAttribute('aria-label', description);
    figure.appendChild(holder);
    container.appendChild(figure);
    try {
      opts.width = chartWidth(container);
      opts.height = opts.height || 300;
      opts.ms = 1;
      opts.tzDate = utc;
      opts.scales = opts.scales || {};
      opts.scales.x = { time: true, range: opts.padX ? paddedTimeRange : timeRange };
      delete opts.padX;
      var rightAxis = opts.axes.some(function (a) { return a.side === 1; });
      /* Room on the right for the last tick label when no axis is there. */
      opts.padding = [null, rightAxis ? null : 40, null, null];
      opts.cursor = opts.cursor || { drag: { x: true, y: false } };
      opts.hooks = opts.hooks || {};
      opts.hooks.draw = (opts.hooks.draw || []).concat([function (u) {
        if (figure.getAttribute('data-chart-state') === 'rendered') {
          return;
        }
        figure.setAttribute('data-ink', String(inkPixels(u)));
        figure.setAttribute('data-chart-state', 'rendered');
        rendered++;
        publishProgress();
      }]);
      var plot = new uPlot(opts, columns, holder);
      charts.push({ plot: plot, container: container, height: opts.height });
      return plot;
    } catch (e) {
      figure.setAttribute('data-chart-state', 'failed');
      console.error('chart ' + id + ' failed: ' + (e && e.stack ? e.stack : e));
      return null;
    }
  }

  function table(container, caption, headers, rows, numeric) {
    var wrap = el('div', 'table-wrap');
    var t = el('table', 'data');
    t.appendChild(el('caption', null, caption));
    var head = el('tr');
    headers.forEach(function (h) {
      var th = el('th', null, h);
      th.setAttribute('scope', 'col');
      head.appendChild(th);
    });
    var thead = el('thead');
    thead.appendChild(head);
    t.appendChild(thead);
    var body = el('tbody');
    rows.slice(0, MAX_TABLE_ROWS).forEach(function (row) {
      var tr = el('tr');
      row.forEach(function (cell, i) {
        var td = el('td', numeric && numeric[i] ? 'num' : null, cell);
        if (typeof cell === 'object' && cell !== null) {
          td.textContent = cell.text;
          td.className = cell.className || '';
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    wrap.appendChild(t);
    container.appendChild(wrap);
    if (rows.length > MAX_TABLE_ROWS) {
      note(container, (rows.length - MAX_TABLE_ROWS) + ' more rows not shown.');
    }
  }

  /* ---------- sections ---------- */

  function throughputSection() {
    var container = document.getElementById('throughput-charts');
    var tp = data.throughput;
    if (!tp.t.length) {
      note(container, 'No throughput was recorded for this run.');
      return;
    }
    var width = tp.bucketMs >= 1000 ? (tp.bucketMs / 1000) + ' s' : tp.bucketMs + ' ms';
    chart(container, 'chart-throughput', 'Throughput', width + ' buckets of wall-clock time',
        'Line chart of records completed per second over the run\'s wall-clock time.',
        {
          axes: [timeAxis('wall-clock time (UTC)'), valueAxis('records per second', 'rate')],
          scales: { rate: { range: function (u, min, max) { return [0, Math.max(1, max * 1.1)]; } } },
          series: [timeXSeries(), lineSeries('throughput (records/s)', PALETTE[0], 'rate', 0,
              { fill: rgba(PALETTE[0], 0.1) })]
        },
        [tp.t, tp.rate]);
    chart(container, 'chart-latency', 'End-to-end latency', 'median and 99th percentile per bucket',
        'Line chart of the median and 99th-percentile latency in milliseconds over the run.',
        {
          axes: [timeAxis('wall-clock time (UTC)'), valueAxis('latency (ms)', 'ms')],
          scales: { ms: { range: function (u, min, max) { return [0, Math.max(1, (max || 1) * 1.1)]; } } },
          series: [timeXSeries(), lineSeries('p50 latency (ms)', PALETTE[2], 'ms', 0),
            lineSeries('p99 latency (ms)', PALETTE[1], 'ms', 0)]
        },
        [tp.t, tp.p50, tp.p99]);
  }

  function patientSection() {
    var container = document.getElementById('patient-charts');
    if (!data.patients.length) {
      note(container, 'No patient timelines were recorded for this run.');
      return;
    }
    data.patients.forEach(function (p, index) {
      /* One x column for scores, alerts and the outcome: uPlot needs aligned, sorted columns. */
      var rows = [];
      p.t.forEach(function (t, i) { rows.push({ t: t, score: p.score[i], news2: p.news2[i] }); });
      p.alerts.forEach(function (a) { rows.push({ t: a.t, alert: a }); });
      if (p.outcome) {
        rows.push({ t: p.outcome.t });
      }
      rows.sort(function (a, b) { return a.t - b.t; });
      var levels = LEVEL_ORDER.filter(function (l) {
        return p.alerts.some(function (a) { return a.level === l; });
      });
      p.alerts.forEach(function (a) {
        if (levels.indexOf(a.level) < 0) {
          levels.push(a.level);
        }
      });
      var x = [], score = [], news2 = [], marks = levels.map(function () { return []; });
      var lastScore = null;
      rows.forEach(function (r) {
        x.push(r.t);
        score.push(r.alert ? null : (isNum(r.score) ? r.score : null));
        news2.push(r.alert ? null : (isNum(r.news2) ? r.news2 : null));
        if (!r.alert && isNum(r.score)) {
          lastScore = r.score;
        }
        levels.forEach(function (l, li) {
          marks[li].push(r.alert && r.alert.level === l ? (lastScore === null ? 1 : lastScore) : null);
        });
      });
      var series = [timeXSeries(),
        lineSeries('model risk score', PALETTE[0], 'risk', 3, { spanGaps: true }),
        lineSeries('NEWS2', PALETTE[2], 'news2', 0,
            { spanGaps: true, paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } })];
      levels.forEach(function (l) {
        series.push(pointSeries('alert: ' + l, LEVEL_COLOURS[l] || PALETTE[3], 'risk', 11));
      });
      var outcome = p.outcome;
      var alertsText = p.alerts.length + (p.alerts.length === 1 ? ' alert' : ' alerts');
      var outcomeText = outcome ? outcome.kind + ' at ' + fmtTime(outcome.t) : 'no outcome during the run';
      chart(container, 'chart-patient-' + index, p.label, alertsText + '; ' + outcomeText,
          'Timeline of ' + p.label + ': model risk score (left axis, 0 to 1) and NEWS2 (right axis, 0 to 20) over '
          + 'simulated event time, ' + alertsText + ', ' + outcomeText + '.',
          {
            height: 260,
            axes: [timeAxis('event time (UTC, simulated)'),
              valueAxis('model risk score', 'risk'),
              valueAxis('NEWS2', 'news2', 1)],
            scales: { risk: { range: [0, 1.02] }, news2: { range: [0, 20] } },
            series: series,
            hooks: {
              draw: [function (u) {
                if (!outcome) {
                  return;
                }
                var ctx = u.ctx;
                var px = Math.round(u.valToPos(outcome.t, 'x', true));
                ctx.save();
                ctx.strokeStyle = '#1b1f24';
                ctx.lineWidth = 2 * uPlot.pxRatio;
                ctx.setLineDash([6 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
                ctx.beginPath();
                ctx.moveTo(px, u.bbox.top);
                ctx.lineTo(px, u.bbox.top + u.bbox.height);
                ctx.stroke();
                ctx.setLineDash([]);
                ctx.fillStyle = '#1b1f24';
                ctx.font = (12 * uPlot.pxRatio) + 'px system-ui, sans-serif';
                ctx.textAlign = px > u.bbox.left + u.bbox.width / 2 ? 'right' : 'left';
                var dx = ctx.textAlign === 'right' ? -4 : 4;
                ctx.fillText('outcome: ' + outcome.kind, px + dx * uPlot.pxRatio, u.bbox.top + 14 * uPlot.pxRatio);
                ctx.restore();
              }]
            }
          },
          [x, score, news2].concat(marks));
    });
  }

  function modelSection() {
    var container = document.getElementById('model-charts');
    var versions = data.modelVersions;
    if (!versions.length) {
      note(container, 'No model versions were published during this run.');
      return;
    }
    var x = versions.map(function (v) { return v.publishedAt; });
    var auroc = versions.map(function (v) { return isNum(v.auroc) ? v.auroc : null; });
    var logLoss = versions.map(function (v) { return isNum(v.logLoss) ? v.logLoss : null; });
    if (anyFinite([auroc, logLoss])) {
      chart(container, 'chart-model-versions', 'Prequential metrics of each published version',
          versions.length + (versions.length === 1 ? ' version' : ' versions') + ', in publication order',
          'Chart of the prequential AUROC (left axis) and log loss (right axis) of each model version over the '
          + 'time it was published.',
          {
            padX: true,
            axes: [timeAxis('published at (UTC, wall clock)'),
              valueAxis('prequential AUROC', 'auroc'),
              valueAxis('prequential log loss', 'loss', 1)],
            scales: {
              auroc: { range: function (u, min, max) {
                return [Math.max(0, Math.min(0.5, (min === null ? 0.5 : min) - 0.05)), 1];
              } },
              loss: { range: function (u, min, max) { return [0, Math.max(0.1, (max || 0.1) * 1.2)]; } }
            },
            series: [timeXSeries(),
              lineSeries('AUROC', PALETTE[0], 'auroc', 3, { points: { show: true, size: 8 } }),
              lineSeries('log loss', PALETTE[1], 'loss', 3, { points: { show: true, size: 8 }, dash: [6, 3] })]
          },
          [x, auroc, logLoss]);
    } else {
      note(container, 'The published versions carry no prequential metrics.');
    }
    table(container, 'Published versions', ['version', 'parent', 'published at', 'AUROC', 'log loss'],
        versions.map(function (v) {
          return [v.version, v.parent === null ? '–' : v.parent, fmtTime(v.publishedAt), fmtNum(v.auroc, 3),
            fmtNum(v.logLoss, 3)];
        }), [false, false, false, true, true]);
  }

  function driftSection() {
    var container = document.getElementById('drift-charts');
    var events = data.drift;
    if (!events.length) {
      note(container, 'No drift or warning was signalled during this run.');
      return;
    }
    var signals = [];
    events.forEach(function (e) {
      if (signals.indexOf(e.signal) < 0) {
        signals.push(e.signal);
      }
    });
    signals.sort();
    var kinds = ['DRIFT', 'WARNING'].filter(function (k) {
      return events.some(function (e) { return e.kind === k; });
    });
    var x = [], columns = kinds.map(function () { return []; });
    events.forEach(function (e) {
      x.push(e.t);
      kinds.forEach(function (k, ki) {
        columns[ki].push(e.kind === k ? signals.indexOf(e.signal) : null);
      });
    });
    var longest = signals.reduce(function (m, s) { return Math.max(m, s.length); }, 0);
    var axis = valueAxis('signal', 'signal', undefined, function (u, splits) {
      return splits.map(function (v) {
        return Number.isInteger(v) && signals[v] !== undefined ? shorten(signals[v], SIGNAL_LABEL_CHARS) : '';
      });
    });
    axis.size = 40 + 7 * Math.min(longest, SIGNAL_LABEL_CHARS);
    axis.splits = function () { return signals.map(function (s, i) { return i; }); };
    var counts = kinds.map(function (k) {
      var n = events.filter(function (e) { return e.kind === k; }).length;
      return n + ' ' + k.toLowerCase() + (n === 1 ? '' : 's');
    }).join(', ');
    chart(container, 'chart-drift', 'Drift events by signal', counts + ' on ' + signals.length
        + (signals.length === 1 ? ' signal' : ' signals'),
        'Timeline of drift events: one row per monitored signal, a marker per drift or warning over event time ('
        + counts + ').',
        {
          height: Math.max(180, 70 + 34 * signals.length),
          padX: true,
          axes: [timeAxis('event time (UTC)'), axis],
          scales: { signal: { range: [-0.5, signals.length - 0.5] } },
          series: [timeXSeries()].concat(kinds.map(function (k) {
            return pointSeries(k.toLowerCase(), KIND_COLOURS[k], 'signal', 12, function (u, v) {
              return v === null || v === undefined ? '–' : signals[v];
            });
          }))
        },
        [x].concat(columns));
    table(container, 'Drift events', ['event time', 'signal', 'detector', 'kind', 'statistic'],
        events.map(function (e) {
          return [fmtTime(e.t), e.signal, e.detector, { text: e.kind, className: 'kind-' + e.kind },
            fmtNum(e.statistic, 4)];
        }), [false, false, false, false, true]);
  }

  function rateChart(container, id, attribute, windows, groups, key, title, axisLabel) {
    var x = windows.map(function (w) { return w.windowEnd; });
    var series = [timeXSeries()];
    var columns = [x];
    var bands = [];
    var bounds = [];
    groups.forEach(function (g, gi) {
      var colour = PALETTE[gi % PALETTE.length];
      var est = [], lo = [], hi = [];
      windows.forEach(function (w) {
        var group = w.groups.find(function (q) { return q.group === g; });
        var rate = group ? group[key] : null;
        est.push(rate ? rate.estimate : null);
        lo.push(rate ? rate.lower : null);
        hi.push(rate ? rate.upper : null);
      });
      var base = columns.length;
      columns.push(est, lo, hi);
      series.push(lineSeries(g, colour, 'rate', 3, { points: { show: true, size: 5 } }));
      series.push(lineSeries(g + ' 95% CI low', rgba(colour, 0.45), 'rate', 3,
          { width: 1, points: { show: false } }));
      series.push(lineSeries(g + ' 95% CI high', rgba(colour, 0.45), 'rate', 3,
          { width: 1, points: { show: false } }));
      bounds.push(base + 1, base + 2);
      bands.push({ series: [base + 2, base + 1], fill: rgba(colour, 0.13) });
    });
    if (!anyFinite(columns.slice(1))) {
      note(container, title + ' for ' + attribute + ': not defined in any window.');
      return;
    }
    var plot = chart(container, id, title + ' by ' + attribute, groups.length + ' groups, 95% Wilson intervals shaded',
        'Chart of ' + title.toLowerCase() + ' per ' + attribute + ' group over window end time, with 95% Wilson '
        + 'intervals as shaded bands; groups: ' + groups.join(', ') + '.',
        {
          height: 260,
          padX: true,
          axes: [timeAxis('window end (UTC, event time)'), valueAxis(axisLabel, 'rate')],
          scales: { rate: { range: function (u, min, max) {
            return [Math.max(0, (min === null ? 0 : min) - 0.05), Math.min(1, (max === null ? 1 : max) + 0.05)];
          } } },
          series: series,
          bands: bands
        },
        columns);
    if (plot) {
      hideLegendRows(plot, bounds);
    }
  }

  function fairnessSection() {
    var container = document.getElementById('fairness-charts');
    var windows = data.fairness;
    if (!windows.length) {
      note(container, 'No fairness windows were reported during this run.');
      return;
    }
    var attributes = [];
    windows.forEach(function (w) {
      if (attributes.indexOf(w.attribute) < 0) {
        attributes.push(w.attribute);
      }
    });
    attributes.forEach(function (attribute, ai) {
      var own = windows.filter(function (w) { return w.attribute === attribute; });
      var groups = [];
      own.forEach(function (w) {
        w.groups.forEach(function (g) {
          if (groups.indexOf(g.group) < 0) {
            groups.push(g.group);
          }
        });
      });
      groups.sort();
      var alerts = own.filter(function (w) { return w.alert; }).length;
      container.appendChild(el('h3', null, 'Attribute: ' + attribute + ' (' + own.length + ' windows'
          + (alerts ? ', ' + alerts + ' with a persistent-gap alert' : '') + ')'));
      rateChart(container, 'chart-fairness-' + ai + '-tpr', attribute, own, groups, 'tpr', 'True-positive rate',
          'true-positive rate');
      rateChart(container, 'chart-fairness-' + ai + '-selection', attribute, own, groups, 'selectionRate',
          'Selection rate', 'selection rate');
      var x = own.map(function (w) { return w.windowEnd; });
      function diff(key) {
        return own.map(function (w) { return isNum(w[key].difference) ? w[key].difference : null; });
      }
      function significant(key) {
        return own.map(function (w) {
          return w[key].significant && isNum(w[key].difference) ? w[key].difference : null;
        });
      }
      var columns = [x, diff('equalOpportunity'), diff('demographicParity'), significant('equalOpportunity'),
        significant('demographicParity')];
      if (!anyFinite(columns.slice(1))) {
        note(container, 'Gaps for ' + attribute + ': fewer than two eligible groups in every window.');
        return;
      }
      chart(container, 'chart-fairness-' + ai + '-gaps', 'Gaps between groups by ' + attribute,
          'highest minus lowest group; filled markers: significant (intervals do not overlap)',
          'Chart of the equal-opportunity gap (difference in true-positive rate) and the demographic-parity gap '
          + '(difference in selection rate) between ' + attribute + ' groups over window end time; significant '
          + 'gaps are marked.',
          {
            height: 240,
            padX: true,
            axes: [timeAxis('window end (UTC, event time)'), valueAxis('gap (rate difference)', 'gap')],
            scales: { gap: { range: function (u, min, max) {
              return [0, Math.min(1, Math.max(0.1, (max || 0) * 1.2))];
            } } },
            series: [timeXSeries(),
              lineSeries('equal opportunity (TPR gap)', PALETTE[0], 'gap', 3, { points: { show: true, size: 5 } }),
              lineSeries('demographic parity (selection gap)', PALETTE[4], 'gap', 3,
                  { points: { show: true, size: 5 }, dash: [6, 3] }),
              pointSeries('significant TPR gap', PALETTE[0], 'gap', 12),
              pointSeries('significant selection gap', PALETTE[4], 'gap', 12)]
          },
          columns);
    });
  }

  /* ---------- main ---------- */

  [throughputSection, patientSection, modelSection, driftSection, fairnessSection].forEach(function (section) {
    try {
      section();
    } catch (e) {
      console.error('report section failed: ' + (e && e.stack ? e.stack : e));
    }
  });
  constructed = true;
  publishProgress();
  if (expected === 0) {
    root.setAttribute('data-report-state', 'rendered');
  }

  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      charts.forEach(function (c) {
        c.plot.setSize({ width: chartWidth(c.container), height: c.height });
      });
    }, 100);
  });
})();
