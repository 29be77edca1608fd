"use strict";
(function () {
  // Rows arrive as JSON text and reach the page through textContent only: no scraped text is ever parsed as HTML.
  var rows = JSON.parse(document.getElementById("rows").textContent);
  var pageSize = parseInt(document.currentScript.dataset.pageSize, 10) || 200;
  var severities = ["error", "warning", "info"];
  var severityNames = {error: "错误", warning: "警告", info: "提示"};
  var filters = ["q", "committee", "year", "source", "rule", "severity", "status"];
  var state = {q: "", committee: "", year: "", source: "", rule: "", severity: "", status: "", sort: "n", dir: 1, page: 0};
  var body = document.querySelector("#doc-table tbody");
  var shown = rows;

  function matches(row) {
    if (state.committee && row.committee !== state.committee) return false;
    if (state.year && String(row.year || "（未知）") !== state.year) return false;
    if (state.source && row.source !== state.source) return false;
    if (state.rule && row.rules.indexOf(state.rule) < 0) return false;
    if (state.severity && !row[state.severity]) return false;
    if (state.status && row.passed !== (state.status === "passed")) return false;
    if (state.q) {
      var needle = state.q.trim().toLowerCase();
      var haystack = (row.title + " " + row.path + " " + row.committee + " " + row.year + " " + row.rules.join(" ")).toLowerCase();
      if (haystack.indexOf(needle) < 0) return false;
    }
    return true;
  }

  function compare(a, b) {
    var x = a[state.sort], y = b[state.sort];
    if (typeof x === "number" && typeof y === "number") return (x - y) * state.dir || a.n - b.n;
    return String(x).localeCompare(String(y), "zh-CN") * state.dir || a.n - b.n;
  }

  function cell(tr, text, className) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    tr.appendChild(td);
    return td;
  }

  function render() {
    var pages = Math.max(1, Math.ceil(shown.length / pageSize));
    state.page = Math.min(state.page, pages - 1);
    var fragment = document.createDocumentFragment();
    shown.slice(state.page * pageSize, (state.page + 1) * pageSize).forEach(function (row) {
      var tr = document.createElement("tr");
      tr.className = row.passed ? "passed" : "failed";
      cell(tr, row.n, "num");
      var link = document.createElement("a");
      link.href = row.href;
      link.textContent = row.title;
      cell(tr, "").appendChild(link);
      cell(tr, row.committee);
      cell(tr, row.year, "num");
      cell(tr, row.kind);
      cell(tr, row.source);
      severities.forEach(function (severity) {
        var td = cell(tr, "", "num");
        if (row[severity]) {
          var badge = document.createElement("span");
          badge.className = "sev sev-" + severity;
          badge.title = severityNames[severity];
          badge.textContent = row[severity];
          td.appendChild(badge);
        }
      });
      var rules = cell(tr, row.rules.join(" "), "id");
      if (row.waived) {
        var waived = document.createElement("span");
        waived.className = "waived-count";
        waived.title = "已豁免的问题不计入结果";
        waived.textContent = "已豁免 " + row.waived;
        rules.append(" ", waived);
      }
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    document.getElementById("shown").textContent = "显示 " + shown.length + " / " + rows.length + " 份文档";
    document.getElementById("page").textContent = "第 " + (state.page + 1) + " / " + pages + " 页";
    document.getElementById("prev").disabled = state.page === 0;
    document.getElementById("next").disabled = state.page >= pages - 1;
    document.querySelectorAll("#doc-table th.sortable").forEach(function (th) {
      if (th.dataset.sort === state.sort) th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
  }

  // The filters live in the address (#documents?committee=…) so that a reload or the back button keeps them.
  function save() {
    var params = new URLSearchParams();
    filters.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
    if (state.sort !== "n" || state.dir !== 1) params.set("sort", (state.dir < 0 ? "-" : "") + state.sort);
    var query = params.toString();
    if (query || location.hash.indexOf("?") >= 0) history.replaceState(null, "", "#documents" + (query ? "?" + query : ""));
  }

  function restore() {
    var at = location.hash.indexOf("?");
    if (at < 0) return;
    var params = new URLSearchParams(location.hash.slice(at + 1));
    filters.forEach(function (name) { if (params.has(name)) state[name] = params.get(name); });
    var sort = params.get("sort");
    var sortable = Array.prototype.map.call(document.querySelectorAll("#doc-table th.sortable"), function (th) {
      return th.dataset.sort;
    });
    if (sort && sortable.indexOf(sort.replace(/^-/, "")) >= 0) {
      state.dir = sort.charAt(0) === "-" ? -1 : 1;
      state.sort = sort.replace(/^-/, "");
    }
    document.getElementById("q").value = state.q;
    document.querySelectorAll(".filters select").forEach(function (select) { select.value = state[select.dataset.field]; });
  }

  function update() {
    shown = rows.filter(matches).sort(compare);
    state.page = 0;
    save();
    render();
  }

  document.getElementById("q").addEventListener("input", function (event) {
    state.q = event.target.value;
    update();
  });
  document.querySelectorAll(".filters select").forEach(function (select) {
    select.addEventListener("change", function () {
      state[select.dataset.field] = select.value;
      update();
    });
  });
  document.querySelectorAll("#doc-table th.sortable").forEach(function (th) {
    th.addEventListener("click", function () {
      state.dir = state.sort === th.dataset.sort ? -state.dir : 1;
      state.sort = th.dataset.sort;
      update();
    });
  });
  // A rule's bar in the chart, or its row in the rule table, filters the table as the rule filter does.
  function showRule(rule) {
    state.rule = rule;
    document.getElementById("f-rule").value = rule;
    update();
    document.getElementById("documents").scrollIntoView();
  }
  document.querySelectorAll("#rules .pick[data-rule]").forEach(function (node) {
    node.addEventListener("click", function () { showRule(node.dataset.rule); });
    node.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        showRule(node.dataset.rule);
      }
    });
  });
  document.getElementById("prev").addEventListener("click", function () { state.page -= 1; render(); });
  document.getElementById("next").addEventListener("click", function () { state.page += 1; render(); });
  restore();
  update();
})();
