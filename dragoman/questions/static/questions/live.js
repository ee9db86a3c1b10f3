// A question session's page, kept up to date without reloading: newly approved questions, their
// votes, the answers, the number of questions waiting and the one being answered arrive as
// server-sent events. Without this
// script (or without EventSource) the page is complete and a reload shows the same.
// Everything received is inserted as text, never as markup.
const session = document.querySelector(".session[data-live-url]");

function liveAddress(element) {
  const path = element.dataset.liveUrl;
  const port = element.dataset.livePort;
  const base = port ? `${location.protocol}//${location.hostname}:${port}` : "";
  // The address names the page's own stream and its language (?lang=): what arrives is in
  // the page's words.
  const join = path.includes("?") ? "&" : "?";
  return `${base}${path}${join}after=${encodeURIComponent(element.dataset.lastEvent || "0")}`;
}

function text(root, selector, value) {
  const node = root.querySelector(selector);
  if (node) node.textContent = value;
}

function showStatus(data) {
  const waiting = session.querySelector(".session-status__waiting");
  const labels = document.getElementById("status-template").content.firstElementChild;
  if (waiting && typeof data.waiting === "number") {
    waiting.dataset.waiting = String(data.waiting);
    // The server's words, in the page's language with its plural forms; the page's own
    // labels for a stream that sends none.
    waiting.textContent = data.waiting_label || (data.waiting === 1
      ? labels.dataset.one
      : labels.dataset.many.replace("NUMBER", String(data.waiting)));
  }
  const answering = session.querySelector(".session-status__answering");
  if (answering) {
    answering.hidden = !data.answering;
    text(answering, ".session-status__question", data.answering ? data.answering.body : "");
  }
}

function showAnswer(question) {
  const list = document.getElementById("answers");
  if (!list || !question) return;
  document.getElementById(`question-${question.id}`)?.remove();
  list.querySelector(".questions__none")?.remove();
  const item = document.getElementById("question-template").content.firstElementChild.cloneNode(true);
  item.id = `question-${question.id}`;
  text(item, ".question__text", question.body);
  const anonymous = document.getElementById("anonymous-template").content.textContent.trim();
  text(item, ".question__asker", question.name || anonymous);
  item.querySelector(".question__edited").hidden = !question.edited;
  text(item, ".question__answer-text", question.answer);
  list.append(item);
}

function votesLabel(count) {
  const labels = document.getElementById("votes-template").content.firstElementChild;
  return count === 1 ? labels.dataset.one : labels.dataset.many.replace("NUMBER", String(count));
}

// Waiting questions in the server's order: most votes first, then the oldest.
function sortWaiting(list) {
  const items = [...list.children];
  const sorted = items
    .map((item, index) => [Number(item.dataset.votes || 0), index, item])
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .map((entry) => entry[2]);
  if (sorted.some((item, index) => item !== items[index])) list.append(...sorted);
}

function showWaiting(question) {
  const list = document.getElementById("waiting");
  if (!list || !question) return;
  let item = document.getElementById(`question-${question.id}`);
  if (item && item.closest("#answers")) {
    // An answered question reworded: only its text changes.
    text(item, ".question__text", question.body);
    item.querySelector(".question__edited")?.removeAttribute("hidden");
    return;
  }
  if (!item) {
    item = document.getElementById("waiting-template").content.firstElementChild.cloneNode(true);
    item.id = `question-${question.id}`;
    const form = item.querySelector("form.question__vote");
    if (form) form.action = form.action.replace(/\/0\/vote\/$/, `/${question.id}/vote/`);
    const anonymous = document.getElementById("anonymous-template").content.textContent.trim();
    text(item, ".question__asker", question.name || anonymous);
    list.append(item);
    list.closest(".session-waiting").hidden = false;
  }
  text(item, ".question__text", question.body);
  const edited = item.querySelector(".question__edited");
  if (edited) edited.hidden = !question.edited;
  showVotes(question);
}

function showVotes(question) {
  const item = question && document.getElementById(`question-${question.id}`);
  if (!item || typeof question.votes !== "number") return;
  item.dataset.votes = String(question.votes);
  text(item, ".question__votes", question.votes_label || votesLabel(question.votes));
  const list = item.closest("#waiting");
  if (list) sortWaiting(list);
}

function withdraw(question) {
  if (question) document.getElementById(`question-${question.id}`)?.remove();
  const list = document.getElementById("waiting");
  if (list && !list.children.length) list.closest(".session-waiting").hidden = true;
}

if (session && "EventSource" in window) {
  const stream = new EventSource(liveAddress(session));
  const handle = (show) => (event) => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    session.dataset.lastEvent = event.lastEventId;
    show(data);
    showStatus(data);
  };
  stream.addEventListener("answered", handle((data) => {
    showAnswer(data.question);
    withdraw(null);
  }));
  stream.addEventListener("withdrawn", handle((data) => withdraw(data.question)));
  stream.addEventListener("approved", handle((data) => showWaiting(data.question)));
  stream.addEventListener("pinned", handle(() => {}));
  stream.addEventListener("votes", handle((data) => showVotes(data.question)));
  document.documentElement.dataset.live = "on";
}
