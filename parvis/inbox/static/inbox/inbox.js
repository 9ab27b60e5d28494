// The inbox's keyboard shortcuts and its quiet refresh.
// List: j / k move between conversations, Enter opens, x selects, e marks done.
// Conversation: j / k next / previous conversation, e marks done, r answers.
document.addEventListener("DOMContentLoaded", () => {
  const typing = (target) =>
    target.closest("input, textarea, select, [contenteditable=true]") !== null;
  const rows = () => Array.from(document.querySelectorAll("[data-inbox-row]"));
  let current = -1;

  const focusRow = (index) => {
    const all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((row, i) => row.classList.toggle("inbox-current", i === current));
    all[current].querySelector("[data-inbox-link]").focus();
  };

  const click = (selector) => {
    const element = document.querySelector(selector);
    if (element) element.click();
    return element !== null;
  };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const onList = rows().length > 0 || document.getElementById("inbox-rows");
    const key = event.key;
    if (onList) {
      if (key === "j") focusRow(current + 1);
      else if (key === "k") focusRow(current - 1);
      else if (key === "x" && current >= 0) {
        const box = rows()[current].querySelector("input[type=checkbox]");
        if (box) box.checked = !box.checked;
      } else if (key === "e" && current >= 0) {
        const box = rows()[current].querySelector("input[type=checkbox]");
        if (!box) return;
        box.checked = true;
        click("[data-testid=bulk-done]");
      } else return;
    } else {
      if (key === "j") click("[data-shortcut=next]");
      else if (key === "k") click("[data-shortcut=previous]");
      else if (key === "e") {
        const next = document.querySelector("input[name=then_next]");
        if (next) next.value = "1";
        click("[data-shortcut=done]");
      } else if (key === "r") {
        const box = document.getElementById("reply-text");
        if (box) box.focus();
      } else return;
    }
    event.preventDefault();
  });

  // A saved reply (its placeholders already filled) goes in where the cursor is.
  const saved = document.querySelector("[data-saved-replies]");
  const answer = document.getElementById("reply-text");
  if (saved && answer) {
    saved.addEventListener("change", () => {
      const option = saved.selectedOptions[0];
      if (!option || !option.dataset.text) return;
      const start = answer.selectionStart ?? answer.value.length;
      const end = answer.selectionEnd ?? start;
      answer.value = answer.value.slice(0, start) + option.dataset.text + answer.value.slice(end);
      answer.focus();
      const caret = start + option.dataset.text.length;
      answer.setSelectionRange(caret, caret);
      saved.value = "";
    });
  }

  // The list refreshes every 15 s, except while conversations are selected.
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const list = document.getElementById("inbox-rows");
    if (list && event.detail.elt === list && list.querySelector("input:checked")) {
      event.preventDefault();
    }
  });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id === "inbox-rows" && current >= 0) focusRow(current);
  });
});
