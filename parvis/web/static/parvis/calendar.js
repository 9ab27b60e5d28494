// The editorial calendar: FullCalendar fed by the workspace's events endpoint.
// Posts a member may move can be dragged; the server decides, and a refusal
// puts the post back and says why.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("calendar");
  if (!element || !window.FullCalendar) return;
  const filters = document.getElementById("calendar-filters");
  const exportLink = document.getElementById("calendar-export");
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
  // A view's bounds as the day's first moment, wall-clock, in the workspace's zone.
  const wallDay = (date) => `${date.toISOString().slice(0, 10)}T00:00:00`;

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
        calendar.refetchEvents(); // a busy day's counts follow
        refreshMix(); // a post moved to another month
      })
      .catch(() => {
        info.revert();
        say(element.dataset.moveFailed, false);
      });
  };

  // A busy day comes as one summary (counts per status): clicking it, or Enter
  // on it, opens that day's list, which loads the day's posts themselves.
  const openDay = (event) => calendar.changeView("listDay", event.startStr.slice(0, 10));

  const summaryContent = (event) => {
    const title = document.createElement("div");
    title.className = "summary-count";
    title.textContent = event.title;
    const counts = document.createElement("div");
    counts.className = "small";
    for (const { label, count, colour } of event.extendedProps.counts) {
      const part = document.createElement("span");
      part.className = "d-inline-block me-1";
      part.dataset.status = label;
      const dot = document.createElement("span");
      dot.className = "campaign-dot me-1";
      dot.style.background = colour;
      part.append(dot, `${count} ${label}`);
      counts.append(part);
    }
    return { domNodes: [title, counts] };
  };

  // The content mix of the period on screen (its filters applied, not the pillar
  // one), above the calendar: asked again when the calendar moves or a filter changes.
  const mix = document.getElementById("pillar-mix");
  let mixRange = null;
  const refreshMix = () => {
    if (!mix || !mixRange) return;
    const params = new URLSearchParams({ start: mixRange.startStr, end: mixRange.endStr });
    for (const [key, value] of new FormData(filters)) if (value && key !== "pillar") params.append(key, value);
    fetch(`${mix.dataset.mixUrl}?${params}`, { headers: { Accept: "text/html" } })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.statusText)))
      .then((html) => {
        mix.innerHTML = html;
      })
      .catch(() => {});
  };

  const initialView = narrow ? "listWeek" : "dayGridMonth";
  // FullCalendar asks for the first events while it is being built.
  let calendar = null;
  calendar = new FullCalendar.Calendar(element, {
    initialView,
    locale: element.dataset.locale,
    timeZone: element.dataset.timeZone,
    firstDay: 1,
    height: "auto",
    nowIndicator: true,
    // Thousands of posts in a month: a few per day, then "+N more".
    dayMaxEvents: 4,
    eventMaxStack: 3,
    progressiveEventRendering: true,
    // The grids get busy days as counts, the lists every post: each view asks
    // for its own events rather than reusing those of a wider range.
    lazyFetching: false,
    editable: Boolean(moveUrl),
    eventDurationEditable: false,
    headerToolbar: { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,listWeek" },
    events: (info, success, failure) => {
      // FullCalendar asks while it switches views: the new view is known a
      // moment later (and the calendar itself once it is built).
      queueMicrotask(() => {
        const params = new URLSearchParams({ start: info.startStr, end: info.endStr });
        // The grids ask for busy days as counts; the lists get every post.
        const view = calendar ? calendar.view.type : initialView;
        if (!view.startsWith("list")) params.set("summarise", "1");
        for (const [key, value] of new FormData(filters)) if (value) params.append(key, value);
        // "Export CSV" downloads what is shown: these dates, these filters, every post.
        const exported = new URLSearchParams(params);
        exported.delete("summarise");
        exported.set("format", "csv");
        if (exportLink) exportLink.href = `${element.dataset.eventsUrl}?${exported}`;
        fetch(`${element.dataset.eventsUrl}?${params}`, { headers: { Accept: "application/json" } })
          .then((response) => (response.ok ? response.json() : Promise.reject(response.statusText)))
          .then(success, failure);
      });
    },
    eventContent: (info) => (info.event.extendedProps.summary ? summaryContent(info.event) : true),
    eventClick: (info) => {
      if (!info.event.extendedProps.summary) return;
      info.jsEvent.preventDefault();
      openDay(info.event);
    },
    eventDidMount: (info) => {
      const props = info.event.extendedProps;
      if (props.summary) {
        info.el.title = element.dataset.openDay;
        info.el.dataset.summaryDay = info.event.startStr.slice(0, 10);
        info.el.setAttribute("role", "button");
        info.el.tabIndex = 0;
        info.el.addEventListener("keydown", (key) => {
          if (key.key === "Enter" || key.key === " ") {
            key.preventDefault();
            openDay(info.event);
          }
        });
        return;
      }
      const campaign = props.campaign ? `${props.campaign.name} · ` : "";
      info.el.title = `${campaign}${props.statusLabel} · ${props.channels.join(", ")}\n${props.text}`;
      info.el.dataset.status = props.status;
      info.el.dataset.postId = info.event.id;
      if (props.campaign) {
        // The status keeps the event's colour; the campaign is a stripe on its left.
        info.el.classList.add("has-campaign");
        info.el.style.setProperty("--campaign-colour", props.campaign.colour);
        info.el.dataset.campaign = props.campaign.id;
      }
    },
    eventDrop: moved,
    datesSet: (info) => {
      // The month grid shows the days around the month: the mix is the month's own.
      const range = info.view.currentStart ? { start: info.view.currentStart, end: info.view.currentEnd } : info;
      mixRange = { startStr: wallDay(range.start), endStr: wallDay(range.end) };
      refreshMix();
    },
  });
  calendar.render();
  filters.addEventListener("change", () => {
    calendar.refetchEvents();
    refreshMix();
  });
});
