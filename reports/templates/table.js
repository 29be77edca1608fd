"use strict";
(function () {
  // Rows arrive as JSON text and reach the page through textContent only: no scraped text is ever parsed as HTML.
  var rows = JSON.parse(document.getElementById("rows").textContent);
  var pageSize = parseInt(document.currentScript.dataset.pageSize, 10) || 200;
  var severities = ["error", "warning", "info"];
  var severityNames = {error: "错误", warning: "警告", info: "提示"};
  var filters = ["q", "committee", "year", "kind", "source", "rule", "severity", "status"];
  // The table opens with the failing documents first, the worst first (``rank``).
  var initial = {sort: "rank", dir: 1};
  var state = {q: "", committee: "", year: "", kind: "", source: "", rule: "", severity: "", status: "",
               sort: initial.sort, dir: initial.dir, page: 0};
  var body = document.querySelector("#doc-table tbody");
  var shown = rows;

  function matches(row) {
    if (state.committee && row.committee !== state.committee) return false;
    if (state.year && String(row.year || "（未知）") !== state.year) return false;
    if (state.kind && row.kind !== state.kind) return false;
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
    if (typeof x === "number" && typeof y === "number") return (x - y) * state.dir || a.rank - b.rank;
    return String(x).localeCompare(String(y), "zh-CN") * state.dir || a.rank - b.rank;
  }

  function cell(tr, text, className) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    tr.appendChild(td);
    return td;
  }

  function element(name, text, className) {
    var node = document.createElement(name);
    node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function render() {
    var pages = Math.max(1, Math.ceil(shown.length / pageSize));
    state.page = Math.min(state.page, pages - 1);
    var fragment = document.createDocumentFragment();
    shown.slice(state.page * pageSize, (state.page + 1) * pageSize).forEach(function (row) {
      var tr = document.createElement("tr");
      tr.className = row.passed ? "passed" : "failed";
      tr.dataset.n = row.n;
      cell(tr, row.n, "num");
      var link = element("a", row.title);
      link.href = row.href;
      var title = cell(tr, "");
      title.appendChild(link);
      title.appendChild(element("code", row.path, "path"));
      cell(tr, row.committee);
      cell(tr, row.year, "num");
      cell(tr, row.kind);
      cell(tr, row.source);
      cell(tr, row.passed ? "通过" : "未通过", (row.passed ? "pass" : "fail") + " nowrap");
      severities.forEach(function (severity) {
        var td = cell(tr, "", "num");
        if (row[severity]) {
          var badge = element("span", row[severity], "sev sev-" + severity);
          badge.title = severityNames[severity];
          td.appendChild(badge);
        }
      });
      var first = cell(tr, "", "first");
      if (row.first) {
        var place = element("a", row.first[0]);
        place.href = row.href + "#f-" + row.first[5];
        first.append(place, "：", row.first[1], element("mark", row.first[2]), row.first[3]);
      }
      if (row.waived) {
        var waived = element("span", "已豁免 " + row.waived, "waived-count");
        waived.title = "已豁免的问题不计入结果";
        first.append(" ", waived);
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
    document.querySelectorAll("[data-filter]").forEach(function (tile) {
      tile.setAttribute("aria-pressed", String(tile.dataset.filter !== "" && tile.dataset.filter === current()));
    });
  }

  // The filter a tile stands for, as "field=value", when exactly that one filter is set.
  function current() {
    var set = filters.filter(function (name) { return state[name]; });
    return set.length === 1 ? set[0] + "=" + state[set[0]] : "";
  }

  // The filters live in the address (#documents?committee=…) so that a reload or the back button keeps them.
  function save() {
    var params = new URLSearchParams();
    filters.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
    if (state.sort !== initial.sort || state.dir !== initial.dir) params.set("sort", (state.dir < 0 ? "-" : "") + state.sort);
    var query = params.toString();
    if (query || location.hash.indexOf("?") >= 0) history.replaceState(null, "", "#documents" + (query ? "?" + query : ""));
  }

  function show() {
    document.getElementById("q").value = state.q;
    document.querySelectorAll(".filters select").forEach(function (select) { select.value = state[select.dataset.field]; });
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
    show();
  }

  function update() {
    shown = rows.filter(matches).sort(compare);
    state.page = 0;
    save();
    render();
  }

  function clear() {
    filters.forEach(function (name) { state[name] = ""; });
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
  document.getElementById("clear").addEventListener("click", function () {
    clear();
    show();
    update();
  });
  document.querySelectorAll("#doc-table th.sortable").forEach(function (th) {
    th.addEventListener("click", function () {
      state.dir = state.sort === th.dataset.sort ? -state.dir : 1;
      state.sort = th.dataset.sort;
      update();
    });
  });
  // A count under the verdict stands for a filter ("status=failed"; "" for every document): it sets that one.
  document.querySelectorAll("[data-filter]").forEach(function (tile) {
    tile.addEventListener("click", function () {
      clear();
      var pair = tile.dataset.filter.split("=");
      if (pair.length === 2 && filters.indexOf(pair[0]) >= 0) state[pair[0]] = pair[1];
      show();
      update();
      document.getElementById("documents").scrollIntoView();
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
