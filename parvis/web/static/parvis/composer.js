// The composer's "Snippets" and "Hashtags" menus (Alpine.js, CSP build: methods only).
// A chosen snippet goes in at the cursor of the text area used last (the shared
// text or a channel's own), then the live checks, previews and autosave run as if
// it had been typed. Without JavaScript the menus stay hidden and a list to copy shows.
document.addEventListener("alpine:init", () => {
  window.Alpine.data("composerSnippets", () => ({
    hidden: false,
    target: null,

    remember(event) {
      if (event.target instanceof HTMLTextAreaElement) this.target = event.target;
    },

    insert(event) {
      const text = event.currentTarget.dataset.snippet || "";
      const area =
        this.target && this.target.isConnected ? this.target : document.getElementById("id_text");
      if (!area || !text) return;
      const start = area.selectionStart;
      const end = area.selectionEnd;
      const before = area.value.slice(0, start);
      const after = area.value.slice(end);
      const lead = before && !/\s$/.test(before) ? " " : "";
      const trail = after && !/^\s/.test(after) ? " " : "";
      area.focus();
      area.setRangeText(lead + text + trail, start, end, "end");
      area.dispatchEvent(new Event("input", { bubbles: true }));
    },
  }));
});
