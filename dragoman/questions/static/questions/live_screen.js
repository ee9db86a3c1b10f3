// The live screen, keyboard first: J/K move between questions, A approve, P pin, D dismiss,
// E edit the wording, R write the answer, Ctrl+Enter sends. New questions appear by
// themselves (the queue is read again every few seconds while nobody is typing in it).
(() => {
  const queue = document.getElementById("live-queue");
  if (!queue) return;
  const items = () => Array.from(queue.querySelectorAll("[data-question]"));
  const typing = (target) => target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT");

  document.addEventListener("keydown", (event) => {
    const item = event.target.closest ? event.target.closest("[data-question]") : null;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && item) {
      const button = item.querySelector(event.target.matches("[data-answer]") ? 'button[value="answer"]' : "[data-default]");
      if (button) { event.preventDefault(); button.click(); }
      return;
    }
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    const all = items();
    if (key === "j" || key === "k") {
      const index = item ? all.indexOf(item) : -1;
      const next = all[Math.max(0, Math.min(all.length - 1, index + (key === "j" ? 1 : -1)))];
      if (next) { event.preventDefault(); next.focus(); }
      return;
    }
    if (!item) return;
    if (key === "e" || key === "r") {
      const field = item.querySelector(key === "e" ? "[data-edit]" : "[data-answer]");
      if (field) { event.preventDefault(); field.focus(); }
      return;
    }
    const button = item.querySelector(`[data-key="${key}"]`);
    if (button) { event.preventDefault(); button.click(); }
  });

  const refresh = async () => {
    const busy = queue.contains(document.activeElement) && typing(document.activeElement);
    const changed = Array.from(queue.querySelectorAll("textarea, input")).some((field) => field.value !== field.defaultValue);
    if (busy || changed || document.hidden) return;
    try {
      const response = await fetch(queue.dataset.refresh, { credentials: "same-origin" });
      if (!response.ok) return;
      const focused = document.activeElement && document.activeElement.id;
      queue.innerHTML = await response.text();
      if (focused) document.getElementById(focused)?.focus();
    } catch {
      // The network is away for a moment: the next turn tries again.
    }
  };
  setInterval(refresh, 4000);
  items()[0]?.focus();
})();
