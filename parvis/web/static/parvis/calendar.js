// The editorial calendar: FullCalendar fed by the workspace's events endpoint.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("calendar");
  if (!element || !window.FullCalendar) return;
  const filters = document.getElementById("calendar-filters");
  const narrow = window.matchMedia("(max-width: 576px)").matches;
  const calendar = new FullCalendar.Calendar(element, {
    initialView: narrow ? "listWeek" : "dayGridMonth",
    locale: element.dataset.locale,
    timeZone: element.dataset.timeZone,
    firstDay: 1,
    height: "auto",
    nowIndicator: true,
    dayMaxEvents: 4,
    headerToolbar: { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,listWeek" },
    events: (info, success, failure) => {
      const params = new URLSearchParams({ start: info.startStr, end: info.endStr });
      for (const [key, value] of new FormData(filters)) if (value) params.append(key, value);
      fetch(`${element.dataset.eventsUrl}?${params}`, { headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.statusText)))
        .then(success, failure);
    },
    eventDidMount: (info) => {
      const props = info.event.extendedProps;
      info.el.title = `${props.statusLabel} · ${props.channels.join(", ")}\n${props.text}`;
      info.el.dataset.status = props.status;
    },
  });
  calendar.render();
  filters.addEventListener("change", () => calendar.refetchEvents());
});
