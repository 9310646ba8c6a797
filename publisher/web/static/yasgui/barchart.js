// A YASR result view of our own: horizontal bars when the results have a label column and a
// numeric one (talks per year, top institutions). Plain SVG, because the usual YASR chart view
// loads Google Charts from the web.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMERIC = new Set([
    "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
    "unsignedShort", "unsignedByte",
  ].map((name) => XSD + name));
  const MAX_BARS = 100;
  const BAR = 18, GAP = 4, LABEL_WIDTH = 300, PLOT_WIDTH = 560, LABEL_CHARS = 45;

  const isNumber = (term) => !!term && term.type !== "uri" && NUMERIC.has(term.datatype) && isFinite(Number(term.value));
  const isText = (term) => !term || term.type === "literal" || term.type === "typed-literal";

  // The value: the first numeric column after the first one; the label: the nearest text column
  // before it, else the first column. `talks-per-year`: year and talks; `top-institutions`: name and talks.
  function columns(vars, rows) {
    const value = vars.findIndex((v, i) => i > 0 && rows.every((row) => isNumber(row[v])));
    if (value < 0) return null;
    let label = 0;
    for (let i = value - 1; i >= 0; i -= 1) {
      if (rows.some((row) => row[vars[i]]) && rows.every((row) => isText(row[vars[i]]))) { label = i; break; }
    }
    return { label: vars[label], value: vars[value] };
  }

  function labelOf(term) {
    if (!term) return "";
    if (term.type === "uri") return decodeURIComponent(term.value.replace(/[/#]$/, "").split(/[/#]/).pop());
    return term.value;
  }

  const short = (text) => (text.length <= LABEL_CHARS ? text : text.slice(0, LABEL_CHARS - 1) + "…");

  function element(name, attributes, text) {
    const el = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
    if (text !== undefined) el.textContent = text;
    return el;
  }

  class BarChart {
    constructor(yasr) {
      this.yasr = yasr;
      this.label = "Graphique";
      this.priority = 5; // below the table (10): the table stays the default view
    }

    rows() {
      return (this.yasr.results && this.yasr.results.getBindings && this.yasr.results.getBindings()) || [];
    }

    canHandleResults() {
      const rows = this.rows();
      if (!rows.length || rows.length > MAX_BARS) return false;
      return columns(this.yasr.results.getVariables(), rows) !== null;
    }

    draw() {
      const rows = this.rows();
      const { label, value } = columns(this.yasr.results.getVariables(), rows);
      const numbers = rows.map((row) => Number(row[value].value));
      const top = Math.max(0, ...numbers) || 1;
      const width = LABEL_WIDTH + PLOT_WIDTH + 80;
      const height = rows.length * (BAR + GAP) + GAP;
      const svg = element("svg", {
        class: "barchart", role: "img", width: width, height: height, viewBox: `0 0 ${width} ${height}`,
        "font-family": "system-ui, sans-serif", "font-size": "12",
      });
      svg.appendChild(element("title", {}, `?${value} par ?${label}`));
      rows.forEach((row, i) => {
        const y = GAP + i * (BAR + GAP);
        const text = labelOf(row[label]);
        const length = Math.max(0, Math.round((PLOT_WIDTH * numbers[i]) / top));
        const bar = element("g", {});
        bar.appendChild(element("title", {}, `${text} : ${row[value].value}`));
        bar.appendChild(element("text", { x: LABEL_WIDTH - 6, y: y + BAR - 5, "text-anchor": "end" }, short(text)));
        bar.appendChild(element("rect", { x: LABEL_WIDTH, y: y, width: length, height: BAR, fill: "#3a6ea5" }));
        bar.appendChild(element("text", { x: LABEL_WIDTH + length + 4, y: y + BAR - 5 }, row[value].value));
        svg.appendChild(bar);
      });
      const figure = document.createElement("figure");
      figure.className = "barchart";
      const caption = document.createElement("figcaption");
      caption.textContent = `?${value} selon ?${label}`;
      figure.append(caption, svg);
      this.yasr.resultsEl.appendChild(figure);
    }

    getIcon() {
      const icon = element("svg", { viewBox: "0 0 16 16", width: "15", height: "15", "aria-hidden": "true" });
      [[1, 2, 9], [1, 7, 14], [1, 12, 6]].forEach(([x, y, w]) => icon.appendChild(element("rect", { x, y, width: w, height: 3 })));
      const wrapper = document.createElement("div");
      wrapper.appendChild(icon);
      return wrapper;
    }
  }

  Yasgui.Yasr.registerPlugin("barchart", BarChart);
})();
