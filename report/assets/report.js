// Progressive enhancement: sort a table by clicking a column header, filter
// it with a search box, and open collapsed lists before printing. The page is
// complete without it. Directory text is only ever read and compared, never
// inserted as markup.
(function () {
  "use strict";
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  function sortKey(row, column) {
    var cell = row.cells[column];
    if (!cell) { return ""; }
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim();
  }

  function compare(a, b) {
    var x = Number(a.replace(/,/g, "")), y = Number(b.replace(/,/g, ""));
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) { return x - y; }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function makeSortable(table) {
    var headers = table.tHead.rows[0].cells;
    var body = table.tBodies[0];
    each(headers, function (th, column) {
      th.tabIndex = 0;
      th.title = "Sort by this column";
      var sort = function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        each(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var d = compare(sortKey(r1, column), sortKey(r2, column));
          return ascending ? d : -d;
        });
        each(rows, function (r) { body.appendChild(r); });
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  }

  function makeFilterable(table) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "filter";
    input.placeholder = "Filter " + (table.getAttribute("data-name") || "rows");
    input.setAttribute("aria-label", input.placeholder);
    var shown = document.createElement("span");
    shown.className = "filter-count";
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      var n = 0;
      each(table.tBodies[0].rows, function (row) {
        var hit = query === "" || row.textContent.toLowerCase().indexOf(query) !== -1;
        row.hidden = !hit;
        if (hit) { n++; }
      });
      shown.textContent = query === "" ? "" : n + " shown";
    });
    var wrap = table.parentNode;
    wrap.parentNode.insertBefore(input, wrap);
    wrap.parentNode.insertBefore(shown, wrap);
  }

  each(document.querySelectorAll("table.data"), function (table) {
    makeSortable(table);
    makeFilterable(table);
  });
  window.addEventListener("beforeprint", function () {
    each(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
})();
