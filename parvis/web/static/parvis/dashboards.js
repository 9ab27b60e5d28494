// The Analytics pages' charts: Chart.js draws each canvas from the JSON the page
// carries beside it (json_script). Each chart has a data table under it for
// screen readers and for people without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.Chart) return;
  const style = getComputedStyle(document.documentElement);
  const colour = style.getPropertyValue("--bs-primary").trim() || "#0d6efd";
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: data.type,
      data: {
        labels: data.labels,
        datasets: [
          {
            label: data.label,
            data: data.values,
            borderColor: colour,
            backgroundColor: data.type === "line" ? colour : `${colour}99`,
            spanGaps: true,
            pointRadius: data.values.length > 40 ? 0 : 2,
          },
        ],
      },
      options: {
        locale: document.documentElement.lang || undefined,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: data.type !== "line" } },
      },
    });
  });
});
