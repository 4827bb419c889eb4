/**
 * The inline style and script of the HTML report. The script reads the embedded JSON
 * (`#report-data`), draws the heatmap, wires the environment filters and shows a cell's
 * explanation on click. It sets text only through `textContent`, never as HTML.
 *
 * @module
 */

/** The page's CSS. */
export const PAGE_STYLE = String.raw`
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2327; background: #fafafa; }
header, #controls, #findings { padding: 8px 16px; }
h1 { font-size: 20px; margin: 8px 0 4px; }
h2 { font-size: 16px; margin: 8px 0; }
#controls { display: flex; flex-wrap: wrap; gap: 16px; align-items: center; background: #eef1f4; }
.legend { display: inline-flex; gap: 6px; align-items: center; }
.swatch { display: inline-block; width: 14px; height: 14px; border: 1px solid #999; }
main { display: flex; gap: 16px; padding: 8px 16px; align-items: flex-start; }
#matrix-wrap { overflow: auto; max-height: 80vh; max-width: 70vw; border: 1px solid #ccc; background: #fff; }
#matrix { border-collapse: collapse; }
#matrix th, #matrix td { border: 1px solid #ddd; padding: 2px 6px; white-space: nowrap; }
#matrix thead th { position: sticky; top: 0; background: #f3f3f3; z-index: 1; }
#matrix thead tr:nth-child(2) th { top: 26px; }
#matrix tbody th { position: sticky; left: 0; background: #f7f7f7; text-align: left; font-weight: normal; }
.env { color: #666; font-size: 12px; }
td.cell { text-align: center; cursor: pointer; min-width: 28px; }
.allow { background: #9ed9a0; }
.leak { background: #f5a742; font-weight: bold; }
.deny { background: #f7d4d4; color: #a33; }
.na { background: #eee; color: #aaa; }
td.selected { outline: 3px solid #1a5fb4; outline-offset: -3px; }
.undeclared { font-style: italic; color: #a15c00; }
#explanation { flex: 1; min-width: 280px; background: #fff; border: 1px solid #ccc; padding: 8px 12px; }
#explanation .verdict-allowed { color: #16691a; font-weight: bold; }
#explanation .verdict-denied { color: #a31515; font-weight: bold; }
#explanation dt { font-weight: bold; margin-top: 8px; }
#explanation dd { margin-left: 12px; }
.hint { color: #666; }
#findings li { margin: 4px 0; }
#findings .error { color: #a31515; }
#findings .warning { color: #8a5a00; }
`;

/** The page's script (plain ES2015, no template literals). */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var OUTSIDE = '(outside the cluster)';
  var NONE = '(no environment)';
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function rowKey(r) { return r.kind === 'peer' ? OUTSIDE : (r.env === null ? NONE : r.env); }
  function colKey(c) { return c.env === null ? NONE : c.env; }
  function colText(c) { return c.port === null ? 'ping' : c.protocol + '/' + c.port; }
  function isLeak(r, c) { return r.kind === 'endpoint' && r.env !== null && c.env !== null && r.env !== c.env; }

  var rows = data.rows, cols = data.columns, cells = data.cells;
  var allowed = 0, leaks = 0;
  rows.forEach(function (r, i) {
    cols.forEach(function (c, j) {
      var x = cells[i][j];
      if (x && x[0] === 1) { allowed++; if (isLeak(r, c)) leaks++; }
    });
  });
  document.getElementById('input').textContent = 'Analyzed: ' + data.input;
  document.getElementById('summary').textContent = rows.length + ' sources, ' + cols.length + ' destination ports; ' + allowed + ' allowed flows, ' + leaks + ' between environments (label "' + data.envLabel + '"' + (data.isolated.length ? '; isolated: ' + data.isolated.join(', ') : '') + ').';

  function fill(select, values) {
    select.appendChild(new Option('all', ''));
    values.forEach(function (v) { select.appendChild(new Option(v, v)); });
  }
  var fromValues = [], toValues = [];
  function add(list, v) { if (list.indexOf(v) < 0) list.push(v); }
  data.environments.forEach(function (e) { add(fromValues, e); add(toValues, e); });
  rows.forEach(function (r) { add(fromValues, rowKey(r)); });
  cols.forEach(function (c) { add(toValues, colKey(c)); });
  var fromSel = document.getElementById('from-env'), toSel = document.getElementById('to-env');
  var onlyAllowed = document.getElementById('only-allowed');
  fill(fromSel, fromValues);
  fill(toSel, toValues);

  var table = document.getElementById('matrix');
  var thead = el('thead'), head1 = el('tr'), head2 = el('tr');
  var corner = el('th', '', 'source \u2193 / destination \u2192');
  corner.rowSpan = 2;
  head1.appendChild(corner);
  var groups = [];
  cols.forEach(function (c, j) {
    var last = groups[groups.length - 1];
    if (!last || last.to !== c.to) {
      var th = el('th');
      th.appendChild(el('span', '', c.to));
      if (c.env !== null) th.appendChild(el('div', 'env', c.env));
      last = { to: c.to, th: th, cols: [] };
      groups.push(last);
      head1.appendChild(th);
    }
    last.cols.push(j);
    var h = el('th', c.declared ? '' : 'undeclared', colText(c) + (c.declared ? '' : '*'));
    if (!c.declared) h.title = 'a rule opens this port, but ' + c.to + ' does not declare it';
    head2.appendChild(h);
  });
  thead.appendChild(head1);
  thead.appendChild(head2);
  table.appendChild(thead);
  var tbody = el('tbody');
  var trs = [];
  rows.forEach(function (r, i) {
    var tr = el('tr');
    tr.dataset.row = String(i);
    var th = el('th');
    th.appendChild(el('span', '', r.name));
    th.appendChild(el('div', 'env', r.kind === 'peer' ? OUTSIDE : (r.env === null ? '' : r.env)));
    tr.appendChild(th);
    cols.forEach(function (c, j) {
      var x = cells[i][j];
      var cls = !x ? 'na' : x[0] === 1 ? (isLeak(r, c) ? 'leak' : 'allow') : 'deny';
      var td = el('td', 'cell ' + cls, !x ? '' : x[0] === 1 ? '\u2713' : '\u2717');
      td.dataset.r = String(i);
      td.dataset.c = String(j);
      td.dataset.from = r.name;
      td.dataset.to = c.to;
      td.dataset.port = colText(c);
      td.title = r.name + ' \u2192 ' + c.to + ' ' + colText(c);
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
    trs.push(tr);
  });
  table.appendChild(tbody);

  function apply() {
    var f = fromSel.value, t = toSel.value, only = onlyAllowed.checked;
    var rowOn = rows.map(function (r) { return !f || rowKey(r) === f; });
    var colOn = cols.map(function (c) { return !t || colKey(c) === t; });
    if (only) {
      rowOn = rowOn.map(function (on, i) { return on && cols.some(function (c, j) { return colOn[j] && cells[i][j] && cells[i][j][0] === 1; }); });
      colOn = colOn.map(function (on, j) { return on && rows.some(function (r, i) { return rowOn[i] && cells[i][j] && cells[i][j][0] === 1; }); });
    }
    trs.forEach(function (tr, i) {
      tr.hidden = !rowOn[i];
      for (var j = 0; j < cols.length; j++) tr.children[j + 1].hidden = !colOn[j];
    });
    for (var j = 0; j < cols.length; j++) head2.children[j].hidden = !colOn[j];
    groups.forEach(function (g) {
      var n = g.cols.filter(function (j) { return colOn[j]; }).length;
      g.th.hidden = n === 0;
      g.th.colSpan = Math.max(n, 1);
    });
  }
  fromSel.addEventListener('change', apply);
  toSel.addEventListener('change', apply);
  onlyAllowed.addEventListener('change', apply);
  apply();

  var panel = document.getElementById('explanation');
  var selected = null;
  function explain(td) {
    var i = Number(td.dataset.r), j = Number(td.dataset.c);
    var r = rows[i], c = cols[j], x = cells[i][j];
    if (selected) selected.classList.remove('selected');
    selected = td;
    td.classList.add('selected');
    panel.textContent = '';
    panel.appendChild(el('h2', '', r.name + ' \u2192 ' + c.to + ' ' + colText(c)));
    if (!x) { panel.appendChild(el('p', 'hint', 'Not applicable for this source.')); return; }
    var verdict = el('p');
    verdict.appendChild(el('span', x[0] === 1 ? 'verdict-allowed' : 'verdict-denied', x[0] === 1 ? 'ALLOWED' : 'DENIED'));
    if (x[0] === 1 && isLeak(r, c)) verdict.appendChild(el('span', '', ' \u2014 crosses from ' + r.env + ' to ' + c.env));
    if (!c.declared) verdict.appendChild(el('span', '', ' \u2014 ' + c.to + ' does not declare this port'));
    panel.appendChild(verdict);
    var dl = el('dl');
    [['egress', x[1], 'of ' + r.name], ['ingress', x[2], 'of ' + c.to]].forEach(function (side) {
      dl.appendChild(el('dt', 'direction-' + side[0], side[0] + ' (the chain ' + side[2] + ')'));
      if (side[1] < 0) { dl.appendChild(el('dd', '', 'not policed: ' + r.name + ' is outside the cluster, and Calico polices its endpoints only')); return; }
      var d = data.decisions[side[1]];
      dl.appendChild(el('dd', d.allowed ? 'verdict-allowed' : 'verdict-denied', (d.allowed ? 'allows: ' : 'denies: ') + d.text));
      if (d.policy !== undefined) dl.appendChild(el('dd', 'policy', 'policy: ' + d.policy + (d.ruleIndex !== undefined ? ', rule ' + d.ruleIndex : '') + (d.action ? ', action ' + d.action : '')));
      if (d.constructPath) dl.appendChild(el('dd', 'construct', 'construct: ' + d.constructPath));
      if (d.location) dl.appendChild(el('dd', 'location', 'file: ' + d.location));
    });
    panel.appendChild(dl);
  }
  table.addEventListener('click', function (ev) {
    var td = ev.target.closest ? ev.target.closest('td.cell') : null;
    if (td) explain(td);
  });

  var list = document.getElementById('findings-list');
  if (data.findings.length === 0) list.appendChild(el('li', '', 'No findings.'));
  data.findings.forEach(function (f) {
    var li = el('li', f.severity);
    li.appendChild(el('strong', '', f.severity + ' [' + f.rule + '] '));
    li.appendChild(el('span', '', (f.constructPath ? f.constructPath + ': ' : '') + f.message));
    li.appendChild(el('div', 'hint', 'fix: ' + f.fix));
    list.appendChild(li);
  });
})();
`;
