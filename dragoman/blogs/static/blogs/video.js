// Click to load: a video link becomes the player only when the reader follows it, so the
// video site hears nothing about readers who never press play. Without this script the
// link simply opens the video's own page.
for (const link of document.querySelectorAll("a.video__link[data-embed-url]")) {
  link.addEventListener("click", (event) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return; // a new tab or window: let the browser follow the link
    }
    event.preventDefault();
    const address = new URL(link.dataset.embedUrl);
    address.searchParams.set("autoplay", "1");
    const frame = document.createElement("iframe");
    frame.className = "video__frame";
    frame.src = address.href;
    frame.title = link.dataset.title;
    frame.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    link.replaceWith(frame);
    frame.focus();
  });
}
