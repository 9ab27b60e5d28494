// The editorial calendar: FullCalendar fed by the workspace's events endpoint.
// Posts a member may move can be dragged; the server decides, and a refusal
// puts the post back and says why.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("calendar");
  if (!element || !window.FullCalendar) return;
  const filters = document.getElementById("calendar-filters");
  const notice = document.getElementById("calendar-message");
  const moveUrl = element.dataset.moveUrl;
  const narrow = window.matchMedia("(max-width: 576px)").matches;

  const say = (text, ok) => {
    notice.textContent = text;
    notice.classList.toggle("alert-success", ok);
    notice.classList.toggle("alert-danger", !ok);
    notice.hidden = false;
  };

  // Event times are wall-clock times in the workspace's zone, without an
  // offset: FullCalendar keeps them as they are and gives them back the same way.
  const wallClock = (event) => event.startStr.slice(0, 19);

  const moved = (info) => {
    const url = moveUrl.replace(/\/0\/move\/$/, `/${encodeURIComponent(info.event.id)}/move/`);
    fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": element.dataset.csrfToken,
      },
      credentials: "same-origin",
      body: JSON.stringify({ start: wallClock(info.event) }),
    })
      .then((response) =>
        response
          .json()
          .catch(() => ({}))
          .then((body) => ({ ok: response.ok, body })),
      )
      .then(({ ok, body }) => {
        if (!ok) {
          info.revert();
          say(body.error || element.dataset.moveFailed, false);
          return;
        }
        if (body.start && body.start !== wallClock(info.event)) info.event.setStart(body.start);
        say(body.message, true);
      })
      .catch(() => {
        info.revert();
        say(element.dataset.moveFailed, false);
      });
  };

  const calendar = new FullCalendar.Calendar(element, {
    initialView: narrow ? "listWeek" : "dayGridMonth",
    locale: element.dataset.locale,
    timeZone: element.dataset.timeZone,
    firstDay: 1,
    height: "auto",
    nowIndicator: true,
    // Thousands of posts in a month: a few per day, then "+N more".
    dayMaxEvents: 4,
    eventMaxStack: 3,
    progressiveEventRendering: true,
    editable: Boolean(moveUrl),
    eventDurationEditable: false,
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
      info.el.dataset.postId = info.event.id;
    },
    eventDrop: moved,
  });
  calendar.render();
  filters.addEventListener("change", () => calendar.refetchEvents());
});
