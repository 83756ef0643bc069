/* Charts of the dashboard and the facility page, drawn with Chart.js from JSON the server embeds
 * with json_script. Each <canvas data-chart="NAME" data-source="ELEMENT-ID"> names its chart and
 * the JSON it reads (default "dashboard-data"). The same numbers are in a table next to each chart. */
(function () {
  "use strict";

  var lang = document.documentElement.lang || "vi";
  var integer = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  var compact = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });

  // "93 %" with a no-break space, as the tables next to the charts write it (core/templatetags/vn.py),
  // rather than Intl's "93%".
  function percent(value) {
    return integer.format(value) + "\u00a0%";
  }

  // Two shades of the RAG colours of portal.css, so the six statuses stay apart.
  var STATUS_COLOURS = {
    deployed_on_time: "#146c43",
    on_track: "#52b788",
    at_risk: "#e0a800",
    deployed_late: "#9b2226",
    overdue: "#dc3545",
    no_data: "#6c757d"
  };
  var BLUE = "#0d6efd";
  var TEAL = "#20c997";

  function source(canvas) {
    var element = document.getElementById(canvas.dataset.source || "dashboard-data");
    return element ? JSON.parse(element.textContent) : null;
  }

  function share(value) {
    return value === null || value === undefined ? null : Math.round(value * 1000) / 10;
  }

  function percentAxis() {
    return { beginAtZero: true, max: 100, ticks: { callback: function (v) { return percent(v); } } };
  }

  function percentTooltip(context) {
    var value = context.parsed.y !== undefined && context.chart.options.indexAxis !== "y" ? context.parsed.y : context.parsed.x;
    return context.dataset.label + ": " + (value === null ? "—" : percent(value));
  }

  var builders = {
    status: function (data) {
      return {
        type: "doughnut",
        data: {
          labels: data.statuses.map(function (s) { return s.label; }),
          datasets: [{
            data: data.statuses.map(function (s) { return s.count; }),
            backgroundColor: data.statuses.map(function (s) { return STATUS_COLOURS[s.code]; })
          }]
        },
        options: {
          plugins: {
            legend: { position: "bottom", labels: { boxWidth: 12 } },
            tooltip: { callbacks: { label: function (c) { return c.label + ": " + integer.format(c.parsed); } } }
          }
        }
      };
    },

    trend: function (data) {
      return {
        type: "bar",
        data: {
          labels: data.trend.labels,
          datasets: data.trend.series.map(function (s) {
            return { label: s.label, data: s.counts, backgroundColor: STATUS_COLOURS[s.code] };
          })
        },
        options: {
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
        }
      };
    },

    "by-type": function (data) {
      return {
        type: "bar",
        data: {
          labels: data.by_type.map(function (t) { return t.label; }),
          datasets: [
            { label: data.text.progress, data: data.by_type.map(function (t) { return share(t.progress); }), backgroundColor: BLUE },
            { label: data.text.complete, data: data.by_type.map(function (t) { return share(t.complete_share); }), backgroundColor: STATUS_COLOURS.deployed_on_time }
          ]
        },
        options: {
          indexAxis: "y",
          scales: { x: percentAxis() },
          plugins: { legend: { position: "bottom" }, tooltip: { callbacks: { label: percentTooltip } } }
        }
      };
    },

    reporting: function (data) {
      return {
        type: "bar",
        data: {
          labels: data.reporting.map(function (m) { return m.label; }),
          datasets: [
            { label: data.text.completeness, data: data.reporting.map(function (m) { return share(m.completeness); }), backgroundColor: BLUE },
            { label: data.text.timeliness, data: data.reporting.map(function (m) { return share(m.timeliness); }), backgroundColor: TEAL }
          ]
        },
        options: {
          scales: { y: percentAxis() },
          plugins: { legend: { position: "bottom" }, tooltip: { callbacks: { label: percentTooltip } } }
        }
      };
    },

    budget: function (data) {
      return {
        type: "bar",
        data: {
          labels: data.budget.map(function (t) { return t.label; }),
          datasets: [
            { label: data.text.needed, data: data.budget.map(function (t) { return t.needed; }), backgroundColor: "#adb5bd" },
            { label: data.text.secured, data: data.budget.map(function (t) { return t.secured; }), backgroundColor: BLUE }
          ]
        },
        options: {
          scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return compact.format(v); } } } },
          plugins: {
            legend: { position: "bottom" },
            tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + integer.format(c.parsed.y) + "\u00a0₫"; } } }
          }
        }
      };
    },

    progress: function (data) {
      return {
        type: "line",
        data: {
          labels: data.months.map(function (m) { return m.label; }),
          datasets: [
            { label: data.text.departments, data: data.months.map(function (m) { return share(m.departments); }), borderColor: BLUE, backgroundColor: BLUE, spanGaps: true },
            { label: data.text.inpatient, data: data.months.map(function (m) { return share(m.inpatient); }), borderColor: TEAL, backgroundColor: TEAL, spanGaps: true }
          ]
        },
        options: {
          scales: { y: percentAxis() },
          plugins: { legend: { position: "bottom" }, tooltip: { callbacks: { label: percentTooltip } } }
        }
      };
    }
  };

  function draw(canvas) {
    var build = builders[canvas.dataset.chart];
    var data = source(canvas);
    if (!build || !data || typeof Chart === "undefined") {
      return;
    }
    var config = build(data);
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options);
    canvas.chart = new Chart(canvas, config);
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);

  // Printing shows the tables behind the charts too.
  // Printed (the browser's print, or a PDF of it): every chart is drawn again at a fixed wide shape and a
  // higher resolution, which the print stylesheet scales to the page's width, so nothing is clipped
  // whatever the screen was; the numbers behind each chart open beneath it. Back on screen, the
  // charts follow their boxes again.
  var PRINT_SIZE = { width: 900, height: 320 };
  var printing = false;

  function charts() {
    return Array.prototype.map.call(document.querySelectorAll("canvas[data-chart]"), function (c) { return c.chart; })
      .filter(Boolean);
  }

  function forPrint() {
    document.querySelectorAll("details.chart-data").forEach(function (d) { d.open = true; });
    if (printing) { return; }
    printing = true;
    charts().forEach(function (chart) {
      chart.options.devicePixelRatio = 2;
      chart.options.responsive = false;
      chart.resize(PRINT_SIZE.width, chart.config.type === "doughnut" ? PRINT_SIZE.width / 2 : PRINT_SIZE.height);
    });
  }

  function forScreen() {
    if (!printing) { return; }
    printing = false;
    charts().forEach(function (chart) {
      chart.options.devicePixelRatio = window.devicePixelRatio;
      chart.options.responsive = true;
      chart.canvas.style.width = "";
      chart.canvas.style.height = "";
      chart.resize();
    });
  }

  window.addEventListener("beforeprint", forPrint);
  window.addEventListener("afterprint", forScreen);
  var printMedia = window.matchMedia("print");
  printMedia.addEventListener("change", function (event) { if (event.matches) { forPrint(); } else { forScreen(); } });
})();
