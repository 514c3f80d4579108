/*
 * 中心名录 (centers/): filters, sorting and the live count for #tic-directory.
 *
 * Our own script: no dependencies, nothing loaded from elsewhere. The page is
 * complete without it (every center is in the table); this only reveals the
 * filter controls, hides rows that do not match (the `hidden` attribute),
 * sorts on the header buttons and mirrors the filters in the query string
 * (?category=domain&state=revoked&text=煤) so a filtered view can be linked.
 * The free text is "text", not "q": Material's search opens itself on ?q=.
 * mkdocs.yml loads it on every page: it does nothing where #tic-directory is
 * absent. Instant navigation is off, so DOMContentLoaded is enough.
 */
(function () {
  "use strict";

  // Select id -> the row's data attribute it compares with; the query-string
  // parameter is each control's data-param.
  const SELECTS = {
    "tic-filter-category": "category",
    "tic-filter-cluster": "cluster",
    "tic-filter-major": "major",
    "tic-filter-county": "county",
    "tic-filter-state": "state",
  };
  const TEXT_ID = "tic-filter-text";

  function init() {
    const table = document.getElementById("tic-directory");
    if (!table || !table.tBodies.length) {
      return;
    }
    const tbody = table.tBodies[0];
    // Only real center rows carry data-state (an empty registry has a message row).
    const rows = Array.from(tbody.rows).filter((row) => row.hasAttribute("data-state"));
    const selects = Object.keys(SELECTS)
      .map((id) => document.getElementById(id))
      .filter((el) => el !== null);
    const text = document.getElementById(TEXT_ID);
    const count = document.getElementById("tic-directory-count");
    const controls = document.getElementById("tic-directory-filters");

    // Lower-cased row text, computed once: the text filter is a substring match.
    const rowText = new Map(rows.map((row) => [row, normalize(row.textContent)]));

    function normalize(value) {
      return value.replace(/\s+/g, " ").trim().toLowerCase();
    }

    function apply() {
      const wanted = selects
        .filter((select) => select.value !== "")
        .map((select) => [SELECTS[select.id], select.value]);
      const query = text ? normalize(text.value) : "";
      let shown = 0;
      rows.forEach((row) => {
        const match =
          wanted.every(([attribute, value]) => row.getAttribute("data-" + attribute) === value) &&
          (query === "" || rowText.get(row).includes(query));
        row.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      if (count) {
        count.textContent = "显示 " + shown + " 个中心，共 " + rows.length + " 个";
      }
    }

    function writeQuery() {
      const params = new URLSearchParams(window.location.search);
      selects.concat(text ? [text] : []).forEach((el) => {
        const name = el.getAttribute("data-param");
        const value = el.value.trim();
        if (value) {
          params.set(name, value);
        } else {
          params.delete(name);
        }
      });
      const search = params.toString();
      const url = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
      window.history.replaceState(null, "", url);
    }

    function readQuery() {
      const params = new URLSearchParams(window.location.search);
      selects.forEach((select) => {
        const value = params.get(select.getAttribute("data-param"));
        // Only a value that is one of the options: anything else leaves "全部".
        if (value !== null && Array.from(select.options).some((o) => o.value === value)) {
          select.value = value;
        }
      });
      if (text) {
        const value = params.get(text.getAttribute("data-param"));
        if (value !== null) {
          text.value = value;
        }
      }
    }

    function sortKey(row, column) {
      const cell = row.cells[column];
      if (!cell) {
        return "";
      }
      const value = cell.getAttribute("data-sort-value");
      return value !== null ? value : cell.textContent.trim();
    }

    function sortBy(th) {
      const column = th.cellIndex;
      const direction = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      const sign = direction === "ascending" ? 1 : -1;
      const collator = new Intl.Collator("zh-CN", { numeric: true });
      // Stable: equal keys keep their current order (index as the tie-breaker).
      const current = Array.from(tbody.rows);
      const position = new Map(current.map((row, i) => [row, i]));
      current.sort((a, b) => {
        const order = collator.compare(sortKey(a, column), sortKey(b, column));
        return order !== 0 ? sign * order : position.get(a) - position.get(b);
      });
      current.forEach((row) => tbody.appendChild(row));
      Array.from(th.parentNode.cells).forEach((cell) => {
        if (cell.hasAttribute("aria-sort")) {
          cell.setAttribute("aria-sort", cell === th ? direction : "none");
        }
      });
    }

    Array.from(table.tHead ? table.tHead.rows[0].cells : []).forEach((th) => {
      const button = th.querySelector("button");
      if (button) {
        button.addEventListener("click", () => sortBy(th));
      }
    });

    selects.forEach((select) =>
      select.addEventListener("change", () => {
        apply();
        writeQuery();
      })
    );
    if (text) {
      text.addEventListener("input", () => {
        apply();
        writeQuery();
      });
    }

    readQuery();
    apply();
    if (controls) {
      controls.hidden = false;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
